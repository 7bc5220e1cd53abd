// The aggregating side of ingestion: hands out files in groups, deduplicates and aggregates their digests, replays unchanged files, keeps new digests.
import { resolve } from 'node:path';
import type { InputError } from '../../model/types.js';
import type { CloudTrailFileCache, CloudTrailFileDigest } from '../../store/cloudtrailFiles.js';
import type { EventIdSet } from './eventIdSet.js';
import { formatCount } from './eventScanner.js';
import { forEachChunkEvent, isCurrentDigest } from './fileDigest.js';
import type { ObservedEvent } from './observedEvent.js';
import type { FileTask, ParsedFile } from './ingestFile.js';
import type { InputFile } from './inputFiles.js';
import type { UsageAggregator } from './usageAggregator.js';

/** How one file fared. */
export interface FileOutcome {
  file: string;
  /** Unique events read from this file (first copies, whatever their date). */
  events: number;
  /** Copies of events already read (same eventID), skipped. */
  duplicates: number;
  errors: InputError[];
}

/** Small files are handed out together up to these (compressed bytes, files): one message each way per group. */
const GROUP_BYTES = 512 * 1024;
const GROUP_FILES = 64;
/** Files above this are handed out first, largest first, so that no thread is left with a big one at the end. */
const LARGE_FILE_BYTES = 8 * 1024 * 1024;
/** Digests waiting to be written are flushed past these. */
const PENDING_DIGESTS = 512;
const PENDING_DIGEST_BYTES = 8 * 1024 * 1024;

/** A file handed out and not yet done. */
interface FileInFlight {
  path: string;
  /** The scan that kept a digest of it, when there is one. */
  keptBy: number | null;
  unique: number;
  duplicates: number;
  undated: number;
}

/**
 * Everything one ingestion does outside the reading threads. Files are handed out in path order (the S3 layout's
 * time order, which keeps the aggregator's caches warm), large ones first. Every event — read, or replayed from the
 * digest of an unchanged file — goes through the one eventID set and the one aggregator, so a result does not depend
 * on threads, order or reuse.
 */
export class FileIngestion {
  private readonly queue: InputFile[];
  private readonly cache: CloudTrailFileCache | null;
  private readonly aggregator: UsageAggregator;
  private readonly seen: EventIdSet;
  private readonly inFlight = new Map<number, FileInFlight>();
  private nextIndex = 0;
  private nextId = 0;
  private current: FileInFlight | null = null;
  private pending: CloudTrailFileDigest[] = [];
  private pendingBytes = 0;
  readonly outcomes: FileOutcome[] = [];
  /** Files replayed from their kept digests, and the scans that kept them. */
  reused = 0;
  readonly reusedFromScans = new Set<number>();

  constructor(
    files: readonly InputFile[],
    cache: CloudTrailFileCache | null,
    aggregator: UsageAggregator,
    seen: EventIdSet,
  ) {
    const large = files.filter((file) => file.bytes > LARGE_FILE_BYTES).sort((a, b) => b.bytes - a.bytes);
    this.queue = [...large, ...files.filter((file) => file.bytes <= LARGE_FILE_BYTES)];
    this.cache = cache;
    this.aggregator = aggregator;
    this.seen = seen;
  }

  /** The next files to read together (one large file, or small ones up to GROUP_BYTES), or null when none is left. */
  nextGroup(): FileTask[] | null {
    const group: FileTask[] = [];
    let bytes = 0;
    while (group.length < GROUP_FILES && bytes < GROUP_BYTES) {
      const file = this.queue[this.nextIndex++];
      if (!file) break;
      bytes += file.bytes;
      const found = this.cache?.get(resolve(file.path), file.bytes) ?? null;
      const kept = found && isCurrentDigest(found.digest) ? found : null;
      const id = this.nextId++;
      this.inFlight.set(id, {
        path: file.path,
        keptBy: kept?.scanId ?? null,
        unique: 0,
        duplicates: 0,
        undated: 0,
      });
      group.push({
        id,
        path: file.path,
        bytes: file.bytes,
        kept: kept && { sha256: kept.sha256, digest: kept.digest },
        keep: this.cache !== null,
      });
    }
    return group.length > 0 ? group : null;
  }

  /**
   * A task for bytes that are not one of the listed files (an S3 object's body, see `readCloudTrailStream`), named
   * `name`: its chunks and result go through `chunk` and `done` like a file's. Never kept in the cache.
   */
  streamTask(name: string): FileTask {
    const id = this.nextId++;
    this.inFlight.set(id, { path: name, keptBy: null, unique: 0, duplicates: 0, undated: 0 });
    return { id, path: name, bytes: 0, kept: null, keep: false };
  }

  /** Aggregates a chunk of a file that is still streaming. */
  chunk(id: number, chunk: Uint8Array): void {
    const file = this.inFlight.get(id);
    if (file) this.aggregate(file, chunk);
  }

  /**
   * Aggregates what is left of a file (its kept digest's chunks, when unchanged), records its outcome (also
   * returned), keeps its digest.
   */
  done(parsed: ParsedFile): FileOutcome | null {
    const file = this.inFlight.get(parsed.id);
    if (!file) return null;
    this.inFlight.delete(parsed.id);
    for (const chunk of parsed.chunks) this.aggregate(file, chunk);
    if (parsed.unchanged && file.keptBy !== null) {
      this.reused++;
      this.reusedFromScans.add(file.keptBy);
    }
    const messages = [...parsed.errors];
    if (file.undated > 0) {
      messages.push(
        `${formatCount(file.undated)} event${file.undated === 1 ? '' : 's'} without a valid eventTime: counted but not aggregated`,
      );
    }
    const outcome: FileOutcome = {
      file: file.path,
      events: file.unique,
      duplicates: file.duplicates,
      errors: messages.map((message) => ({ file: file.path, message })),
    };
    this.outcomes.push(outcome);
    // Only a file read cleanly is kept: one with problems is read (and reported) again next time.
    if (this.cache && parsed.stored && messages.length === 0 && parsed.sha256 !== null) {
      this.pending.push({
        key: resolve(file.path),
        bytes: parsed.bytes,
        sha256: parsed.sha256,
        digest: parsed.stored,
      });
      this.pendingBytes += parsed.stored.length;
      if (this.pending.length >= PENDING_DIGESTS || this.pendingBytes >= PENDING_DIGEST_BYTES) this.flush();
    }
    return outcome;
  }

  /** Writes the digests still waiting. */
  finish(): void {
    this.flush();
  }

  /** Deduplicates and aggregates the events of a chunk (a damaged one, which this build never makes, is skipped). */
  private aggregate(file: FileInFlight, chunk: Uint8Array): void {
    this.current = file;
    forEachChunkEvent(chunk, this.visit);
  }

  private readonly visit = (event: ObservedEvent): void => {
    const file = this.current as FileInFlight;
    if (!this.seen.addOne(event.idHash1, event.idHash2)) {
      file.duplicates++;
      return;
    }
    file.unique++;
    if (Number.isNaN(event.time)) file.undated++;
    this.aggregator.add(event);
  };

  private flush(): void {
    if (this.pending.length === 0 || !this.cache) return;
    this.cache.putMany(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
  }
}
