// Snapshots: `collect` runs API sources recording their raw (masked) responses; `scan --from DIR` replays them offline.
import fs from 'node:fs';
import path from 'node:path';
import type {
  CollectContext,
  EvidenceWindow,
  OptionValues,
  PlannedSource,
  RegisteredSource,
  SourceResult,
} from '../connectors/contract.js';
import { memoryHttpCache } from '../store/httpCache.js';
import { errorMessage, UserError } from '../errors/errors.js';
import type { SourceStatus } from '../model/types.js';
import type { ProgressEvent, ProgressListener } from './progress.js';

/** The file in a snapshot folder that says what was collected, when, and how to plan the same sources again. */
export const SNAPSHOT_MANIFEST = 'snapshot.json';

/** Value given to a source's credential variables when replaying: a replay never needs the real secret. */
export const REPLAY_PLACEHOLDER = 'replayed-from-snapshot';

/** One source as recorded: its option values and the non-secret environment it planned with. */
export interface RecordedSource {
  id: string;
  values: Record<string, unknown>;
  env: Record<string, string>;
  results: SourceStatus[];
}

/** `snapshot.json`. */
export interface SnapshotManifest {
  format: 'agentaudit-snapshot';
  version: 1;
  tool: string;
  createdAt: string;
  asOf: string;
  window: EvidenceWindow;
  sources: RecordedSource[];
}

/** A source the collect command was asked for, with the flag values that planned it. */
export interface CollectSource {
  registered: RegisteredSource;
  planned: PlannedSource;
  values: Record<string, unknown>;
  env: Record<string, string>;
}

/** What to collect and where to. */
export interface CollectRequest {
  dir: string;
  sources: readonly CollectSource[];
  asOf: string;
  since: string;
  tool: string;
  concurrency?: number;
  onProgress?: ProgressListener;
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
}

/** What a collection produced. */
export interface CollectOutcome {
  manifest: SnapshotManifest;
  status: 'complete' | 'partial';
}

const isoNow = (now: () => Date): string =>
  now()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');

function statusOf(result: SourceResult): SourceStatus {
  if (result.failed) return { name: result.name, status: 'failed', detail: result.detail };
  if (result.errors.length > 0) {
    const first = result.errors[0]!;
    return {
      name: result.name,
      status: 'partial',
      detail: `${result.detail}; could not read ${first.file}: ${first.message}`,
    };
  }
  return { name: result.name, status: 'ok', detail: result.detail };
}

/**
 * Runs each source with `recordDir` set, so every response is written (masked) into the folder, without the
 * response cache (a snapshot must hold bodies, not 304s), and writes the manifest. Nothing is stored in the cache
 * file: `scan --from DIR` does the analysis.
 */
export async function runCollect(request: CollectRequest): Promise<CollectOutcome> {
  const now = request.now ?? (() => new Date());
  const started = now().getTime();
  fs.mkdirSync(request.dir, { recursive: true, mode: 0o700 });
  const listener = request.onProgress ?? (() => undefined);
  const recorded: RecordedSource[] = [];
  for (const source of request.sources) {
    const context: CollectContext = {
      asOf: request.asOf,
      window: { since: request.since, until: request.asOf },
      concurrency: request.concurrency ?? 1,
      progress: (update: Omit<ProgressEvent, 'source' | 'elapsedMs'>) =>
        listener({ ...update, source: source.planned.id, elapsedMs: now().getTime() - started }),
      httpCache: memoryHttpCache(),
      env: request.env ?? process.env,
      snapshot: { recordDir: request.dir },
    };
    let results: SourceStatus[];
    try {
      results = (await source.planned.collect(context)).map(statusOf);
    } catch (error) {
      if (error instanceof UserError) throw error;
      results = [{ name: source.planned.id, status: 'failed', detail: errorMessage(error) }];
    }
    recorded.push({ id: source.planned.id, values: source.values, env: source.env, results });
  }
  const manifest: SnapshotManifest = {
    format: 'agentaudit-snapshot',
    version: 1,
    tool: request.tool,
    createdAt: isoNow(now),
    asOf: request.asOf,
    window: { since: request.since, until: request.asOf },
    sources: recorded,
  };
  fs.writeFileSync(path.join(request.dir, SNAPSHOT_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, {
    mode: 0o600,
  });
  const partial = recorded.some((source) => source.results.some((result) => result.status !== 'ok'));
  return { manifest, status: partial ? 'partial' : 'complete' };
}

/** Reads a snapshot folder's manifest; a missing or foreign one is a user error naming the folder. */
export function readSnapshotManifest(dir: string): SnapshotManifest {
  const file = path.join(dir, SNAPSHOT_MANIFEST);
  let manifest: SnapshotManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as SnapshotManifest;
  } catch (error) {
    throw new UserError(
      `--from ${dir}: cannot read ${SNAPSHOT_MANIFEST} (${errorMessage(error)})`,
      'point --from at a folder written by `agentaudit collect --output DIR`',
    );
  }
  if (
    manifest.format !== 'agentaudit-snapshot' ||
    manifest.version !== 1 ||
    !Array.isArray(manifest.sources)
  ) {
    throw new UserError(`--from ${dir}: ${SNAPSHOT_MANIFEST} is not an agentaudit snapshot (version 1)`);
  }
  return manifest;
}

/**
 * The sources recorded in a snapshot, planned again with their recorded option values and environment (credential
 * variables get a placeholder: replaying reads files, never the network) and bound to replay from `dir`.
 */
export function planSnapshotSources(
  dir: string,
  manifest: SnapshotManifest,
  registry: readonly RegisteredSource[],
  env: Readonly<Record<string, string | undefined>>,
): PlannedSource[] {
  return manifest.sources.map((recorded) => {
    const registered = registry.find((source) => source.id === recorded.id);
    if (!registered) {
      throw new UserError(
        `--from ${dir}: the snapshot holds source "${recorded.id}", which this agentaudit does not know`,
      );
    }
    const replayEnv: Record<string, string | undefined> = { ...env };
    for (const option of registered.options) {
      if (option.env && !replayEnv[option.env]) replayEnv[option.env] = REPLAY_PLACEHOLDER;
    }
    Object.assign(replayEnv, recorded.env);
    const planned = registered.plan(recorded.values as OptionValues, replayEnv);
    if (!planned)
      throw new UserError(`--from ${dir}: source "${recorded.id}" cannot be planned from the snapshot`);
    return {
      ...planned,
      collect: (context) => planned.collect({ ...context, snapshot: { replayDir: dir } }),
    };
  });
}
