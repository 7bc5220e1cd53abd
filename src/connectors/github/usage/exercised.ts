// Which permission a call exercised, given what the endpoint may need and what the caller was granted.
import type { EndpointPermissions } from './permissionTable.js';

const RANK: Record<string, number> = { read: 1, write: 2, admin: 3 };

/** Granted permissions as key → strongest level (`contents` → `write`). */
export function grantLevels(permissions: readonly string[]): Map<string, string> {
  const levels = new Map<string, string>();
  for (const permission of permissions) {
    const at = permission.lastIndexOf(':');
    if (at <= 0) continue;
    const key = permission.slice(0, at);
    const level = permission.slice(at + 1);
    if ((RANK[level] ?? 0) > (RANK[levels.get(key) ?? ''] ?? 0)) levels.set(key, level);
  }
  return levels;
}

/**
 * The permissions a call to `endpoint` exercised. One candidate: that one. Several (GitHub lists alternatives or
 * additional permissions, e.g. an issue comment needs `issues:write` on an issue and `pull_requests:write` on a pull
 * request): the candidates the caller holds at a sufficient level; when it holds several, all of them are kept
 * (`ambiguous`), so right-sizing never drops a permission the call may have needed.
 */
export function exercisedPermissions(
  endpoint: EndpointPermissions,
  granted: ReadonlyMap<string, string>,
): { permissions: string[]; ambiguous: boolean } {
  if (endpoint.permissions.length <= 1) return { permissions: endpoint.permissions, ambiguous: false };
  const held = endpoint.permissions.filter((permission) => {
    const at = permission.lastIndexOf(':');
    const level = granted.get(permission.slice(0, at));
    return level !== undefined && (RANK[level] ?? 0) >= (RANK[permission.slice(at + 1)] ?? 0);
  });
  if (held.length === 1) return { permissions: held, ambiguous: false };
  return { permissions: held.length > 0 ? held : endpoint.permissions, ambiguous: true };
}
