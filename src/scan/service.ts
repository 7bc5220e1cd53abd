// The scan service: collect every source, reconcile, classify agents, store the snapshot, evaluate rules, record findings.
import { classifyAgents, compileAgentPatterns } from '../analysis/agents.js';
import { reconcileObservations } from '../analysis/reconcile.js';
import { sanitizeInventory } from '../analysis/sanitize.js';
import { acceptedFingerprints, type Baseline } from '../baseline/baseline.js';
import { readAwsExports } from '../connectors/aws/exports/index.js';
import { readPeopleFile } from '../connectors/people/index.js';
import { errorMessage } from '../errors/errors.js';
import { emptyInventory, type InputError, type Inventory, type SourceStatus } from '../model/types.js';
import { BUILT_IN_RULES_DIR, loadRules, type LoadedRule } from '../rules/load.js';
import { evaluateRules } from '../rules/evaluate.js';
import type { AgentauditConfig } from '../rules/schema.js';
import { openDatabase } from '../store/database.js';
import { listSuppressions } from '../store/reads.js';
import { withRuleReader } from '../store/ruleViews.js';
import { beginScan, discardScanRows, finishScan, writeFindings, writeInventory } from '../store/writes.js';
import { ingestCloudTrail, type CloudTrailIngestResult } from '../usage/cloudtrail/ingest.js';

