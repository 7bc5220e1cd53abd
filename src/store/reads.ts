// Reads of the cache that reports, triage and the CLI need: scans, their sources, findings, rule counts, suppressions.
import type { Db } from './database.js';
import type { Suppression } from './writes.js';
import type {
  Category,
  Finding,
  JsonObject,
  RuleReference,
  RuleStat,
  Severity,
  SourceStatus,
} from '../model/types.js';

/** A scan as recorded in the cache. */
export interface ScanRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  asOf: string;
  since: string | null;
  status: 'running' | 'complete' | 'partial' | 'failed';
  coverage: JsonObject;
  error: string | null;
  sources: SourceStatus[];
}

/** A finding as stored, with the suppression that hides it, if any. */
export interface StoredFinding extends Finding {
  suppressedBy: string | null;
}

interface ScanRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  as_of: string;
  since: string | null;
  status: ScanRecord['status'];
  coverage: string;
  error: string | null;
}

/** The newest scan that finished (complete or partial), or null when there is none. */
export function latestFinishedScanId(db: Db): number | null {
  const row = db
    .prepare(`SELECT id FROM scans WHERE status IN ('complete', 'partial') ORDER BY id DESC LIMIT 1`)
    .get() as { id: number } | undefined;
  return row?.id ?? null;
}

/** One scan with its sources, or null. */
export function getScan(db: Db, scanId: number): ScanRecord | null {
  const row = db.prepare(`SELECT * FROM scans WHERE id = ?`).get(scanId) as ScanRow | undefined;
  if (!row) return null;
  const sources = db
    .prepare(`SELECT name, status, detail FROM scan_sources WHERE scan_id = ? ORDER BY rowid`)
    .all(scanId) as SourceStatus[];
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    asOf: row.as_of,
    since: row.since,
    status: row.status,
    coverage: JSON.parse(row.coverage) as JsonObject,
    error: row.error,
    sources,
  };
}

/** Every scan, newest first. */
export function listScans(db: Db): ScanRecord[] {
  const ids = db.prepare(`SELECT id FROM scans ORDER BY id DESC`).all() as { id: number }[];
  return ids.map(({ id }) => getScan(db, id)).filter((scan): scan is ScanRecord => scan !== null);
}

interface FindingRow {
  id: string;
  rule_id: string;
  title: string;
  severity: Severity;
  category: Category;
  resource: string;
  reason: string;
  evidence: string;
  remediation: string;
  refs: string;
  suppressed_by: string | null;
}

/** The findings of a scan, most severe first. */
export function getFindings(db: Db, scanId: number): StoredFinding[] {
  const rows = db
    .prepare(
      `SELECT * FROM findings WHERE scan_id = ?
       ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END,
                rule_id, resource`,
    )
    .all(scanId) as FindingRow[];
  return rows.map((row) => ({
    id: row.id,
    ruleId: row.rule_id,
    title: row.title,
    severity: row.severity,
    category: row.category,
    resource: row.resource,
    status: 'alarm',
    reason: row.reason,
    evidence: JSON.parse(row.evidence) as JsonObject,
    remediation: row.remediation,
    references: JSON.parse(row.refs) as RuleReference[],
    suppressedBy: row.suppressed_by,
  }));
}

/**
 * The posture tags the rules of a scan ran with (rule id → property), or null for a scan recorded before they were
 * kept (migration 7): the caller then uses the built-in rules' tags.
 */
export function rulePostureOfScan(db: Db, scanId: number): Map<string, string> | null {
  const rows = db
    .prepare(`SELECT rule_id, posture FROM rule_stats WHERE scan_id = ? ORDER BY rule_id`)
    .all(scanId) as { rule_id: string; posture: string | null }[];
  if (rows.length > 0 && rows.every((r) => r.posture === null)) return null;
  return new Map(rows.flatMap((r) => (r.posture ? [[r.rule_id, r.posture] as const] : [])));
}

/** Per-rule counts of a scan. */
export function getRuleStats(db: Db, scanId: number): RuleStat[] {
  const rows = db.prepare(`SELECT * FROM rule_stats WHERE scan_id = ? ORDER BY rule_id`).all(scanId) as {
    rule_id: string;
    checked: number;
    alarms: number;
    ok: number;
    skipped: number;
    suppressed: number;
    error: string | null;
    posture: string | null;
  }[];
  return rows.map((r) => ({
    ruleId: r.rule_id,
    posture: r.posture === '' ? null : r.posture,
    checked: r.checked,
    alarms: r.alarms,
    ok: r.ok,
    skipped: r.skipped,
    suppressed: r.suppressed,
    error: r.error,
  }));
}

/** Every suppression recorded in the cache. */
export function listSuppressions(db: Db): Suppression[] {
  const rows = db.prepare(`SELECT * FROM suppressions ORDER BY created_at`).all() as {
    fingerprint: string;
    rule_id: string | null;
    resource: string | null;
    reason: string;
    expires_at: string | null;
    created_at: string;
    created_by: string | null;
  }[];
  return rows.map((r) => ({
    fingerprint: r.fingerprint,
    ruleId: r.rule_id,
    resource: r.resource,
    reason: r.reason,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
  }));
}
