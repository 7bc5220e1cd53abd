// Granted vs used per identity over the evidence window: expanded grant counts, used actions, unused services. Pure.
import type { Grant, Identity, Inventory, PermissionSummary, Usage } from '../model/types.js';
import { isPermissionlessAction } from '../usage/cloudtrail/eventAction.js';
import {
  isReadOnlyAction,
  PolicyExpander,
  withExtraActions,
  type GrantSources,
  type IamCatalogue,
} from './policy/expand.js';
import {
  bitsWhere,
  countBits,
  countBitsInRange,
  countBitsOfBoth,
  GrantedSetBuilder,
  hasBit,
} from './policy/grantedSet.js';
import { groupBy } from './groupBy.js';
import { dataEventCategoriesSeen, unobservableReason } from './policy/observability.js';

/** The evidence window of a scan's usage: asked for (`since` … `until`) and what the logs held (first, last event). */
export interface UsageWindow {
  since: string | null;
  until: string | null;
  firstEvent: string | null;
  lastEvent: string | null;
}

/**
 * The usage window from a scan's `coverage.window`, or null when no usage source ran (then nothing can be called
 * unused). A usage source records `firstEvent` (null when its logs held no event in the window).
 */
export function usageWindowFrom(window: unknown): UsageWindow | null {
  if (typeof window !== 'object' || window === null || !('firstEvent' in window)) return null;
  const w = window as Record<string, unknown>;
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return {
    since: text(w['since']),
    until: text(w['until']),
    firstEvent: text(w['firstEvent']),
    lastEvent: text(w['lastEvent']),
  };
}

/** The IAM service prefix of an action, lower case. */
export function serviceOf(action: string): string {
  return action.slice(0, action.indexOf(':')).toLowerCase();
}

/** Mapped actions a set of usage rows shows used (calls that need no permission, such as GetCallerIdentity, left out). */
export function usedActionNames(usage: readonly Pick<Usage, 'permission'>[]): string[] {
  const names = new Map<string, string>();
  for (const row of usage) {
    if (row.permission === null || isPermissionlessAction(row.permission)) continue;
    const key = row.permission.toLowerCase();
    if (!names.has(key)) names.set(key, row.permission);
  }
  return [...names.values()];
}

/** Everything that grants an identity permissions, by identity id, from an inventory. */
export function grantSourcesByIdentity(inventory: Inventory): Map<string, GrantSources> {
  const byIdentity = new Map<
    string,
    { policies: GrantSources['policies'][number][]; boundary: GrantSources['boundary']; grants: Grant[] }
  >();
  const entry = (id: string) => {
    let found = byIdentity.get(id);
    if (!found) {
      found = { policies: [], boundary: null, grants: [] };
      byIdentity.set(id, found);
    }
    return found;
  };
  for (const policy of inventory.policies ?? []) {
    const own = entry(policy.identityId);
    const attached = { sourcePolicy: policy.sourcePolicy, document: policy.document };
    if (policy.kind === 'boundary') own.boundary = attached;
    else own.policies.push(attached);
  }
  for (const grant of inventory.grants) entry(grant.identityId).grants.push(grant);
  return byIdentity;
}

/** False when a policy or the permission boundary reaching the identity could not be read. */
export function policiesComplete(identity: Identity, sources: GrantSources | undefined): boolean {
  const unresolved = identity.attributes['unresolved_policies'];
  if (Array.isArray(unresolved) && unresolved.length > 0) return false;
  const boundary = identity.attributes['permissions_boundary'];
  return typeof boundary !== 'string' || sources?.boundary?.sourcePolicy === boundary;
}

/**
 * One scan's expansion of the AWS policies, shared by everything that asks what an identity is granted (granted vs
 * used, the confused-deputy capabilities): the builder memoises each distinct policy document's expansion, so a
 * document is expanded once per scan however many readers ask.
 */
export interface GrantExpansion {
  /** The IAM catalogue with the actions the logs show that it lacks (newer than the data; they still fall under `*`). */
  catalogue: IamCatalogue;
  builder: GrantedSetBuilder;
  /** What grants each identity permissions (policies, boundary, grants), by identity id. */
  sources: Map<string, GrantSources>;
  /** The mapped IAM actions the AWS usage shows used. */
  used: string[];
}