/** The clock's time as ISO-8601 UTC without milliseconds, like every timestamp in the cache. */
function isoNow(now: () => Date): string {
  return now()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

/** What to scan and how; built by the CLI from flags, free of flags itself. */
export interface ScanRequest {
  dbPath: string;
  /** "Now" for ages and "unused for N days". */
  asOf: string;
  awsAuthzFiles: string[];
  awsCredentialReportFiles: string[];
  cloudtrailPaths: string[];
  peopleFiles: string[];
  /** Extra rule folders, after the built-in ones. */
  rulesDirs: string[];
  config: AgentauditConfig;
  baseline: Baseline | null;
  /** Worker threads for log parsing; default: one per core. */
  concurrency?: number;
  /** Progress messages for a person at a terminal; never called with secrets. */
  onProgress?: (message: string) => void;
  /** The clock, injectable for tests. */
  now?: () => Date;
}

/** What a scan produced. */
export interface ScanOutcome {
  scanId: number;
  status: 'complete' | 'partial';
  sources: SourceStatus[];
  rules: LoadedRule[];
}

/** Runs a scan end to end and records it in the cache; a failure half-way marks the scan failed and keeps the previous one. */
export async function runScan(request: ScanRequest): Promise<ScanOutcome> {
  const now = request.now ?? (() => new Date());
  const progress = request.onProgress ?? (() => undefined);
  const db = openDatabase(request.dbPath);
  const scanId = beginScan(db, { startedAt: isoNow(now), asOf: request.asOf, since: null });
  try {
    const sources: SourceStatus[] = [];
    const coverage: Record<string, unknown> = {};
    let inventory: Inventory = emptyInventory();

    if (request.awsAuthzFiles.length > 0 || request.awsCredentialReportFiles.length > 0) {
      progress('reading AWS IAM exports');
      const exports = await readAwsExports({
        authzFiles: request.awsAuthzFiles,
        credentialReportFiles: request.awsCredentialReportFiles,
      });
      inventory = exports.inventory;
      coverage.aws = { ...exports.summary, errors: exports.errors };
      sources.push(sourceStatus('aws-exports', exports.errors, describeAws(exports.summary)));
    }

    let trail: CloudTrailIngestResult | null = null;
    if (request.cloudtrailPaths.length > 0) {
      progress(`reading CloudTrail from ${request.cloudtrailPaths.length} path(s)`);
      trail = await ingestCloudTrail(request.cloudtrailPaths, { concurrency: request.concurrency });
      coverage.cloudtrail = trail.coverage;
      coverage.window = { firstEvent: trail.firstEventAt, lastEvent: trail.lastEventAt };
      sources.push(sourceStatus('cloudtrail', trail.coverage.errors, describeTrail(trail)));
    }

    const peopleErrors: InputError[] = [];
    for (const file of request.peopleFiles) {
      const people = await readPeopleFile(file);
      inventory.people.push(...people.people);
      peopleErrors.push(...people.errors);
    }
    if (request.peopleFiles.length > 0) {
      sources.push(
        sourceStatus('people', peopleErrors, `${inventory.people.length} people from the directory`),
      );
      coverage.people = { count: inventory.people.length, errors: peopleErrors };
    }

    if (trail) inventory = reconcileObservations(inventory, trail);
    const patterns = compileAgentPatterns(request.config.agents?.namePatterns);
    inventory = sanitizeInventory({
      ...inventory,
      identities: classifyAgents(inventory.identities, inventory.clientActivity, inventory.usage, patterns),
    });
    progress(
      `storing ${inventory.identities.length} identities and ${inventory.credentials.length} credentials`,
    );
    writeInventory(db, scanId, inventory);

    const loaded = loadRules([BUILT_IN_RULES_DIR, ...(request.config.rulesDirs ?? []), ...request.rulesDirs]);
    progress(`evaluating ${loaded.rules.length} rules`);
    const evaluation = withRuleReader(request.dbPath, scanId, (reader) =>
      evaluateRules(reader, loaded.rules, { asOf: request.asOf, config: request.config }),
    );
    const ruleErrors = [...loaded.errors, ...evaluation.errors];
    sources.push(
      sourceStatus(
        'rules',
        ruleErrors,
        `${loaded.rules.length} rules loaded, ${evaluation.stats.length} evaluated`,
      ),
    );
    coverage.rules = { loaded: loaded.rules.length, evaluated: evaluation.stats.length, errors: ruleErrors };

    const suppressions = new Map(
      listSuppressions(db)
        .filter((s) => !s.expiresAt || s.expiresAt > request.asOf)
        .map((s) => [s.fingerprint, s.reason] as const),
    );
    const accepted = request.baseline
      ? acceptedFingerprints(request.baseline, request.asOf)
      : new Set<string>();
    const findings = evaluation.findings.map((finding) => ({
      ...finding,
      suppressedBy: suppressions.has(finding.id)
        ? `suppressed: ${suppressions.get(finding.id)}`
        : accepted.has(finding.id)
          ? 'baseline'
          : null,
    }));
    for (const stat of evaluation.stats) {
      stat.suppressed = findings.filter((f) => f.ruleId === stat.ruleId && f.suppressedBy).length;
    }
    writeFindings(db, scanId, findings, evaluation.stats);

    const status = sources.some((source) => source.status !== 'ok') ? 'partial' : 'complete';
    finishScan(db, scanId, { finishedAt: isoNow(now), status, sources, coverage });
    return { scanId, status, sources, rules: loaded.rules };
  } catch (error) {
    discardScanRows(db, scanId);
    finishScan(db, scanId, {
      finishedAt: isoNow(now),
      status: 'failed',
      sources: [],
      coverage: {},
      error: errorMessage(error),
    });
    throw error;
  } finally {
    db.close();
  }
}

function sourceStatus(name: string, errors: readonly InputError[], summary: string): SourceStatus {
  if (errors.length === 0) return { name, status: 'ok', detail: summary };
  const first = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return {
    name,
    status: 'partial',
    detail: `${summary}; could not read ${first.file}: ${first.message}${more}`,
  };
}

function describeAws(summary: {
  users: number;
  roles: number;
  groups: number;
  policies: number;
  credentialRows: number;
}): string {
  return `${summary.users} users, ${summary.roles} roles, ${summary.groups} groups, ${summary.policies} policies, ${summary.credentialRows} credential report rows`;
}

function describeTrail(trail: CloudTrailIngestResult): string {
  const c = trail.coverage;
  const total = c.mapped + c.unmapped;
  const share = total === 0 ? 'n/a' : `${((100 * c.mapped) / total).toFixed(1)}%`;
  return `${c.events} events in ${c.files} files (${c.duplicates} duplicates skipped), ${share} mapped to IAM actions`;
}
