// The triage service: loads a cached scan for the UI, and suppresses, un-suppresses, exports and right-sizes for it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addToBaselineFile, readBaseline, removeFromBaselineFile } from '../baseline/baseline.js';
import { UserError } from '../errors/errors.js';
import { loadAgentScorecards } from '../scan/posture.js';
import { rightsizeIdentity } from '../rightsize/service.js';
import { openDatabase, openDatabaseReadOnly, type Db } from '../store/database.js';
import { getFindings, getScan, latestFinishedScanId, listSuppressions } from '../store/reads.js';
import { grantsOfIdentity } from '../store/rightsizeReads.js';
import { suppressFinding, unsuppressFinding } from '../store/suppressionWrites.js';
import {
  credentialsOfScan,
  identitiesOfScan,
  latestFinishedScanAsOf,
  peopleOfScan,
} from '../store/triageReads.js';
import { assembleTriageData } from './assemble.js';
import { shortResource } from './resource.js';
import { grantedVsUsedFrom, type GrantedVsUsed } from './grantedVsUsed.js';
import type { TriageData, TriageFinding } from './types.js';

/** Which cache, scan and baseline file a triage session works on. */
export interface TriageSessionOptions {
  dbPath: string;
  /** Which scan (default: the latest finished one). */
  scanId?: number;
  /** Suppressions are also written here, so CI honours them; null keeps them in the cache only. */
  baselineFile: string | null;
  /** Who suppresses, recorded with the suppression (default: the OS user name). */
  user?: string;
  /** The clock, injectable for tests. */
  now?: () => Date;
}

const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The newest finished scan of the cache at `dbPath` judged as of `asOf`, or null (also when there is no cache). */
export function latestScanJudgedAsOf(dbPath: string, asOf: string): number | null {
  if (!fs.existsSync(dbPath)) return null;
  const db = openDatabaseReadOnly(dbPath);
  try {
    return latestFinishedScanAsOf(db, asOf);
  } finally {
    db.close();
  }
}

/** One person's triage of one scan. Every write goes through src/store (cache) or src/baseline (baseline file). */
export class TriageSession {
  readonly scanId: number;
  /** What this session changed, for the summary printed after the UI closes. */
  readonly changes = { suppressed: 0, unsuppressed: 0 };
  private data: TriageData;
  private readonly now: () => Date;
  private readonly user: string | null;

  constructor(private readonly options: TriageSessionOptions) {
    this.now = options.now ?? (() => new Date());
    this.user = options.user ?? currentUser();
    const db = openDatabaseReadOnly(options.dbPath);
    try {
      const scanId = options.scanId ?? latestFinishedScanId(db);
      if (scanId === null) {
        throw new UserError(
          'the cache holds no finished scan',
          'run `agentaudit scan` first, or `agentaudit triage --demo`',
        );
      }
      this.scanId = scanId;
    } finally {
      db.close();
    }
    this.data = this.load();
  }

  /** The data as last loaded. */
  current(): TriageData {
    return this.data;
  }

  /** Reads the scan, its findings, identities, suppressions and the baseline file afresh. */
  load(): TriageData {
    const baselineFile = this.options.baselineFile;
    const baseline = baselineFile && fs.existsSync(baselineFile) ? readBaseline(baselineFile) : null;
    const db = openDatabaseReadOnly(this.options.dbPath);
    try {
      const scan = getScan(db, this.scanId);
      if (!scan) {
        throw new UserError(
          `no scan ${this.scanId} in the cache`,
          'list scans with `agentaudit report --list`',
        );
      }
      if (scan.status !== 'complete' && scan.status !== 'partial') {
        throw new UserError(
          `scan ${this.scanId} did not finish (${scan.status}${scan.error ? `: ${scan.error}` : ''})`,
          'pick another with --scan ID (`agentaudit report --list` lists them)',
        );
      }
      const data = assembleTriageData({
        scan,
        findings: getFindings(db, this.scanId),
        identities: identitiesOfScan(db, this.scanId),
        credentials: credentialsOfScan(db, this.scanId),
        people: peopleOfScan(db, this.scanId),
        suppressions: listSuppressions(db),
        baseline,
        baselineFile,
      });
      const agents = loadAgentScorecards(db, {
        scanId: this.scanId,
        asOf: scan.asOf,
        coverage: scan.coverage,
        findings: data.findings.map((f) => ({ ...f, hidden: f.state !== 'open' })),
      });
      this.data = { ...data, agents };
      return this.data;
    } finally {
      db.close();
    }
  }

