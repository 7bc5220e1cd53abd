// Right-sizes one identity: granted (expanded) vs used over the window, and a least-privilege policy of what was used. Pure.
import {
  isReadOnlyAction,
  PolicyExpander,
  resourceCovers,
  withExtraActions,
  type ExpandedAction,
  type GrantSources,
  type IamCatalogue,
} from './policy/expand.js';
import { dataEventCategoriesSeen, neverLoggedRank, unobservableReason } from './policy/observability.js';
import type { Identity, UsageSummary } from '../model/types.js';
import { serviceOf, usedActionNames, type UsageWindow } from './grantedVsUsed.js';
import { isPermissionlessAction } from '../usage/cloudtrail/eventAction.js';

/** The identity facts right-sizing shows. */
export type RightsizeIdentity = Pick<
  Identity,
  'id' | 'name' | 'arn' | 'kind' | 'provider' | 'isAgent' | 'agentEvidence'
> & {
  /** Policies reaching it that could not be read (their permissions are unknown). */
  unresolvedPolicies: string[];
  /** The permission boundary ARN its record names, whether or not its document was available. */
  permissionsBoundary: string | null;
};

/** One aggregated usage row, as right-sizing reads it. */
export type RightsizeUsage = UsageSummary;

/** An action the usage shows, with how often, when and on what. */
export interface UsedAction {
  action: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Distinct resources seen; empty when no event named one. */
  resources: string[];
  /** True when at least one use had no resource. */
  someWithoutResource: boolean;
  /** False when no known policy allows it. */
  granted: boolean;
}

/** Per service, how many of its granted actions were unused, and which. */
export interface UnusedService {
  service: string;
  granted: number;
  unused: number;
  /** True when none of the service's granted actions was used. */
  wholeService: boolean;
  /** False when the window could not have shown any of these unused actions (see `cannotShow`). */
  observable: boolean;
  actions: string[];
}

/** Use of the identity per credential (access key or session), so a shared key's callers can be told apart. */
export interface CredentialUse {
  credentialId: string | null;
  actions: number;
  events: number;
  firstSeen: string;
  lastSeen: string;
}

/** One statement of the suggested policy. */
export interface SuggestedStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
}

/** The result of right-sizing one identity. */
export interface RightsizeResult {
  identity: RightsizeIdentity;
  scan: { id: number; asOf: string };
  granted: {
    count: number;
    conditional: number;
    write: number;
    /** The boundary that capped the grant, and how many actions it removed. */
    boundary: string | null;
    removedByBoundary: number;
  };
  used: {
    /** Distinct used actions the grant allows. */
    count: number;
    actions: UsedAction[];
    byCredential: CredentialUse[];
    /** Role session names seen (evidence of who drove an assumed role), at most 20. */
    sessionNames: string[];
  };
  /** Used and granted over granted, 0–1 (0 when nothing is granted). */
  usedShare: number;
  unused: { count: number; unobservable: number; services: UnusedService[] };
  /** How many permissions the suggested policy removes (granted − used). */
  removed: number;
  /** Used actions no grant allows (a policy not exported, a resource-based policy, a catalogue gap). */
  usedNotGranted: string[];
  window: UsageWindow & { firstUsed: string | null; lastUsed: string | null; sawNothing: boolean };
  /** Unused granted actions the window could not have shown used. */
  cannotShow: { neverLogged: string[]; dataEvents: { category: string; actions: string[] }[] };
  policy: { Version: '2012-10-17'; Statement: SuggestedStatement[] };
  caveats: string[];
}

/** What `analyzeIdentity` needs: the identity, its grant sources and usage, and the scan's window and usage. */
export interface RightsizeInput {
  identity: RightsizeIdentity;
  scan: { id: number; asOf: string };
  sources: GrantSources;
  usage: readonly RightsizeUsage[];
  /** Distinct mapped actions the whole scan saw used: which data events the trail logs, actions newer than the catalogue. */
  scanUsedActions: readonly string[];
  window: UsageWindow | null;
  catalogue: IamCatalogue;
  /** Above this many distinct resources of one action, the suggestion generalises them (a bucket's objects → `bucket/*`). */
  maxResourcesPerAction?: number;
}

