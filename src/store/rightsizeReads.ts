// Reads of the cache that right-sizing needs: one identity by ARN, id or name, its policies, grants and usage.
import type { Db } from './database.js';
import type { Grant, Identity, JsonObject, UsageSummary } from '../model/types.js';

/** The identity facts right-sizing shows. */
export type IdentityRef = Pick<
  Identity,
  'id' | 'name' | 'arn' | 'kind' | 'provider' | 'isAgent' | 'agentEvidence' | 'attributes'
>;

/** One aggregated usage row: the mapped permission, its resource, the credential and when it was seen. */
export type UsageRef = UsageSummary;

interface IdentityRow {
  id: string;
  name: string;
  arn: string | null;
  kind: string;
  provider: string;
  is_agent: number;
  agent_evidence: string;
  attributes: string;
}

const IDENTITY_COLUMNS = 'id, name, arn, kind, provider, is_agent, agent_evidence, attributes';

function identityOf(row: IdentityRow): IdentityRef {
  return {
    id: row.id,
    name: row.name,
    arn: row.arn,
    kind: row.kind,
    provider: row.provider,
    isAgent: row.is_agent === 1,
    agentEvidence: JSON.parse(row.agent_evidence) as string[],
    attributes: JSON.parse(row.attributes) as JsonObject,
  };
}

/** Identities of a scan whose id, ARN or name equals `selector` exactly. */
export function findIdentities(db: Db, scanId: number, selector: string): IdentityRef[] {
  const rows = db
    .prepare(
      `SELECT ${IDENTITY_COLUMNS} FROM identities
       WHERE scan_id = ? AND (id = ? OR arn = ? OR name = ?) ORDER BY id`,
    )
    .all(scanId, selector, selector, selector) as IdentityRow[];
  return rows.map(identityOf);
}

/** Up to `limit` identities whose name or ARN contains `fragment` (case-insensitive), for "did you mean". */
export function similarIdentities(db: Db, scanId: number, fragment: string, limit = 10): IdentityRef[] {
  const like = `%${fragment.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const rows = db
    .prepare(
      `SELECT ${IDENTITY_COLUMNS} FROM identities
       WHERE scan_id = ? AND (name LIKE ? ESCAPE '\\' OR arn LIKE ? ESCAPE '\\') ORDER BY name LIMIT ?`,
    )
    .all(scanId, like, like, limit) as IdentityRow[];
  return rows.map(identityOf);
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

/** The policy documents reaching one identity in a scan: its identity policies and its permission boundary. */
export function policiesOfIdentity(
  db: Db,
  scanId: number,
  identityId: string,
): { kind: 'identity' | 'boundary'; sourcePolicy: string; document: JsonObject }[] {
  const rows = db
    .prepare(
      `SELECT a.kind, a.source_policy, d.document FROM policy_attachments a
       JOIN policy_documents d ON d.scan_id = a.scan_id AND d.hash = a.document_hash
       WHERE a.scan_id = ? AND a.identity_id = ? ORDER BY a.rowid`,
    )
    .all(scanId, identityId) as { kind: 'identity' | 'boundary'; source_policy: string; document: string }[];
  return rows.map((r) => ({
    kind: r.kind,
    sourcePolicy: r.source_policy,
    document: JSON.parse(r.document) as JsonObject,
  }));
}

/** The usage rows of one identity in a scan (all credentials), mapped or not. */
export function usageOfIdentity(db: Db, scanId: number, identityId: string): UsageRef[] {
  const rows = db
    .prepare(
      `SELECT credential_id, permission, resource, first_seen, last_seen, count, session_names
       FROM usage WHERE scan_id = ? AND identity_id = ?`,
    )
    .all(scanId, identityId) as {
    credential_id: string | null;
    permission: string | null;
    resource: string | null;
    first_seen: string;
    last_seen: string;
    count: number;
    session_names: string;
  }[];
  return rows.map((r) => ({
    credentialId: r.credential_id,
    permission: r.permission,
    resource: r.resource,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    count: r.count,
    sessionNames: JSON.parse(r.session_names) as string[],
  }));
}

/** Every distinct mapped IAM action the scan saw used, by any AWS identity (GitHub usage holds permissions, not actions). */
export function usedActionsOfScan(db: Db, scanId: number): string[] {
  const rows = db
    .prepare(
      `SELECT DISTINCT u.permission FROM usage u
       WHERE u.scan_id = ? AND u.permission IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM identities i WHERE i.scan_id = u.scan_id AND i.id = u.identity_id AND i.provider <> 'aws')`,
    )
    .all(scanId) as { permission: string }[];
  return rows.map((r) => r.permission);
}