/** The expansion of an inventory's policies over `catalogue` (documents are expanded lazily, each once). */
export function expandGrants(inventory: Inventory, catalogue: IamCatalogue): GrantExpansion {
  // IAM actions only: GitHub's usage rows hold fine-grained permissions (`contents:write`), which no IAM policy grants.
  const otherProviders = new Set(
    inventory.identities.filter((identity) => identity.provider !== 'aws').map((identity) => identity.id),
  );
  const used = usedActionNames(inventory.usage.filter((row) => !otherProviders.has(row.identityId)));
  const extended = withExtraActions(catalogue, used);
  return {
    catalogue: extended,
    builder: new GrantedSetBuilder(new PolicyExpander(extended)),
    sources: grantSourcesByIdentity(inventory),
    used,
  };
}

/**
 * Granted vs used for every AWS identity that holds a grant (or a policy that could not be read): expanded counts,
 * used and unused actions, unused services split by whether the window could show their use. Each distinct policy
 * document is expanded once for the whole inventory. Pure.
 */
export function summarizeGrantedVsUsed(
  inventory: Inventory,
  catalogue: IamCatalogue,
  window: UsageWindow | null,
  expansion: GrantExpansion = expandGrants(inventory, catalogue),
): PermissionSummary[] {
  const usageByIdentity = groupBy(inventory.usage, (row) => row.identityId);
  const { builder, used: allUsed, sources: sourcesByIdentity } = expansion;
  const extended = expansion.catalogue;
  const { index } = builder;
  const categoriesSeen = dataEventCategoriesSeen(allUsed);
  const writeBits = bitsWhere(index, (key) => !isReadOnlyAction(key, extended));
  const observableBits = bitsWhere(index, (key) => unobservableReason(key, categoriesSeen) === null);

  const summaries: PermissionSummary[] = [];
  for (const identity of inventory.identities) {
    // IAM actions only: other providers' permissions (GitHub scopes) are not in this catalogue.
    if (identity.provider !== 'aws') continue;
    const sources = sourcesByIdentity.get(identity.id);
    const complete = policiesComplete(identity, sources);
    if (!sources && complete) continue;
    const granted = builder.grantedSet(sources ?? { policies: [], boundary: null, grants: [] });
    const grantedCount = countBits(granted.granted);
    const write = countBitsOfBoth(granted.granted, writeBits);
    const observable = countBitsOfBoth(granted.granted, observableBits);
    const perService = new Map<number, { granted: number; observable: number }>();
    index.serviceRanges.forEach(([start, end], service) => {
      const inService = countBitsInRange(granted.granted, start, end);
      if (inService === 0) return;
      perService.set(service, {
        granted: inService,
        observable: countBitsInRange(granted.granted, start, end, observableBits),
      });
    });

    const rows = usageByIdentity.get(identity.id) ?? [];
    const used = usedActionNames(rows);
    const usedNumbers = used.flatMap((action) => {
      const n = index.numberOf.get(action.toLowerCase());
      return n !== undefined && hasBit(granted.granted, n) ? [n] : [];
    });
    const usedServices = new Set(usedNumbers.map((n) => index.serviceOf[n]!));
    const usedWrite = usedNumbers.filter((n) => hasBit(writeBits, n)).length;
    const usedObservable = usedNumbers.filter((n) => hasBit(observableBits, n)).length;
    const unusedServices: string[] = [];
    const unobservableServices: string[] = [];
    for (const [service, counts] of perService) {
      if (usedServices.has(service)) continue;
      if (counts.observable > 0) unusedServices.push(index.services[service]!);
      else unobservableServices.push(index.services[service]!);
    }
    const seen = rows.filter((row) => row.permission !== null);
    summaries.push({
      identityId: identity.id,
      grantedCount,
      grantedConditional: countBits(granted.conditional),
      grantedWrite: write,
      grantedServices: perService.size,
      usedCount: usedNumbers.length,
      usedNotGranted: used.length - usedNumbers.length,
      unusedCount: grantedCount - usedNumbers.length,
      unusedWrite: write - usedWrite,
      unusedUnobservable: grantedCount - observable - (usedNumbers.length - usedObservable),
      unusedServices: unusedServices.sort(),
      unobservableServices: unobservableServices.sort(),
      usedServices: [...usedServices].map((n) => index.services[n]!).sort(),
      boundary: granted.boundary,
      removedByBoundary: granted.removedByBoundary,
      policiesComplete: complete,
      firstUsed: seen.length > 0 ? seen.map((r) => r.firstSeen).sort()[0]! : null,
      lastUsed:
        seen.length > 0
          ? seen
              .map((r) => r.lastSeen)
              .sort()
              .at(-1)!
          : null,
      window: window ?? { since: null, until: null, firstEvent: null, lastEvent: null },
    });
  }
  return summaries;
}
