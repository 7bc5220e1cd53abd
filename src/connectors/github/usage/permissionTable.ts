// GitHub's own endpoint → fine-grained permission tables (github/docs), loaded once, and a matcher for API routes.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The folder holding GitHub's tables and their licences (shipped with the package). */
export const GITHUB_PERMISSIONS_DIR = fileURLToPath(
  new URL('../../../../data/github-permissions/', import.meta.url),
);

/** Which table: fine-grained PATs, or GitHub App installation (server-to-server) tokens. */
export type TokenKind = 'fine-grained-pat' | 'installation';

const TABLE_FILES: Record<TokenKind, string> = {
  'fine-grained-pat': 'fine-grained-pat-permissions.json',
  installation: 'server-to-server-permissions.json',
};

interface RawEntry {
  verb: string;
  requestPath: string;
  access: string;
  'additional-permissions'?: boolean;
}
type RawTable = Record<string, { title?: string; permissions?: RawEntry[] }>;

/** What an endpoint needs: the permissions GitHub lists for it, each `key:read` or `key:write`. */
export interface EndpointPermissions {
  /** The table's path template, e.g. `/repos/{owner}/{repo}/contents/{path}`. */
  template: string;
  /**
   * Distinct permissions GitHub lists for the endpoint. Several means the endpoint needs one of them depending on
   * the target (an issue comment on a pull request needs `pull_requests:write`, on an issue `issues:write`) or an
   * additional one in some cases (writing a workflow file also needs `workflows:write`).
   */
  permissions: string[];
  /** True when GitHub marks the endpoint as needing additional permissions (so `permissions` has alternatives). */
  additional: boolean;
}

/** One table, indexed for route lookups. */
export interface PermissionTable {
  kind: TokenKind;
  /** Number of endpoint entries read from the file. */
  entries: number;
  /** The permission keys the table knows (`contents`, `organization_administration`, …). */
  keys: ReadonlySet<string>;
  /** What `method route` needs, or null when the table does not list it. */
  lookup(method: string, route: string): EndpointPermissions | null;
}

interface IndexedTemplate {
  method: string;
  template: string;
  segments: string[];
  /** Count of literal segments: a template with more literals is the more specific match. */
  literals: number;
  permissions: Set<string>;
  additional: boolean;
}

const cache = new Map<string, PermissionTable>();

/** Loads (once per process) the table for `kind` from `dir` (default: the shipped copy). */
export function loadPermissionTable(kind: TokenKind, dir: string = GITHUB_PERMISSIONS_DIR): PermissionTable {
  const file = `${dir}/${TABLE_FILES[kind]}`;
  const cached = cache.get(file);
  if (cached) return cached;
  const table = buildPermissionTable(kind, JSON.parse(fs.readFileSync(file, 'utf8')) as RawTable);
  cache.set(file, table);
  return table;
}

/** Builds a matcher from a table's JSON (`{ key: { permissions: [{ verb, requestPath, access }] } }`). Pure. */
export function buildPermissionTable(kind: TokenKind, raw: RawTable): PermissionTable {
  const byRoute = new Map<string, IndexedTemplate>();
  let entries = 0;
  for (const [key, section] of Object.entries(raw)) {
    for (const entry of section.permissions ?? []) {
      entries += 1;
      const method = entry.verb.toUpperCase();
      const template = entry.requestPath;
      const id = `${method} ${template}`;
      const indexed = byRoute.get(id) ?? {
        method,
        template,
        segments: splitRoute(template),
        literals: 0,
        permissions: new Set<string>(),
        additional: false,
      };
      indexed.literals = indexed.segments.filter((segment) => segment !== PARAM).length;
      indexed.permissions.add(`${key}:${entry.access === 'write' ? 'write' : 'read'}`);
      indexed.additional ||= entry['additional-permissions'] === true;
      byRoute.set(id, indexed);
    }
  }
  const byMethod = new Map<string, IndexedTemplate[]>();
  for (const indexed of byRoute.values()) {
    const list = byMethod.get(indexed.method) ?? [];
    list.push(indexed);
    byMethod.set(indexed.method, list);
  }
  // Most specific first: more literal segments, then longer templates.
  for (const list of byMethod.values())
    list.sort((a, b) => b.literals - a.literals || b.segments.length - a.segments.length);
  return {
    kind,
    entries,
    keys: new Set(Object.keys(raw)),
    lookup(method, route) {
      const segments = splitRoute(canonicalRoute(route));
      const candidates = byMethod.get(method.toUpperCase()) ?? [];
      const found =
        candidates.find((candidate) => matches(candidate.segments, segments, false)) ??
        candidates.find((candidate) => matches(candidate.segments, segments, true));
      if (!found) return null;
      return {
        template: found.template,
        permissions: [...found.permissions].sort(),
        additional: found.additional,
      };
    },
  };
}

const PARAM = '{}';

/**
 * A route in the tables' form. API Insights writes parameters as `:name` and addresses repositories by id
 * (`/repositories/:repository_id/...`); the tables write `{name}` and `/repos/{owner}/{repo}/...`. Query strings
 * and trailing slashes are dropped.
 */
export function canonicalRoute(route: string): string {
  let path = route.split('?')[0]!.replace(/\/+$/, '');
  if (!path.startsWith('/')) {
    // A full URL: keep the path after the host, and after GitHub Enterprise Server's /api/v3 prefix.
    try {
      path = new URL(path).pathname;
    } catch {
      path = `/${path}`;
    }
  }
  path = path.replace(/^\/api\/v3(?=\/)/, '');
  path = path.replace(/\/:([A-Za-z_][A-Za-z0-9_]*)/g, '/{$1}');
  path = path.replace(/\/\*([A-Za-z_][A-Za-z0-9_]*)/g, '/{$1}');
  path = path.replace(/^\/repositories\/\{[^}]+\}(?=\/|$)/, '/repos/{owner}/{repo}');
  path = path.replace(/^\/organizations\/\{[^}]+\}(?=\/|$)/, '/orgs/{org}');
  path = path.replace(/^\/repositories\/\d+(?=\/|$)/, '/repos/{owner}/{repo}');
  path = path.replace(/^\/organizations\/\d+(?=\/|$)/, '/orgs/{org}');
  return path === '' ? '/' : path;
}

function splitRoute(route: string): string[] {
  return route
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (/^\{[^}]+\}$/.test(segment) ? PARAM : segment));
}

/**
 * Whether a template matches a route: literals equal, a template parameter matches any one segment (a route's own
 * parameter included). With `greedy`, a template's last parameter also takes the rest of a longer route, as
 * `{path}` of `/repos/{owner}/{repo}/contents/{path}` takes `src/index.ts`.
 */
function matches(template: string[], route: string[], greedy: boolean): boolean {
  if (!greedy && template.length !== route.length) return false;
  if (greedy && (route.length <= template.length || template.at(-1) !== PARAM)) return false;
  for (let i = 0; i < template.length; i += 1) {
    const t = template[i]!;
    const r = route[i]!;
    if (t === PARAM) continue;
    if (t !== r) return false;
  }
  return true;
}
