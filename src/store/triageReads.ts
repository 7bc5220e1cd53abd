// Reads of the cache that triage needs beyond the report's: one scan's identities, credentials and people.
import type { Credential, Identity } from '../model/types.js';
import type { Db } from './database.js';

/** An identity as triage shows it: the model's, without its tags and provider attributes. */
export type IdentityRow = Omit<Identity, 'tags' | 'attributes'>;

/** A credential as triage shows it: never a secret, at most its public key id and a 4-character hint. */
export type CredentialRow = Omit<Credential, 'status' | 'scopes' | 'fingerprint' | 'attributes'> & {
  status: string;
};

/** A person of the directory, for an owner's status. */
export interface PersonRow {
  id: string;
  name: string | null;
  email: string | null;
  status: 'active' | 'departed' | 'unknown';
}

/** The identities of a scan, by name. */
export function identitiesOfScan(db: Db, scanId: number): IdentityRow[] {
  const rows = db
    .prepare(
      `SELECT id, provider, kind, name, account, arn, is_human, owner, owner_source, purpose, created_at,
         last_used_at, expires_at, is_agent, agent_evidence
       FROM identities WHERE scan_id = ? ORDER BY name, id`,
    )
    .all(scanId) as {
    id: string;
    provider: string;
    kind: string;
    name: string;
    account: string | null;
    arn: string | null;
    is_human: number;
    owner: string | null;
    owner_source: string | null;
    purpose: string | null;
    created_at: string | null;
    last_used_at: string | null;
    expires_at: string | null;
    is_agent: number;
    agent_evidence: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    provider: r.provider,
    kind: r.kind,
    name: r.name,
    account: r.account,
    arn: r.arn,
    isHuman: r.is_human === 1,
    owner: r.owner,
    ownerSource: r.owner_source,
    purpose: r.purpose,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    isAgent: r.is_agent === 1,
    agentEvidence: JSON.parse(r.agent_evidence) as string[],
  }));
}

/** The credentials of a scan (never a secret value: the table holds none). */
export function credentialsOfScan(db: Db, scanId: number): CredentialRow[] {
  return db
    .prepare(
      `SELECT id, identity_id AS identityId, kind, key_id AS keyId, created_at AS createdAt,
         last_rotated_at AS lastRotatedAt, last_used_at AS lastUsedAt, expires_at AS expiresAt, status, hint
       FROM credentials WHERE scan_id = ? ORDER BY identity_id, id`,
    )
    .all(scanId) as CredentialRow[];
}

/** The people of a scan's directory. */
export function peopleOfScan(db: Db, scanId: number): PersonRow[] {
  return db
    .prepare(`SELECT id, name, email, status FROM people WHERE scan_id = ? ORDER BY id`)
    .all(scanId) as PersonRow[];
}

/** The newest finished scan judged as of exactly `asOf` (how triage --demo finds an earlier scan of the demo). */
export function latestFinishedScanAsOf(db: Db, asOf: string): number | null {
  const row = db
    .prepare(
      `SELECT id FROM scans WHERE status IN ('complete', 'partial') AND as_of = ? ORDER BY id DESC LIMIT 1`,
    )
    .get(asOf) as { id: number } | undefined;
  return row?.id ?? null;
}
