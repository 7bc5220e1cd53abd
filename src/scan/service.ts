// The scan service: collect every source, merge and link, classify agents, store the snapshot, evaluate rules, record findings.
import { availableParallelism } from 'node:os';
import { classifyAgents, compileAgentPatterns } from '../analysis/agents.js';
import { deriveCapabilities } from '../analysis/capabilities.js';
import { compileEnvironmentRules, deriveEnvironments } from '../analysis/environments.js';
import { expandGrants, summarizeGrantedVsUsed, usageWindowFrom } from '../analysis/grantedVsUsed.js';
import { loadIamCatalogue } from '../analysis/policy/expand.js';
import { sanitizeInventory } from '../analysis/sanitize.js';
import { acceptedFingerprints, type Baseline } from '../baseline/baseline.js';
import type { CollectContext, PlannedSource, SourceResult } from '../connectors/contract.js';
import { errorMessage, UserError } from '../errors/errors.js';
import type { Inventory, SourceStatus } from '../model/types.js';
import { loadCapabilities } from '../rules/capabilities.js';
import { BUILT_IN_RULES_DIR, loadRules, type LoadedRule } from '../rules/load.js';
import { evaluateRules } from '../rules/evaluate.js';
import type { AgentauditConfig } from '../rules/schema.js';
import { openDatabase } from '../store/database.js';
import { sqliteCloudTrailFileCache } from '../store/cloudtrailFiles.js';
import { sqliteHttpCache } from '../store/httpCache.js';
import { listSuppressions } from '../store/reads.js';
import { withRuleReader } from '../store/ruleViews.js';
import {
  beginScan,
  discardScanRows,
  finishScan,
  writeDerivedFacts,
  writeFindings,
  writeInventory,
} from '../store/writes.js';
import { mergeInventories } from './mergeInventory.js';
import type { ProgressEvent, ProgressListener } from './progress.js';
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
  /** Start of the evidence window for every usage source (ISO); the window ends at `asOf`. */
  since: string;
  /** The sources to read, already bound to their options (see `src/scan/sources.ts`). */
  sources: readonly PlannedSource[];
  /** Extra rule folders, after the built-in ones. */
  rulesDirs: string[];
  config: AgentauditConfig;
  baseline: Baseline | null;
  /** Threads a CPU-bound source may use; default: one per core. */
  concurrency?: number;
  /** Progress for a person at a terminal; never called with secrets. */
  onProgress?: ProgressListener;
  /** Environment variables sources read credentials from (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
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
  const started = now().getTime();
  const listener = request.onProgress ?? (() => undefined);
  const emit = (source: string, update: Omit<ProgressEvent, 'source' | 'elapsedMs'>): void =>
    listener({ ...update, source, elapsedMs: now().getTime() - started });
  const db = openDatabase(request.dbPath);
  const scanId = beginScan(db, { startedAt: isoNow(now), asOf: request.asOf, since: request.since });
  try {
    const httpCache = sqliteHttpCache(db);
    const results = await Promise.all(
      request.sources.map((source) =>
        collectSource(source, {
          asOf: request.asOf,
          window: { since: request.since, until: request.asOf },
          concurrency: request.concurrency ?? availableParallelism(),
          progress: (update) => emit(source.id, update),
          httpCache,
          cloudtrailFiles: sqliteCloudTrailFileCache(db, scanId),
          env: request.env ?? process.env,
        }),
      ),
    );
    const collected = uniqueNames(results.flat());
    const sources: SourceStatus[] = collected.map(sourceStatus);
    const coverage: Record<string, unknown> = Object.assign({}, ...collected.map((r) => r.coverage));
    coverage.window = { since: request.since, until: request.asOf, ...(coverage.window as object) };

    let inventory: Inventory = mergeInventories(collected.map((result) => result.inventory));
    for (const result of collected) if (result.link) inventory = result.link(inventory);
    const patterns = compileAgentPatterns(
      request.config.agents?.namePatterns,
      request.config.agents?.userAgentPatterns,
    );
    inventory = sanitizeInventory({
      ...inventory,
      identities: classifyAgents(inventory.identities, inventory.clientActivity, inventory.usage, patterns),
    });
    emit('scan', {
      phase: 'update',
      message: `storing ${inventory.identities.length} identities and ${inventory.credentials.length} credentials`,
    });
    writeInventory(db, scanId, inventory);
    const ruleDirs = [BUILT_IN_RULES_DIR, ...(request.config.rulesDirs ?? []), ...request.rulesDirs];
    const catalogue = loadCapabilities(ruleDirs);
    const iam = await loadIamCatalogue();
    // One expansion of the policies for both readers below: each distinct document is expanded once per scan.
    const expansion = expandGrants(inventory, iam);
    // Granted vs used per identity (rule view `permission_summary`); each distinct policy document expanded once.
    // Capabilities: the confused-deputy catalogue matched against grants and usage (`identity_capabilities`).
    // Environment isolation: places' verdicts and credentials' places (views `environment_places`, `credential_places`).
    const environments = deriveEnvironments(inventory, compileEnvironmentRules(request.config.environments));
    writeDerivedFacts(db, scanId, {
      environmentPlaces: environments.places,
      credentialPlaces: environments.placements,
      permissionSummaries: summarizeGrantedVsUsed(
        inventory,
        iam,
        usageWindowFrom(coverage.window),
        expansion,
      ),
      trustedAccounts: request.config.trustedAccounts ?? [],
      capabilities: deriveCapabilities(inventory, catalogue.capabilities, expansion),
    });

    const loaded = loadRules(ruleDirs);
    emit('scan', { phase: 'update', message: `evaluating ${loaded.rules.length} rules` });
    const evaluation = withRuleReader(request.dbPath, scanId, (reader) =>
      evaluateRules(reader, loaded.rules, { asOf: request.asOf, config: request.config }),
    );
    const ruleErrors = [...loaded.errors, ...catalogue.errors, ...evaluation.errors];
    sources.push(
      sourceStatus({
        name: 'rules',
        errors: ruleErrors,
        detail: `${loaded.rules.length} rules loaded, ${evaluation.stats.length} evaluated; ${catalogue.capabilities.length} capabilities in the catalogue`,
      }),
    );
    coverage.rules = {
      loaded: loaded.rules.length,
      evaluated: evaluation.stats.length,
      capabilities: catalogue.capabilities.length,
      errors: ruleErrors,
    };

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
    emit('scan', { phase: 'done', message: `scan ${scanId} ${status}` });
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
    emit('scan', { phase: 'done', message: `scan ${scanId} failed: ${errorMessage(error)}` });
    throw error;
  } finally {
    db.close();
  }
}

/**
 * Runs one source. A source reports bad input as errors; anything it throws anyway (a bug, an unexpected
 * response) fails that source only, so the rest of the scan still stands — and says it is partial.
 */