  /**
   * Suppresses a finding until `expiresAt` for `reason`: in the baseline file first (when configured, so a file
   * that cannot be written stops it before the cache changes), then in the cache.
   */
  suppress(findingId: string, reason: string, expiresAt: string): { data: TriageData; message: string } {
    const finding = this.finding(findingId);
    const trimmed = reason.trim();
    if (!trimmed) throw new UserError('a suppression needs a reason');
    const now = iso(this.now());
    const baselineFile = this.options.baselineFile;
    if (baselineFile) {
      addToBaselineFile(
        baselineFile,
        { id: finding.id, ruleId: finding.ruleId, resource: finding.resource, reason: trimmed, expiresAt },
        now,
      );
    }
    this.write((db) =>
      suppressFinding(db, this.scanId, {
        fingerprint: finding.id,
        ruleId: finding.ruleId,
        resource: finding.resource,
        reason: trimmed,
        expiresAt,
        createdAt: now,
        createdBy: this.user,
      }),
    );
    this.changes.suppressed += 1;
    const where = baselineFile
      ? `cache + ${baselineFile}`
      : 'cache only: no baseline file, CI will not see it (--baseline FILE)';
    return {
      data: this.load(),
      message: `suppressed ${shortResource(finding.resource)} until ${expiresAt.slice(0, 10)} · ${where}`,
    };
  }

  /** Undoes a suppression: removes it from the cache and the finding's entry from the baseline file. */
  unsuppress(findingId: string): { data: TriageData; message: string } {
    const finding = this.finding(findingId);
    const baselineFile = this.options.baselineFile;
    const fromBaseline = baselineFile
      ? removeFromBaselineFile(baselineFile, finding.id, iso(this.now()))
      : false;
    // A finding the scan's own baseline accepted stays accepted, unless its entry was the one just removed.
    const restoreTo = finding.baselinedByScan && !fromBaseline ? 'baseline' : null;
    const fromCache = this.write((db) => unsuppressFinding(db, this.scanId, finding.id, restoreTo));
    this.changes.unsuppressed += 1;
    const data = this.load();
    const now = data.findings.find((f) => f.id === finding.id);
    const removed = [fromCache ? 'the cache' : null, fromBaseline ? baselineFile : null].filter(Boolean);
    const state = now?.state === 'open' ? 'open again' : `still ${now?.state ?? 'gone'}`;
    return {
      data,
      message: `${finding.ruleId} on ${shortResource(finding.resource)} is ${state}${removed.length > 0 ? ` (removed from ${removed.join(' and ')})` : ''}`,
    };
  }

  /** Writes an export, private to the user (it names identities); returns the path written. */
  writeExport(file: string, text: string): string {
    const target = path.resolve(file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text, { mode: 0o600 });
    return file;
  }

  /** Granted vs used for an identity of this scan, from the right-sizing service. */
  async grantedVsUsed(identityId: string): Promise<GrantedVsUsed> {
    const result = await rightsizeIdentity(this.options.dbPath, identityId, { scanId: this.scanId });
    const db = openDatabaseReadOnly(this.options.dbPath);
    try {
      return grantedVsUsedFrom(result, grantsOfIdentity(db, this.scanId, result.identity.id));
    } finally {
      db.close();
    }
  }

  private finding(findingId: string): TriageFinding {
    const finding = this.data.findings.find((f) => f.id === findingId);
    if (!finding) throw new UserError(`no finding ${findingId} in scan ${this.scanId}`);
    return finding;
  }

  private write<T>(change: (db: Db) => T): T {
    const db = openDatabase(this.options.dbPath);
    try {
      return change(db);
    } finally {
      db.close();
    }
  }
}

function currentUser(): string | null {
  try {
    return os.userInfo().username || null;
  } catch {
    return null;
  }
}