/** Aggregates mapped usage rows (permissionless calls excluded) per lower-case action. */
export function usedActions(
  usage: readonly RightsizeUsage[],
  granted: ReadonlyMap<string, ExpandedAction>,
): Map<string, UsedAction> {
  const byAction = new Map<string, UsedAction & { resourceSet: Set<string> }>();
  for (const row of usage) {
    if (row.permission === null || isPermissionlessAction(row.permission)) continue;
    const key = row.permission.toLowerCase();
    let entry = byAction.get(key);
    if (!entry) {
      entry = {
        action: granted.get(key)?.action ?? row.permission,
        count: 0,
        firstSeen: row.firstSeen,
        lastSeen: row.lastSeen,
        resources: [],
        someWithoutResource: false,
        granted: granted.has(key),
        resourceSet: new Set(),
      };
      byAction.set(key, entry);
    }
    entry.count += row.count;
    if (row.firstSeen < entry.firstSeen) entry.firstSeen = row.firstSeen;
    if (row.lastSeen > entry.lastSeen) entry.lastSeen = row.lastSeen;
    if (row.resource) entry.resourceSet.add(row.resource);
    else entry.someWithoutResource = true;
  }
  const result = new Map<string, UsedAction>();
  for (const [key, { resourceSet, ...entry }] of byAction) {
    result.set(key, { ...entry, resources: [...resourceSet].sort() });
  }
  return result;
}

/** Right-sizes one identity from its policies (or grants) and usage, against the catalogue. Pure. */
export function analyzeIdentity(input: RightsizeInput): RightsizeResult {
  // The same extension and data-event evidence as the scan's summary, so both count alike.
  const scanUsed = usedActionNames([
    ...input.scanUsedActions.map((permission) => ({ permission })),
    ...input.usage,
  ]);
  const catalogue = withExtraActions(input.catalogue, scanUsed);
  const grantedActions = new PolicyExpander(catalogue).grantedActions(input.sources);
  const granted = grantedActions.actions;
  const used = usedActions(input.usage, granted);
  const categoriesSeen = dataEventCategoriesSeen(scanUsed);

  const usedGranted = [...used.keys()].filter((key) => granted.has(key));
  const usedNotGranted = [...used.values()]
    .filter((u) => !u.granted)
    .map((u) => u.action)
    .sort();

  const byService = new Map<string, { granted: number; actions: string[] }>();
  const neverLogged: string[] = [];
  const dataEvents = new Map<string, string[]>();
  let unobservable = 0;
  for (const [key, expanded] of granted) {
    const service = serviceOf(expanded.action);
    const entry = byService.get(service) ?? { granted: 0, actions: [] };
    entry.granted += 1;
    byService.set(service, entry);
    if (used.has(key)) continue;
    entry.actions.push(expanded.action);
    const reason = unobservableReason(expanded.action, categoriesSeen);
    if (reason === null) continue;
    unobservable += 1;
    if (reason.kind === 'never-logged') neverLogged.push(expanded.action);
    else dataEvents.set(reason.category, [...(dataEvents.get(reason.category) ?? []), expanded.action]);
  }
  const services: UnusedService[] = [...byService.entries()]
    .filter(([, e]) => e.actions.length > 0)
    .map(([service, e]) => ({
      service,
      granted: e.granted,
      unused: e.actions.length,
      wholeService: e.actions.length === e.granted,
      observable: e.actions.some((a) => unobservableReason(a, categoriesSeen) === null),
      actions: e.actions.sort(),
    }))
    .sort((a, b) => b.unused - a.unused || a.service.localeCompare(b.service));
  const unusedCount = granted.size - usedGranted.length;

  const usedList = [...used.values()].sort((a, b) => a.action.localeCompare(b.action));
  const mapped = input.usage.filter((row) => row.permission !== null);
  const firstUsed = mapped.length > 0 ? mapped.map((u) => u.firstSeen).sort()[0]! : null;
  const lastUsed =
    mapped.length > 0
      ? mapped
          .map((u) => u.lastSeen)
          .sort()
          .at(-1)!
      : null;
  const sawNothing = usedList.length === 0;
  const window = input.window ?? { since: null, until: null, firstEvent: null, lastEvent: null };

  neverLogged.sort((a, b) => neverLoggedRank(a) - neverLoggedRank(b) || a.localeCompare(b));
  const pairs = usedGranted.map((key) => [used.get(key)!, granted.get(key)!] as const);
  const statements = suggestStatements(pairs, input.maxResourcesPerAction ?? 10);
  const caveats = caveatsOf({
    input,
    sawNothing,
    neverLogged,
    dataEvents,
    usedNotGranted,
    pairs,
    boundary: grantedActions.boundary,
  });

  return {
    identity: input.identity,
    scan: input.scan,
    granted: {
      count: granted.size,
      conditional: [...granted.values()].filter((g) => g.conditional).length,
      write: [...granted.values()].filter((g) => !isReadOnlyAction(g.action, catalogue)).length,
      boundary: grantedActions.boundary,
      removedByBoundary: grantedActions.removedByBoundary,
    },
    used: {
      count: usedGranted.length,
      actions: usedList,
      byCredential: credentialUse(input.usage),
      sessionNames: [...new Set(input.usage.flatMap((u) => u.sessionNames))].sort().slice(0, 20),
    },
    usedShare: granted.size === 0 ? 0 : usedGranted.length / granted.size,
    unused: { count: unusedCount, unobservable, services },
    removed: unusedCount,
    usedNotGranted,
    window: { ...window, firstUsed, lastUsed, sawNothing },
    cannotShow: {
      neverLogged,
      dataEvents: [...dataEvents.entries()].map(([category, actions]) => ({
        category,
        actions: actions.sort(),
      })),
    },
    policy: { Version: '2012-10-17', Statement: statements },
    caveats,
  };
}

