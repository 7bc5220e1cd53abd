// The files of one ingestion handed out one by one with their cached digests, and the new digests kept in batches.
import { resolve } from 'node:path';
import type { FileOutcome, FileTask } from './ingestFile.js';
import type { InputFile } from './inputFiles.js';
import type { CloudTrailFileCache, CloudTrailFileDigest } from '../../store/cloudtrailFiles.js';

/** Digests waiting to be written are flushed past these. */
const PENDING_DIGESTS = 512;
const PENDING_DIGEST_BYTES = 8 * 1024 * 1024;

/**
 * The files to read, largest first (so that no thread is left with a big file at the end), each with its cached
 * digest looked up when it is handed out; and what comes back: outcomes counted, new digests kept in batches.
 */
export class FileTasks {
  private readonly queue: InputFile[];
  private readonly cache: CloudTrailFileCache | null;
  private readonly cachedScans = new Map<string, number>();
  private nextIndex = 0;
  private pending: CloudTrailFileDigest[] = [];
  private pendingBytes = 0;
  /** Files replayed from their digests. */
  reused = 0;
  readonly reusedFromScans = new Set<number>();

  constructor(files: readonly InputFile[], cache: CloudTrailFileCache | null) {
    this.queue = [...files].sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1));
    this.cache = cache;
  }

  /** The next file to read, or null when all have been handed out. */
  next(): FileTask | null {
    const file = this.queue[this.nextIndex++];
    if (!file) return null;
    const cached = this.cache?.get(resolve(file.path), file.bytes) ?? null;
    if (cached) this.cachedScans.set(file.path, cached.scanId);
    return {
      path: file.path,
      bytes: file.bytes,
      cached: cached && { sha256: cached.sha256, digest: cached.digest },
      keep: this.cache !== null,
    };
  }

  /** Takes a file's outcome: counts a replay, keeps a new digest. Returns the outcome without its digest. */
  done(outcome: FileOutcome): FileOutcome {
    if (outcome.reused) {
      this.reused++;
      const scanId = this.cachedScans.get(outcome.file);
      if (scanId !== undefined) this.reusedFromScans.add(scanId);
    }
    this.cachedScans.delete(outcome.file);
    if (this.cache && outcome.digest && outcome.sha256 !== null) {
      this.pending.push({
        key: resolve(outcome.file),
        bytes: outcome.bytes,
        sha256: outcome.sha256,
        digest: outcome.digest,
      });
      this.pendingBytes += outcome.digest.byteLength;
      if (this.pending.length >= PENDING_DIGESTS || this.pendingBytes >= PENDING_DIGEST_BYTES) this.flush();
    }
    return { ...outcome, digest: null };
  }

  /** Writes the digests still waiting. */
  finish(): void {
    this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0 || !this.cache) return;
    this.cache.putMany(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
  }
}
