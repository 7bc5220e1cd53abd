// Reads of the cache that right-sizing needs: one identity by ARN, id or name, its grants and its mapped usage.
import type { Db } from './database.js';
import type { Grant } from '../model/types.js';

/** The identity facts right-sizing shows. */
export interface IdentityRef {
  id: string;
  name: string;
  arn: string | null;
  kind: string;
  provider: string;
}

/** One aggregated usage row: the mapped permission, its resource and when it was seen. */
export interface UsageRef {
  permission: string | null;
  resource: string | null;
  firstSeen: string;
  lastSeen: string;
  count: number;
}

/** Identities of a scan whose id, ARN or name equals `selector` exactly. */
export function findIdentities(db: Db, scanId: number, selector: string): IdentityRef[] {
  return db
    .prepare(
      `SELECT id, name, arn, kind, provider FROM identities
       WHERE scan_id = ? AND (id = ? OR arn = ? OR name = ?) ORDER BY id`,
    )
    .all(scanId, selector, selector, selector) as IdentityRef[];
}

/** Up to `limit` identities whose name or ARN contains `fragment` (case-insensitive), for "did you mean". */
export function similarIdentities(db: Db, scanId: number, fragment: string, limit = 10): IdentityRef[] {
  const like = `%${fragment.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return db
    .prepare(
      `SELECT id, name, arn, kind, provider FROM identities
       WHERE scan_id = ? AND (name LIKE ? ESCAPE '\\' OR arn LIKE ? ESCAPE '\\') ORDER BY name LIMIT ?`,
    )
    .all(scanId, like, like, limit) as IdentityRef[];
}

/** The grants of one identity in a scan, as stored (patterns not expanded). */
export function grantsOfIdentity(db: Db, scanId: number, identityId: string): Grant[] {
  const rows = db
    .prepare(
      `SELECT identity_id, permission, resource, effect, not_action, source_policy, conditional
       FROM grants WHERE scan_id = ? AND identity_id = ?`,
    )
    .all(scanId, identityId) as {
    identity_id: string;
    permission: string;
    resource: string;
    effect: 'allow' | 'deny';
    not_action: number;
    source_policy: string;
    conditional: number;
  }[];
  return rows.map((r) => ({
    identityId: r.identity_id,
    permission: r.permission,
    resource: r.resource,
    effect: r.effect,
    notAction: r.not_action === 1,
    sourcePolicy: r.source_policy,
    conditional: r.conditional === 1,
  }));
}

/** The usage rows of one identity in a scan (all credentials), mapped or not. */
export function usageOfIdentity(db: Db, scanId: number, identityId: string): UsageRef[] {
  return db
    .prepare(
      `SELECT permission, resource, first_seen AS firstSeen, last_seen AS lastSeen, count
       FROM usage WHERE scan_id = ? AND identity_id = ?`,
    )
    .all(scanId, identityId) as UsageRef[];
}