function credentialUse(usage: readonly RightsizeUsage[]): CredentialUse[] {
  const byCredential = new Map<string | null, CredentialUse & { actionSet: Set<string> }>();
  for (const row of usage) {
    if (row.permission === null || isPermissionlessAction(row.permission)) continue;
    let entry = byCredential.get(row.credentialId);
    if (!entry) {
      entry = {
        credentialId: row.credentialId,
        actions: 0,
        events: 0,
        firstSeen: row.firstSeen,
        lastSeen: row.lastSeen,
        actionSet: new Set(),
      };
      byCredential.set(row.credentialId, entry);
    }
    entry.actionSet.add(row.permission.toLowerCase());
    entry.events += row.count;
    if (row.firstSeen < entry.firstSeen) entry.firstSeen = row.firstSeen;
    if (row.lastSeen > entry.lastSeen) entry.lastSeen = row.lastSeen;
  }
  return [...byCredential.values()]
    .map(({ actionSet, ...entry }) => ({ ...entry, actions: actionSet.size }))
    .sort((a, b) => b.events - a.events);
}

function caveatsOf(facts: {
  input: RightsizeInput;
  sawNothing: boolean;
  neverLogged: string[];
  dataEvents: Map<string, string[]>;
  usedNotGranted: string[];
  pairs: readonly (readonly [UsedAction, ExpandedAction])[];
  boundary: string | null;
}): string[] {
  const { input } = facts;
  const caveats: string[] = [];
  if (input.window === null) {
    caveats.push(
      'no audit log was read in this scan: nothing can be called unused; scan again with --cloudtrail',
    );
  } else if (facts.sawNothing) {
    caveats.push(
      'the evidence window saw no use of this identity at all: do not remove its permissions without other evidence (it may run rarely, or its logs were not read)',
    );
  }
  if (facts.neverLogged.length > 0) {
    caveats.push(
      `CloudTrail never records ${facts.neverLogged.slice(0, 5).join(', ')}${facts.neverLogged.length > 5 ? `, … (${facts.neverLogged.length} in all)` : ''} as events of their own (permissions checked within other calls, or data planes it does not log): check whether they are needed before removing them`,
    );
  }
  if (facts.dataEvents.size > 0) {
    caveats.push(
      `the window holds no data events of ${[...facts.dataEvents.keys()].join(', ')} (trails log them only when enabled): those unused actions may have been used unseen`,
    );
  }
  if (input.identity.unresolvedPolicies.length > 0) {
    caveats.push(
      `${input.identity.unresolvedPolicies.join(', ')} could not be read: the granted count is a lower bound`,
    );
  }
  if (input.identity.permissionsBoundary !== null && facts.boundary === null) {
    caveats.push(
      `its permission boundary ${input.identity.permissionsBoundary} could not be read: the grant is shown uncapped`,
    );
  } else if (facts.boundary !== null) {
    caveats.push(
      `keep the permission boundary ${facts.boundary}: the suggestion replaces the identity policies only`,
    );
  }
  const conditional = facts.pairs.filter(([, grant]) => grant.conditional).map(([, grant]) => grant.action);
  if (conditional.length > 0) {
    caveats.push(
      `the grants of ${conditional.join(', ')} carry a Condition the suggested policy does not repeat: copy it from the original policy`,
    );
  }
  const excepted = facts.pairs
    .filter(([, grant]) => grant.exceptResources.length > 0)
    .map(([, g]) => g.action);
  if (excepted.length > 0) {
    caveats.push(
      `the original policies exclude some resources of ${excepted.join(', ')} (NotResource or Deny): keep those exclusions`,
    );
  }
  if (facts.usedNotGranted.length > 0) {
    caveats.push(
      `${facts.usedNotGranted.length} used action(s) are not granted by any policy in the cache (a policy the export did not include, a resource-based policy, a call that was denied, or a catalogue gap); they are left out of the suggested policy`,
    );
  }
  caveats.push(
    'the suggested policy covers only what the window saw: actions used monthly, yearly or in an incident may be missing',
  );
  return caveats;
}

