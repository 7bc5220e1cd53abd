// Matches the capability catalogue against each identity's grants and usage: which untrusted reads and consequential writes it holds. Pure.
import type { Grant, Identity, IdentityCapability, Inventory, Resource, Usage } from '../model/types.js';
import type { LoadedCapability } from '../rules/capabilityFormat.js';
import { grantSourcesByIdentity } from './grantedVsUsed.js';
import {
  expandPattern,
  PolicyExpander,
  patternRegExp,
  resourceCovers,
  type IamCatalogue,
} from './policy/expand.js';
import { GrantedSetBuilder, hasBit } from './policy/grantedSet.js';

/** Repository roles that let an outside collaborator write issues, comments or code (every role can comment). */
const OUTSIDE_ROLES_THAT_WRITE = new Set(['read', 'triage', 'write', 'maintain', 'admin', 'pull', 'push']);

/**
 * The capabilities of the catalogue each identity holds, with the grants that give them, what they reach and whether
 * the usage shows them exercised. AWS identities are judged on their expanded granted set (boundaries and denies
 * applied); other providers on their grants' permission names. Identities of providers the catalogue does not cover
 * get nothing.
 */
export function deriveCapabilities(
  inventory: Inventory,
  catalogue: readonly LoadedCapability[],
  iam: IamCatalogue,
): IdentityCapability[] {
  const grantsByIdentity = groupBy(inventory.grants, (g) => g.identityId);
  const usageByIdentity = groupBy(inventory.usage, (u) => u.identityId);
  const byProvider = groupBy(catalogue, (c) => c.provider);
  const outsiderRepositories = outsiderWritableRepositories(inventory.resources ?? []);
  const aws = awsGrantedActions(inventory, byProvider.get('aws') ?? [], iam);
  const results: IdentityCapability[] = [];
  for (const identity of inventory.identities) {
    const capabilities = byProvider.get(identity.provider);
    if (!capabilities) continue;
    const grants = (grantsByIdentity.get(identity.id) ?? []).filter((g) => g.effect === 'allow');
    const usage = usageByIdentity.get(identity.id) ?? [];
    for (const capability of capabilities) {
      const held =
        identity.provider === 'aws'
          ? awsCapability(capability, grants, aws.get(identity.id), iam)
          : namedCapability(capability, identity, grants, outsiderRepositories);
      if (!held) continue;
      const exercised = usage.filter((row) => exercises(capability, row, held.reach, iam));
      results.push({
        identityId: identity.id,
        capabilityId: capability.id,
        kind: capability.kind,
        title: capability.title,
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

/** Lower-cased actions of AWS capabilities each AWS identity is granted (after boundaries and denies). */
function awsGrantedActions(
  inventory: Inventory,
  capabilities: readonly LoadedCapability[],
  iam: IamCatalogue,
): Map<string, Set<string>> {
  const granted = new Map<string, Set<string>>();
  if (capabilities.length === 0) return granted;
  const wanted = unique(capabilities.flatMap((c) => c.permissions.flatMap((p) => expandPattern(p, iam))));
  const builder = new GrantedSetBuilder(new PolicyExpander(iam));
  const numbers = wanted.flatMap((action) => {
    const n = builder.index.numberOf.get(action.toLowerCase());
    return n === undefined ? [] : [[action.toLowerCase(), n] as const];
  });
  const sources = grantSourcesByIdentity(inventory);
  for (const identity of inventory.identities) {
    if (identity.provider !== 'aws') continue;
    const own = sources.get(identity.id);
    if (!own) continue;
    const set = builder.grantedSet(own);
    granted.set(identity.id, new Set(numbers.filter(([, n]) => hasBit(set.granted, n)).map(([a]) => a)));
  }
  return granted;
}

function awsCapability(
  capability: LoadedCapability,
  grants: readonly Grant[],
  granted: Set<string> | undefined,
  iam: IamCatalogue,
): Held | null {
  if (!granted) return null;
  const actions = unique(capability.permissions.flatMap((p) => expandPattern(p, iam))).filter((a) =>
    granted.has(a.toLowerCase()),
  );
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
  capability: LoadedCapability,
  identity: Identity,
  grants: readonly Grant[],
  outsiderRepositories: ReadonlyMap<string, Map<string, string>>,
): Held | null {
  const names = permissionMatcher(capability, null);
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
function exercises(
  capability: LoadedCapability,
  row: Usage,
  reach: readonly string[],
  iam: IamCatalogue,
): boolean {
  if (row.permission === null || !permissionMatcher(capability, iam)(row.permission)) return false;
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

const matchers = new WeakMap<LoadedCapability, (permission: string) => boolean>();

/**
 * Whether a permission is one the capability names, compiled once per capability: for AWS the catalogue actions its
 * patterns expand to, otherwise its patterns as case-insensitive globs.
 */
function permissionMatcher(
  capability: LoadedCapability,
  iam: IamCatalogue | null,
): (permission: string) => boolean {
  let matcher = matchers.get(capability);
  if (!matcher) {
    if (capability.provider === 'aws' && iam) {
      const actions = new Set(
        capability.permissions.flatMap((p) => expandPattern(p, iam)).map((a) => a.toLowerCase()),
      );
      matcher = (permission) => actions.has(permission.toLowerCase());
    } else {
      const patterns = capability.permissions.map((p) => patternRegExp(p));
      matcher = (permission) => patterns.some((p) => p.test(permission));
    }
    matchers.set(capability, matcher);
  }
  return matcher;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
