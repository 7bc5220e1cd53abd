// Every write to the cache: scan lifecycle, inventory snapshots, findings and suppressions, as bound-parameter statements in batch transactions.
import { createHash } from 'node:crypto';
import type { Db } from './database.js';
import type { CredentialPlace, EnvironmentPlace } from '../analysis/environments.js';
import type {
  Finding,
  IdentityCapability,
  Inventory,
  PermissionSummary,
  RuleStat,
  SourceStatus,
} from '../model/types.js';

const json = (value: unknown): string => JSON.stringify(value ?? null);
const flag = (value: boolean): number => (value ? 1 : 0);

/** Records the start of a scan and returns its id. */
export function beginScan(db: Db, scan: { startedAt: string; asOf: string; since: string | null }): number {
  const result = db
    .prepare(`INSERT INTO scans (started_at, as_of, since, status) VALUES (?, ?, ?, 'running')`)
    .run(scan.startedAt, scan.asOf, scan.since);
  return Number(result.lastInsertRowid);
}

/** Writes a whole inventory snapshot for a scan in one transaction. */
export function writeInventory(db: Db, scanId: number, inventory: Inventory): void {
  const insertIdentity = db.prepare(
    `INSERT OR REPLACE INTO identities (scan_id, id, provider, kind, name, account, arn, is_human, owner, owner_source,
       purpose, created_at, last_used_at, expires_at, is_agent, agent_evidence, tags, attributes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCredential = db.prepare(
    `INSERT OR REPLACE INTO credentials (scan_id, id, identity_id, kind, key_id, created_at, last_rotated_at, last_used_at,
       expires_at, status, scopes, fingerprint, hint, attributes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertGrant = db.prepare(
    `INSERT INTO grants (scan_id, identity_id, permission, resource, effect, not_action, source_policy, conditional)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertUsage = db.prepare(
    `INSERT INTO usage (scan_id, identity_id, credential_id, permission, event_source, event_name, resource, first_seen,
       last_seen, count, user_agents, source_addresses, session_names)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertClient = db.prepare(
    `INSERT INTO client_activity (scan_id, identity_id, credential_id, client_family, automated, agent, source_network,
       count, first_seen, last_seen, peak_per_minute)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPerson = db.prepare(
    `INSERT OR REPLACE INTO people (scan_id, id, name, email, status, source) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertEdge = db.prepare(
    `INSERT INTO edges (scan_id, src, dst, kind, evidence) VALUES (?, ?, ?, ?, ?)`,
  );
  const insertDocument = db.prepare(
    `INSERT OR IGNORE INTO policy_documents (scan_id, hash, document) VALUES (?, ?, ?)`,
  );
  const insertAttachment = db.prepare(
    `INSERT INTO policy_attachments (scan_id, identity_id, source_policy, kind, document_hash) VALUES (?, ?, ?, ?, ?)`,
  );
  const insertResource = db.prepare(
    `INSERT OR REPLACE INTO resources (scan_id, id, provider, kind, name, account, attributes) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );

  db.transaction(() => {
    for (const i of inventory.identities) {
      insertIdentity.run(
        scanId,
        i.id,
        i.provider,
        i.kind,
        i.name,
        i.account,
        i.arn,
        flag(i.isHuman),
        i.owner,
        i.ownerSource,
        i.purpose,
        i.createdAt,
        i.lastUsedAt,
        i.expiresAt,
        flag(i.isAgent),
        json(i.agentEvidence),
        json(i.tags),
        json(i.attributes),
      );
    }
    for (const c of inventory.credentials) {
      insertCredential.run(
        scanId,
        c.id,
        c.identityId,
        c.kind,
        c.keyId,
        c.createdAt,
        c.lastRotatedAt,
        c.lastUsedAt,
        c.expiresAt,
        c.status,
        json(c.scopes),
        c.fingerprint,
        c.hint,
        json(c.attributes),
      );
    }
    for (const g of inventory.grants) {
      insertGrant.run(
        scanId,
        g.identityId,
        g.permission,
        g.resource,
        g.effect,
        flag(g.notAction),
        g.sourcePolicy,
        flag(g.conditional),
      );
    }
    for (const u of inventory.usage) {
      insertUsage.run(
        scanId,
        u.identityId,
        u.credentialId,
        u.permission,
        u.eventSource,
        u.eventName,
        u.resource,
        u.firstSeen,
        u.lastSeen,
        u.count,
        json(u.userAgents),
        json(u.sourceAddresses),
        json(u.sessionNames),
      );
    }
    for (const a of inventory.clientActivity) {
      insertClient.run(
        scanId,
        a.identityId,
        a.credentialId,
        a.clientFamily,
        flag(a.automated),
        flag(a.agent),
        a.sourceNetwork,
        a.count,
        a.firstSeen,
        a.lastSeen,
        a.peakPerMinute,
      );
    }
    for (const p of inventory.people) insertPerson.run(scanId, p.id, p.name, p.email, p.status, p.source);
    for (const e of inventory.edges) insertEdge.run(scanId, e.from, e.to, e.kind, json(e.evidence));
    // A managed policy reaches many identities as one shared object: its text and hash are computed once.
    const hashes = new Map<object, string>();
    for (const p of inventory.policies ?? []) {
      let hash = hashes.get(p.document);
      if (hash === undefined) {
        const text = json(p.document);
        hash = createHash('sha256').update(text).digest('hex');
        hashes.set(p.document, hash);
        insertDocument.run(scanId, hash, text);
      }
      insertAttachment.run(scanId, p.identityId, p.sourcePolicy, p.kind, hash);
    }
    for (const r of inventory.resources ?? []) {
      insertResource.run(scanId, r.id, r.provider, r.kind, r.name, r.account, json(r.attributes));
    }
  })();
}

/**
 * What a scan derives after collection: granted vs used per identity, the accounts the config trusts, the catalogue
 * capabilities each identity holds, and environment isolation (each place's verdict, each credential's places).
 */
export interface DerivedFacts {
  permissionSummaries: readonly PermissionSummary[];
  /** Untrusted reads and consequential writes per identity (rule view `identity_capabilities`); absent: none. */
  capabilities?: readonly IdentityCapability[];
  /** Account ids outside the inventory that belong to the estate (config `trustedAccounts`). */
  trustedAccounts: readonly string[];
  environmentPlaces: readonly EnvironmentPlace[];
  credentialPlaces: readonly CredentialPlace[];
}

/** Writes a scan's derived facts in one transaction. */
export function writeDerivedFacts(db: Db, scanId: number, facts: DerivedFacts): void {
  const insertSummary = db.prepare(
    `INSERT OR REPLACE INTO permission_summaries (scan_id, identity_id, granted_count, granted_conditional, granted_write,
       granted_services, used_count, used_not_granted, unused_count, unused_write, unused_unobservable, unused_services,
       unobservable_services, used_services, boundary, removed_by_boundary, policies_complete, first_used, last_used,
       window_since, window_until, first_event, last_event)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAccount = db.prepare(`INSERT OR IGNORE INTO trusted_accounts (scan_id, account) VALUES (?, ?)`);
  const insertCapability = db.prepare(
    `INSERT OR REPLACE INTO identity_capabilities (scan_id, identity_id, capability_id, kind, title, granted_by, reach,
       used, used_count, used_permissions)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPlace = db.prepare(
    `INSERT OR REPLACE INTO environment_places (scan_id, place, kind, name, label, environment, evidence)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPlacement = db.prepare(
    `INSERT OR REPLACE INTO credential_places (scan_id, credential, credential_kind, label, credential_id, identity_id,
       place, via, agent)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const s of facts.permissionSummaries) {
      insertSummary.run(
        scanId,
        s.identityId,
        s.grantedCount,
        s.grantedConditional,
        s.grantedWrite,
        s.grantedServices,
        s.usedCount,
        s.usedNotGranted,
        s.unusedCount,
        s.unusedWrite,
        s.unusedUnobservable,
        json(s.unusedServices),
        json(s.unobservableServices),
        json(s.usedServices),
        s.boundary,
        s.removedByBoundary,
        flag(s.policiesComplete),
        s.firstUsed,
        s.lastUsed,
        s.window.since,
        s.window.until,
        s.window.firstEvent,
        s.window.lastEvent,
      );
    }
    for (const account of facts.trustedAccounts) insertAccount.run(scanId, account);
    for (const c of facts.capabilities ?? []) {
      insertCapability.run(
        scanId,
        c.identityId,
        c.capabilityId,
        c.kind,
        c.title,
        json(c.grantedBy),
        json(c.reach),
        flag(c.used),
        c.usedCount,
        json(c.usedPermissions),
      );
    }
    for (const p of facts.environmentPlaces) {
      insertPlace.run(scanId, p.place, p.kind, p.name, p.label, p.environment, p.evidence);
    }
    for (const p of facts.credentialPlaces) {
      insertPlacement.run(
        scanId,
        p.credential,
        p.credentialKind,
        p.label,
        p.credentialId,
        p.identityId,
        p.place,
        p.via,
        flag(p.agent),
      );
    }
  })();
}

/** Writes the findings and per-rule counts of a scan in one transaction. */
export function writeFindings(
  db: Db,
  scanId: number,
  findings: ReadonlyArray<Finding & { suppressedBy?: string | null }>,
  stats: readonly RuleStat[],
): void {
  const insertFinding = db.prepare(
    `INSERT OR REPLACE INTO findings (scan_id, id, rule_id, title, severity, category, resource, reason, evidence,
       remediation, refs, suppressed_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertStat = db.prepare(
    `INSERT OR REPLACE INTO rule_stats (scan_id, rule_id, checked, alarms, ok, skipped, suppressed, error, posture)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const f of findings) {
      insertFinding.run(
        scanId,
        f.id,
        f.ruleId,
        f.title,
        f.severity,
        f.category,
        f.resource,
        f.reason,
        json(f.evidence),
        f.remediation,
        json(f.references),
        f.suppressedBy ?? null,
      );
    }
    for (const s of stats) {
      // '' for a rule without a tag: NULL is kept for scans recorded before tags were (migration 7).
      insertStat.run(
        scanId,
        s.ruleId,
        s.checked,
        s.alarms,
        s.ok,
        s.skipped,
        s.suppressed,
        s.error,
        s.posture ?? '',
      );
    }
  })();
}

/** Closes a scan with its final status, per-source outcome and coverage. */
export function finishScan(
  db: Db,
  scanId: number,
  outcome: {
    finishedAt: string;
    status: 'complete' | 'partial' | 'failed';
    sources: readonly SourceStatus[];
    coverage: object;
    error?: string;
  },
): void {
  const insertSource = db.prepare(
    `INSERT OR REPLACE INTO scan_sources (scan_id, name, status, detail) VALUES (?, ?, ?, ?)`,
  );
  db.transaction(() => {
    db.prepare(`UPDATE scans SET finished_at = ?, status = ?, coverage = ?, error = ? WHERE id = ?`).run(
      outcome.finishedAt,
      outcome.status,
      json(outcome.coverage),
      outcome.error ?? null,
      scanId,
    );
    for (const s of outcome.sources) insertSource.run(scanId, s.name, s.status, s.detail);
  })();
}

/** Removes the rows of a scan that failed, keeping its scans row as a record of the failure. */
export function discardScanRows(db: Db, scanId: number): void {
  const tables = [
    'identities',
    'credentials',
    'grants',
    'usage',
    'client_activity',
    'people',
    'edges',
    'findings',
    'rule_stats',
    'policy_documents',
    'policy_attachments',
    'permission_summaries',
    'trusted_accounts',
    'resources',
    'identity_capabilities',
    'environment_places',
    'credential_places',
  ];
  db.transaction(() => {
    for (const table of tables) {
      // Table names come from the fixed list above, never from input.
      db.prepare(`DELETE FROM ${table} WHERE scan_id = ?`).run(scanId);
    }
  })();
}

/** A suppression of one finding, by its stable fingerprint. */
export interface Suppression {
  fingerprint: string;
  ruleId: string | null;
  resource: string | null;
  reason: string;
  expiresAt: string | null;
  createdAt: string;
  createdBy: string | null;
}

/** Adds or replaces a suppression. */
export function saveSuppression(db: Db, s: Suppression): void {
  db.prepare(
    `INSERT OR REPLACE INTO suppressions (fingerprint, rule_id, resource, reason, expires_at, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(s.fingerprint, s.ruleId, s.resource, s.reason, s.expiresAt, s.createdAt, s.createdBy);
}

/** Removes a suppression; returns whether there was one. */
export function deleteSuppression(db: Db, fingerprint: string): boolean {
  return db.prepare(`DELETE FROM suppressions WHERE fingerprint = ?`).run(fingerprint).changes > 0;
}
