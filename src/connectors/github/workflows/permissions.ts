// The GITHUB_TOKEN's permission scopes: `permissions:` blocks (maps and the read-all / write-all shorthands) and the
// repository defaults (restricted "read" or permissive "write"), as GitHub documents them.

/** Every scope a `permissions:` block can set (`metadata` is always read and cannot be set). */
export const TOKEN_SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
] as const;
/** A scope of the workflow token. */
export type TokenScope = (typeof TOKEN_SCOPES)[number];
/** A scope's level. */
export type TokenLevel = 'none' | 'read' | 'write';
/** The token's permissions: every scope with its level. */
export type TokenPermissions = Record<TokenScope, TokenLevel>;

const RANK: Record<TokenLevel, number> = { none: 0, read: 1, write: 2 };

/** The stronger of two levels. */
export const maxLevel = (a: TokenLevel, b: TokenLevel): TokenLevel => (RANK[a] >= RANK[b] ? a : b);
/** Whether `have` covers `need`. */
export const covers = (have: TokenLevel, need: TokenLevel): boolean => RANK[have] >= RANK[need];

/** Scopes that accept only some levels: `id-token` is write or none, `models` read or none. */
const ONLY: Partial<Record<TokenScope, TokenLevel[]>> = {
  'id-token': ['none', 'write'],
  models: ['none', 'read'],
};

function allAt(level: TokenLevel): TokenPermissions {
  const permissions = {} as TokenPermissions;
  for (const scope of TOKEN_SCOPES) {
    const allowed = ONLY[scope];
    permissions[scope] =
      allowed && !allowed.includes(level) ? (level === 'write' ? allowed.at(-1)! : 'none') : level;
  }
  return permissions;
}

/** No permission at all (`permissions: {}`). */
export const noPermissions = (): TokenPermissions => allAt('none');

/**
 * The token when a workflow sets no `permissions:`: the repository's default. "read" (restricted) gives contents,
 * packages and models read; "write" (permissive, the old default) gives every scope read/write except `id-token`.
 */
export function defaultPermissions(mode: 'read' | 'write'): TokenPermissions {
  if (mode === 'write') return { ...allAt('write'), 'id-token': 'none', models: 'read' };
  return { ...noPermissions(), contents: 'read', packages: 'read', models: 'read' };
}

/** A `permissions:` value as written, understood. */
export interface DeclaredPermissions {
  permissions: TokenPermissions;
  /** `read-all` / `write-all` when the shorthand was used. */
  shorthand: 'read-all' | 'write-all' | null;
  /** Keys or values GitHub would reject, kept for the report. */
  problems: string[];
}

/**
 * Reads a `permissions:` value: `read-all`, `write-all`, `{}` (nothing), or a map of scope → read/write/none where
 * unlisted scopes get none. Returns null when the value is absent (the next level's permissions apply).
 */
export function parsePermissions(value: unknown): DeclaredPermissions | null {
  if (value === undefined || value === null) return null;
  if (value === 'read-all') return { permissions: allAt('read'), shorthand: 'read-all', problems: [] };
  if (value === 'write-all') return { permissions: allAt('write'), shorthand: 'write-all', problems: [] };
  const permissions = noPermissions();
  const problems: string[] = [];
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      permissions,
      shorthand: null,
      problems: [`permissions must be a map, read-all or write-all: ${String(value)}`],
    };
  }
  for (const [key, level] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'metadata') continue;
    if (!(TOKEN_SCOPES as readonly string[]).includes(key)) {
      problems.push(`unknown permission scope "${key}"`);
      continue;
    }
    if (level !== 'read' && level !== 'write' && level !== 'none') {
      problems.push(`scope ${key} has level "${String(level)}" (read, write or none)`);
      continue;
    }
    permissions[key as TokenScope] = level;
  }
  return { permissions, shorthand: null, problems };
}

/** Only the scopes above none, as a plain object: `{ contents: 'read', 'id-token': 'write' }`. */
export function grantedScopes(permissions: TokenPermissions): Partial<Record<TokenScope, TokenLevel>> {
  const out: Partial<Record<TokenScope, TokenLevel>> = {};
  for (const scope of TOKEN_SCOPES) if (permissions[scope] !== 'none') out[scope] = permissions[scope];
  return out;
}

/** Whether every scope that can be written is written: what `write-all` and the permissive default give. */
export function isWriteAll(permissions: TokenPermissions): boolean {
  return TOKEN_SCOPES.filter((scope) => scope !== 'id-token' && scope !== 'models').every(
    (scope) => permissions[scope] === 'write',
  );
}