async function collectSource(source: PlannedSource, context: CollectContext): Promise<SourceResult[]> {
  try {
    const results = await source.collect(context);
    context.progress({ phase: 'done', message: results.map((r) => r.detail).join('; ') });
    return results;
  } catch (error) {
    if (error instanceof UserError) throw error;
    const message = errorMessage(error);
    context.progress({ phase: 'done', message: `failed: ${message}` });
    return [
      {
        name: source.id,
        inventory: {},
        coverage: {},
        errors: [{ file: source.id, message }],
        detail: 'nothing could be read',
        failed: true,
      },
    ];
  }
}

/** Two results of the same name (one tenant replayed from two snapshots) get `#2`, `#3`: names key the scan's sources. */
function uniqueNames(results: SourceResult[]): SourceResult[] {
  const seen = new Map<string, number>();
  return results.map((result) => {
    const count = (seen.get(result.name) ?? 0) + 1;
    seen.set(result.name, count);
    return count === 1 ? result : { ...result, name: `${result.name}#${count}` };
  });
}

function sourceStatus(
  result: Pick<SourceResult, 'name' | 'errors' | 'detail' | 'failed' | 'partial'>,
): SourceStatus {
  if (result.failed) {
    const first = result.errors[0];
    return {
      name: result.name,
      status: 'failed',
      detail: first ? `${result.detail}: ${first.message}` : result.detail,
    };
  }
  if (result.errors.length === 0) {
    return { name: result.name, status: result.partial ? 'partial' : 'ok', detail: result.detail };
  }
  const first = result.errors[0]!;
  const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more)` : '';
  return {
    name: result.name,
    status: 'partial',
    detail: `${result.detail}; could not read ${first.file}: ${first.message}${more}`,
  };
}
