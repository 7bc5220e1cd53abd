// Runs the scan service over planned sources into a fresh cache file, and reads back what a user would see.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PlannedSource, RegisteredSource } from '../../src/connectors/contract.js';
import type { StoredFinding } from '../../src/store/reads.js';
import { getFindings, getScan, type ScanRecord } from '../../src/store/reads.js';
import { runScan } from '../../src/scan/service.js';
import { openDatabaseReadOnly } from '../../src/store/database.js';

/** The scan as stored: its record, findings and any row of the cache. */
export interface ScannedEstate {
  dbPath: string;
  scan: ScanRecord;
  findings: StoredFinding[];
  /** Alarmed resources of one rule, sorted. */
  alarms(ruleId: string): string[];
  /** Rows of a read-only query over the cache's tables (this scan's rows: filter on scan_id = :scan). */
  rows<T>(sql: string): T[];
}

/** Plans a registered source with the given flag values and environment, or throws if it declines. */
export function plan(
  source: RegisteredSource,
  values: Record<string, unknown>,
  env: Record<string, string | undefined>,
): PlannedSource {
  const planned = source.plan(values, env);
  if (!planned) throw new Error(`${source.id} was not planned`);
  return planned;
}

/** Scans the sources as of `asOf` with a 90-day window, into a fresh cache file unless one is given. */
export async function scanWith(
  sources: PlannedSource[],
  asOf = '2026-10-30T12:00:00Z',
  env: Record<string, string | undefined> = {},
  dbPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-saas-')), 'agentaudit.db'),
): Promise<ScannedEstate> {
  const since = new Date(Date.parse(asOf) - 90 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const outcome = await runScan({
    dbPath,
    asOf,
    since,
    sources,
    rulesDirs: [],
    config: {},
    baseline: null,
    concurrency: 1,
    env,
  });
  const db = openDatabaseReadOnly(dbPath);
  try {
    const scan = getScan(db, outcome.scanId)!;
    const findings = getFindings(db, outcome.scanId);
    return {
      dbPath,
      scan,
      findings,
      alarms: (ruleId) =>
        findings
          .filter((finding) => finding.ruleId === ruleId)
          .map((finding) => finding.resource)
          .sort(),
      rows: <T>(sql: string) => {
        const reader = openDatabaseReadOnly(dbPath);
        try {
          return reader.prepare(sql).all({ scan: outcome.scanId }) as T[];
        } finally {
          reader.close();
        }
      },
    };
  } finally {
    db.close();
  }
}