/**
 * Resources of one used action for the suggestion: the ARNs the window saw when every use named one, generalised to
 * their container (`arn:aws:s3:::bucket/*`) above `limit` distinct ARNs, and always within what was granted;
 * otherwise the granted resources.
 */
export function suggestedResources(use: UsedAction, grant: ExpandedAction, limit: number): string[] {
  if (use.someWithoutResource || use.resources.length === 0) return grant.resources;
  const withinGrant = (resource: string) => grant.resources.some((g) => resourceCovers(g, resource));
  if (use.resources.length <= limit)
    return use.resources.every(withinGrant) ? use.resources : grant.resources;
  const generalised = [...new Set(use.resources.map(containerPattern))].sort();
  if (generalised.length <= limit && generalised.every(withinGrant)) return generalised;
  return grant.resources;
}

/** `arn:aws:s3:::bucket/a/b.json` → `arn:aws:s3:::bucket/*`; `arn:…:table/t` → `arn:…:table/*`; else the ARN. */
function containerPattern(arn: string): string {
  const parts = arn.split(':');
  if (parts.length < 6) return arn;
  const head = parts.slice(0, 5).join(':');
  const rest = parts.slice(5).join(':');
  const slash = rest.indexOf('/');
  return slash < 0 ? arn : `${head}:${rest.slice(0, slash)}/*`;
}

/**
 * Statements of the suggested policy: per service, the actions sharing the same resources in one statement, in a
 * stable order, with Sids from the service name.
 */
export function suggestStatements(
  pairs: readonly (readonly [UsedAction, ExpandedAction])[],
  limit = 10,
): SuggestedStatement[] {
  const groups = new Map<string, { service: string; resources: string[]; actions: string[] }>();
  for (const [use, grant] of pairs) {
    const resources = suggestedResources(use, grant, limit);
    const service = serviceOf(grant.action);
    const key = JSON.stringify([service, resources]);
    const group = groups.get(key) ?? { service, resources, actions: [] };
    group.actions.push(grant.action);
    groups.set(key, group);
  }
  const counters = new Map<string, number>();
  return [...groups.values()]
    .map((group) => ({ ...group, actions: group.actions.sort() }))
    .sort((a, b) => a.service.localeCompare(b.service) || a.actions[0]!.localeCompare(b.actions[0]!))
    .map((group) => {
      const base = group.service
        .split(/[^a-z0-9]+/i)
        .filter(Boolean)
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join('');
      const n = (counters.get(base) ?? 0) + 1;
      counters.set(base, n);
      return {
        Sid: n === 1 ? base : `${base}Scoped${n}`,
        Effect: 'Allow' as const,
        Action: group.actions,
        Resource: group.resources.length === 1 ? group.resources[0]! : group.resources,
      };
    });
}
