// Entry point of CloudTrail ingestion: files and folders in, aggregated usage, client activity, keys and principals out.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ClientActivity, CloudTrailCoverage, Usage } from '../../model/types.js';
import { loadActionCatalogue } from './eventAction.js';
import { EventIdSet } from './eventIdSet.js';
import type { CloudTrailFileCache } from '../../store/cloudtrailFiles.js';
import { FileIngestion, type FileOutcome } from './fileIngestion.js';
import { readCloudTrailFile, readingContext } from './ingestFile.js';
import { listCloudTrailFiles } from './inputFiles.js';
import type { ObservedAccessKey, ObservedPrincipal } from './aggregateState.js';
import { evidenceWindow, ingestResult } from './ingestResult.js';
import { UsageAggregator } from './usageAggregator.js';
import { readFilesInWorkers } from './workerPool.js';
import { keepYoungGenerationSmall } from './youngGeneration.js';

export type { ObservedAccessKey, ObservedPrincipal } from './aggregateState.js';
export type {
  CachedCloudTrailFile,
  CloudTrailFileCache,
  CloudTrailFileDigest,
} from '../../store/cloudtrailFiles.js';

/** How to ingest. */
export interface CloudTrailIngestOptions {
  /**
   * Threads that decompress and parse files (the main thread deduplicates and aggregates what they read). Default:
   * `os.availableParallelism()`. 1 reads in-process, without workers (also the fallback when the compiled
   * `worker.js` is not beside this module, e.g. under a TS test runner).
   */
  concurrency?: number;
  /** ISO date-time: events before it are counted in coverage but not aggregated. */
  since?: string;
  /** ISO date-time: events after it are counted in coverage but not aggregated. */
  until?: string;
  /** Digests of files read by earlier scans: unchanged files are replayed, files read cleanly are kept. */
  fileCache?: CloudTrailFileCache;
}

/** What the logs showed. Rows are sorted by their keys, so the result is the same whatever the concurrency. */
export interface CloudTrailIngestResult {
  /** `events` = unique events read (whatever their date), `duplicates` = extra copies skipped, `mapped + unmapped = events`. */
  coverage: CloudTrailCoverage;
  usage: Usage[];
  clientActivity: ClientActivity[];
  accessKeys: ObservedAccessKey[];
  principals: ObservedPrincipal[];
  /** First and last aggregated event (inside the window): the evidence window the usage rests on. */
  firstEventAt: string | null;
  lastEventAt: string | null;
  /** The scans whose digests were replayed (`coverage.reused` files), ascending. */
  reusedFromScans: number[];
}

const WORKER_SCRIPT = new URL('./worker.js', import.meta.url);

/**
 * Reads CloudTrail logs from files and folders (S3 delivery layout, `.json`/`.json.gz`/`.jsonl`/`.cloudtrail`,
 * `{"Records": […]}`, bare arrays, single events, JSONL, LookupEvents output), streaming — memory stays bounded by
 * the aggregates, not the input. Duplicate deliveries are counted once by eventID across all files. Bad input never
 * throws: it is listed in `coverage.errors` by file and position, and the rest is still read.
 * With a `fileCache`, a file whose key (absolute path), size and sha256 match a kept digest is not parsed again:
 * its digest's events are replayed through the same deduplication and aggregation, so the result is the same as
 * reading it (`coverage.reused` counts such files). The evidence window applies to replayed events as to read ones,
 * so a digest stays valid whatever the window.
 * Keeps the young generation of the calling thread small (see youngGeneration.ts: a process-wide V8 flag).
 * Throws a UserError only for invalid options (a `since`/`until` that is not a date).
 */
export async function ingestCloudTrail(
  paths: string[],
  options: CloudTrailIngestOptions = {},
): Promise<CloudTrailIngestResult> {
  const window = evidenceWindow(options);
  keepYoungGenerationSmall();
  const { files, errors: pathErrors } = await listCloudTrailFiles(paths);
  const aggregator = new UsageAggregator(window);
  const seen = new EventIdSet();

  const requested = Math.max(1, Math.floor(options.concurrency ?? availableParallelism()));
  const workerCount = Math.min(requested, files.length);
  const ingestion = new FileIngestion(files, options.fileCache ?? null, aggregator, seen);
  if (workerCount > 1 && existsSync(fileURLToPath(WORKER_SCRIPT))) {
    await readFilesInWorkers(ingestion, workerCount, WORKER_SCRIPT);
  }
  // With one thread (or when the compiled worker.js is not beside this module), files are read here.
  await readInProcess(ingestion);
  ingestion.finish();
  const outcomes = ingestion.outcomes;
  // Every file is read: the eventID set is not needed any more, and the summary is about to need memory.
  seen.release();

  const catalogue = await loadActionCatalogue(aggregator.eventSources());
  const summary = aggregator.summarize(catalogue);
  return ingestResult(
    summary,
    {
      files: files.length,
      events: sum(outcomes, 'events'),
      duplicates: sum(outcomes, 'duplicates'),
      ...(options.fileCache ? { reused: ingestion.reused } : {}),
    },
    [...pathErrors, ...outcomes.flatMap((outcome) => outcome.errors)],
    [...ingestion.reusedFromScans],
  );
}

async function readInProcess(ingestion: FileIngestion): Promise<void> {
  const context = readingContext((id, chunk) => ingestion.chunk(id, chunk));
  for (let group = ingestion.nextGroup(); group; group = ingestion.nextGroup()) {
    for (const task of group) ingestion.done(await readCloudTrailFile(task, context));
  }
}

const sum = (outcomes: readonly FileOutcome[], field: 'events' | 'duplicates'): number =>
  outcomes.reduce((total, outcome) => total + outcome[field], 0);
