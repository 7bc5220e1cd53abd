// The documented views rule SQL reads: one scan's snapshot, on a connection that cannot write.
import Database from 'better-sqlite3';
import type { Db } from './database.js';
import { openDatabaseReadOnly } from './database.js';

/**
 * The views a rule may query, each the current scan's rows of the table of the same name (scan_id removed),
 * plus `identity_activity`, `permission_summary` (granted vs used), `policy_attachments`, `estate_accounts`,
 * `resources`, `identity_capabilities` (the confused-deputy catalogue's matches), `environment_places` (each place's
 * prod / non-prod verdict) and `credential_places` (where each credential is seen).
 * Documented in docs/rules.md; changing a column here is a breaking change for users' rules.
 */
export const RULE_VIEWS: Readonly<Record<string, string>> = {
  identities: `SELECT id, provider, kind, name, account, arn, is_human, owner, owner_source, purpose, created_at,
      last_used_at, expires_at, is_agent, agent_evidence, tags, attributes
    FROM main.identities WHERE scan_id = (SELECT id FROM temp.current_scan)`,
  credentials: `SELECT id, identity_id, kind, key_id, created_at, last_rotated_at, last_used_at, expires_at, status,
      scopes, fingerprint, hint, attributes
    FROM main.credentials WHERE scan_id = (SELECT id FROM temp.current_scan)`,
  grants: `SELECT identity_id, permission, resource, effect, not_action, source_policy, conditional
    FROM main.grants WHERE scan_id = (SELECT id FROM temp.current_scan)`,
  usage: `SELECT identity_id, credential_id, permission, event_source, event_name, resource, first_seen, last_seen,
      count, user_agents, source_addresses, session_names
    FROM main.usage WHERE scan_id = (SELECT id FROM temp.current_scan)`,
  client_activity: `SELECT identity_id, credential_id, client_family, automated, agent, source_network, count,
      first_seen, last_seen, peak_per_minute
    FROM main.client_activity WHERE scan_id = (SELECT id FROM temp.current_scan)`,
  people: `SELECT id, name, email, status, source
    FROM main.people WHERE scan_id = (SELECT id FROM temp.current_scan)`,
  edges: `SELECT src, dst, kind, evidence
    FROM main.edges WHERE scan_id = (SELECT id FROM temp.current_scan)`,
  // Identities with the facts most rules join on: last activity from any source; service-linked (managed by AWS);
  // observed only in logs; non_human (not a person's sign-in, not AWS-managed, not an Identity Center permission set).
  identity_activity: `SELECT i.id, i.kind, i.name, i.arn, i.is_human, i.is_agent, i.owner, i.created_at,
      nullif(max(coalesce(i.last_used_at, ''), coalesce((SELECT max(u.last_seen) FROM temp.usage u WHERE u.identity_id = i.id), ''),
          coalesce((SELECT max(c.last_used_at) FROM temp.credentials c WHERE c.identity_id = i.id), '')), '') AS last_activity_at,
      coalesce(json_extract(i.attributes, '$.service_linked'), 0) AS service_linked,
      coalesce(json_extract(i.attributes, '$.observed_only'), 0) AS observed_only,
      CASE WHEN i.is_human = 0 AND coalesce(json_extract(i.attributes, '$.service_linked'), 0) = 0
             AND i.kind <> 'aws-root' AND i.name NOT LIKE 'AWSReservedSSO!_%' ESCAPE '!' THEN 1 ELSE 0 END AS non_human
    FROM temp.identities i`,
  // Granted vs used per identity, derived during the scan (see README "Right-sizing and granted vs used").
  permission_summary: `SELECT identity_id, granted_count, granted_conditional, granted_write, granted_services, used_count,
      used_not_granted, unused_count, unused_write, unused_unobservable, unused_services, unobservable_services,
      used_services, boundary, removed_by_boundary, policies_complete, first_used, last_used, window_since, window_until,
      first_event, last_event,
      CASE WHEN first_event IS NULL THEN NULL ELSE round(julianday(last_event) - julianday(first_event), 2) END AS window_days,
      CASE WHEN granted_count = 0 THEN NULL ELSE round(1.0 * used_count / granted_count, 6) END AS used_share
    FROM main.permission_summaries WHERE scan_id = (SELECT id FROM temp.current_scan)`,
  policy_attachments: `SELECT a.identity_id, a.source_policy, a.kind, d.document
    FROM main.policy_attachments a
    JOIN main.policy_documents d ON d.scan_id = a.scan_id AND d.hash = a.document_hash
    WHERE a.scan_id = (SELECT id FROM temp.current_scan)`,
  // What identities act on (GitHub repositories: visibility, outside writers).
  resources: `SELECT id, provider, kind, name, account, attributes
    FROM main.resources WHERE scan_id = (SELECT id FROM temp.current_scan)`,
  // Catalogue capabilities per identity (rules/capabilities/*.yaml): untrusted reads and consequential writes.
  identity_capabilities: `SELECT identity_id, capability_id, kind, title, granted_by, reach, used, used_count,
      used_permissions
    FROM main.identity_capabilities WHERE scan_id = (SELECT id FROM temp.current_scan)`,
  // The accounts of the estate: every account an inventoried (not only observed) identity lives in, and the config's.
  estate_accounts: `SELECT DISTINCT i.account, 'inventory' AS source FROM temp.identities i
      WHERE i.account IS NOT NULL AND coalesce(json_extract(i.attributes, '$.observed_only'), 0) = 0
    UNION SELECT t.account, 'config' AS source FROM main.trusted_accounts t
      WHERE t.scan_id = (SELECT id FROM temp.current_scan)`,
  // Environment isolation, derived during the scan (see README "Environment isolation").
  environment_places: `SELECT place, kind, name, label, environment, evidence
    FROM main.environment_places WHERE scan_id = (SELECT id FROM temp.current_scan)`,
  credential_places: `SELECT credential, credential_kind, label, credential_id, identity_id, place, via, agent
    FROM main.credential_places WHERE scan_id = (SELECT id FROM temp.current_scan)`,
};

/** Runs `fn` with a read-only connection to `file` on which the rule views show scan `scanId`. */
export function withRuleReader<T>(file: string, scanId: number, fn: (db: Db) => T): T {
  const db = openDatabaseReadOnly(file);
  try {
    installRuleViews(db, scanId);
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * Creates the rule views on `db` for scan `scanId`, then forbids writes on the connection (`query_only`),
 * so a rule — even a user's — cannot change the cache. Used directly on in-memory databases by rule tests.
 */
export function installRuleViews(db: Db, scanId: number): void {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS current_scan (id INTEGER NOT NULL)');
  db.prepare('DELETE FROM temp.current_scan').run();
  db.prepare('INSERT INTO temp.current_scan (id) VALUES (?)').run(scanId);
  for (const [name, sql] of Object.entries(RULE_VIEWS)) {
    // View names and bodies are constants of this module, never input.
    db.exec(`DROP VIEW IF EXISTS temp.${name}`);
    db.exec(`CREATE TEMP VIEW ${name} AS ${sql}`);
  }
  db.pragma('query_only = ON');
}

/** Whether a value is a better-sqlite3 error (for messages that name the rule). */
export function isSqliteError(error: unknown): error is Database.SqliteError {
  return error instanceof Database.SqliteError;
}
