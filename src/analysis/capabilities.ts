// Matches the capability catalogue against each identity's grants and usage: which untrusted reads and consequential writes it holds. Pure.
import type { Grant, Identity, IdentityCapability, Inventory, Resource, Usage } from '../model/types.js';
import type { LoadedCapability } from '../rules/capabilityFormat.js';
import { groupBy } from './groupBy.js';
import type { GrantExpansion } from './grantedVsUsed.js';
import { expandPattern, patternRegExp, resourceCovers } from './policy/expand.js';
import { hasBit } from './policy/grantedSet.js';

/** Repository roles that let an outside collaborator write issues, comments or code (every role can comment). */
const OUTSIDE_ROLES_THAT_WRITE = new Set(['read', 'triage', 'write', 'maintain', 'admin', 'pull', 'push']);

/** A capability with its permissions compiled once per derivation: AWS actions expanded, other patterns as globs. */
interface CompiledCapability {
  capability: LoadedCapability;
  /** AWS: the catalogue actions its patterns expand to (catalogue spelling), with their numbers in the granted sets. */
  actions: { name: string; key: string; number: number | undefined }[];
  /** Whether a permission (an IAM action, a GitHub permission, a scope) is one the capability names. */
  names: (permission: string) => boolean;
}

/**
 * The capabilities of the catalogue each identity holds, with the grants that give them, what they reach and whether
 * the usage shows them exercised. AWS identities are judged on their expanded granted set (boundaries and denies
 * applied), from the scan's one expansion of the policies (`expandGrants`, shared with granted vs used); other
 * providers on their grants' permission names. Identities of providers the catalogue does not cover get nothing.
 */
export function deriveCapabilities(
  inventory: Inventory,
  catalogue: readonly LoadedCapability[],
  expansion: GrantExpansion,
): IdentityCapability[] {
  const grantsByIdentity = groupBy(inventory.grants, (g) => g.identityId);
  const usageByIdentity = groupBy(inventory.usage, (u) => u.identityId);
  const byProvider = groupBy(
    catalogue.map((capability) => compile(capability, expansion)),
    (c) => c.capability.provider,
  );
  const outsiderRepositories = outsiderWritableRepositories(inventory.resources ?? []);
  const results: IdentityCapability[] = [];
  for (const identity of inventory.identities) {
    const capabilities = byProvider.get(identity.provider);
    if (!capabilities) continue;
    const grants = (grantsByIdentity.get(identity.id) ?? []).filter((g) => g.effect === 'allow');
    const usage = usageByIdentity.get(identity.id) ?? [];
    const granted = identity.provider === 'aws' ? grantedBits(identity.id, expansion) : null;
    for (const compiled of capabilities) {
      const held =
        identity.provider === 'aws'
          ? awsCapability(compiled, grants, granted)
          : namedCapability(compiled, identity, grants, outsiderRepositories);
      if (!held) continue;
      const exercised = usage.filter((row) => exercises(compiled, row, held.reach));
      results.push({
        identityId: identity.id,
        capabilityId: compiled.capability.id,
        kind: compiled.capability.kind,
        title: compiled.capability.title,
        grantedBy: held.grantedBy,
        reach: held.reach,
        used: exercised.length > 0,
        usedCount: exercised.reduce((sum, row) => sum + row.count, 0),
        usedPermissions: unique(exercised.map((row) => row.permission ?? row.eventName)),
      });
    }
  }
  return results;
}

interface Held {
  grantedBy: string[];
  reach: string[];
}

function compile(capability: LoadedCapability, expansion: GrantExpansion): CompiledCapability {
  if (capability.provider === 'aws') {
    const names = unique(capability.permissions.flatMap((p) => expandPattern(p, expansion.catalogue)));
    const actions = names.map((name) => {
      const key = name.toLowerCase();
      return { name, key, number: expansion.builder.index.numberOf.get(key) };
    });
    const keys = new Set(actions.map((a) => a.key));
    return { capability, actions, names: (permission) => keys.has(permission.toLowerCase()) };
  }
  const patterns = capability.permissions.map((p) => patternRegExp(p));
  return { capability, actions: [], names: (permission) => patterns.some((p) => p.test(permission)) };
}

/** The granted set of an AWS identity from the scan's expansion, or null when nothing grants it anything. */
function grantedBits(identityId: string, expansion: GrantExpansion): Int32Array | null {
  const sources = expansion.sources.get(identityId);
  return sources ? expansion.builder.grantedSet(sources).granted : null;
}

function awsCapability(
  { capability, actions: all }: CompiledCapability,
  grants: readonly Grant[],
  granted: Int32Array | null,
): Held | null {
  if (!granted) return null;
  const actions = all.filter((a) => a.number !== undefined && hasBit(granted, a.number)).map((a) => a.name);
  if (actions.length === 0) return null;
  if (!capability.resources) return { grantedBy: actions, reach: [] };
  // The action is granted somewhere; the capability needs a statement allowing it on a resource the catalogue names.
  const reach = new Set<string>();
  const by = new Set<string>();
  for (const grant of grants) {
    const names = actions.filter((a) => grant.notAction !== patternRegExp(grant.permission).test(a));
    if (names.length === 0) continue;
    for (const pattern of capability.resources) {
      if (!resourcesOverlap(grant.resource, pattern)) continue;
      reach.add(grant.resource);
      for (const name of names) by.add(name);
    }
  }
  return reach.size === 0 ? null : { grantedBy: [...by], reach: [...reach].sort() };
}

/** Whether two ARN globs can name a common resource (one covers the other, case-insensitively). */
function resourcesOverlap(a: string, b: string): boolean {
  if (a === '*' || b === '*') return true;
  const lowerA = a.toLowerCase();
  const lowerB = b.toLowerCase();
  return resourceCovers(lowerA, lowerB) || resourceCovers(lowerB, lowerA);
}

function namedCapability(
  { capability, names }: CompiledCapability,
  identity: Identity,
  grants: readonly Grant[],
  outsiderRepositories: ReadonlyMap<string, Map<string, string>>,
): Held | null {
  const matching = grants.filter((g) => names(g.permission));
  if (matching.length === 0) return null;
  const grantedBy = unique(matching.map((g) => g.permission));
  if (capability.reach !== 'outsider-writable-repositories') return { grantedBy, reach: [] };
  const reach = new Set<string>();
  for (const grant of matching) {
    for (const repository of reachedRepositories(grant.resource, identity.account, outsiderRepositories)) {
      reach.add(repository);
    }
  }
  return reach.size === 0 ? null : { grantedBy, reach: [...reach].sort() };
}

/**
 * Repositories a GitHub grant reaches that outsiders can write to, as `org/repo (why)`. A grant on the organization
 * (`org`, `org/*`) reaches all of them; `org/repo` that one; `org/(selected)` is a list GitHub does not give the
 * organization, so it reaches none that can be named.
 */
function reachedRepositories(
  resource: string,
  account: string | null,
  outsiderRepositories: ReadonlyMap<string, Map<string, string>>,
): string[] {
  const org = resource.includes('/') ? resource.slice(0, resource.indexOf('/')) : resource;
  const repositories = outsiderRepositories.get(org.toLowerCase()) ?? outsiderRepositories.get(account ?? '');
  if (!repositories) return [];
  const rest = resource.slice(org.length + 1);
  if (resource === org || rest === '*') return [...repositories].map(([name, why]) => `${name} (${why})`);
  const why = repositories.get(resource.toLowerCase());
  return why ? [`${resource} (${why})`] : [];
}

/** Per organization (lower case), its repositories outsiders can write to, each with why. Archived ones are read-only. */
function outsiderWritableRepositories(resources: readonly Resource[]): Map<string, Map<string, string>> {
  const byOrg = new Map<string, Map<string, string>>();
  for (const resource of resources) {
    if (resource.provider !== 'github' || resource.kind !== 'repository') continue;
    if (resource.attributes['archived'] === true) continue;
    const reasons: string[] = [];
    if (resource.attributes['public'] === true) reasons.push('public');
    const outside = resource.attributes['outside_collaborators'];
    if (Array.isArray(outside)) {
      const logins = outside.flatMap((c) =>
        typeof c === 'object' &&
        c !== null &&
        !Array.isArray(c) &&
        typeof c['login'] === 'string' &&
        (typeof c['role'] !== 'string' || OUTSIDE_ROLES_THAT_WRITE.has(c['role']))
          ? [c['login']]
          : [],
      );
      if (logins.length > 0) reasons.push(`outside collaborators ${logins.join(', ')}`);
    }
    if (reasons.length === 0) continue;
    const org = (resource.account ?? resource.name.split('/')[0] ?? '').toLowerCase();
    const repos = byOrg.get(org) ?? new Map<string, string>();
    repos.set(resource.name.toLowerCase(), reasons.join('; '));
    byOrg.set(org, repos);
  }
  return byOrg;
}

/** Whether a usage row exercises the capability: its permission is one the capability names, on what it reaches. */
function exercises({ capability, names }: CompiledCapability, row: Usage, reach: readonly string[]): boolean {
  if (row.permission === null || !names(row.permission)) return false;
  if (capability.resources) {
    return (
      row.resource !== null &&
      capability.resources.some((p) => resourceCovers(p.toLowerCase(), row.resource!.toLowerCase()))
    );
  }
  if (capability.reach === 'outsider-writable-repositories') {
    // API Insights counts calls per route, not per repository: a call with no repository counts as exercising it.
    return (
      row.resource === null ||
      reach.some((r) => r.toLowerCase().startsWith(`${row.resource!.toLowerCase()} (`))
    );
  }
  return true;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
