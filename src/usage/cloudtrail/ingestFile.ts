// Reads one CloudTrail file (plain or gzip, any of the supported shapes) into an aggregator, or replays its digest when unchanged.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { InputError } from '../../model/types.js';
import { EventFieldReader, FieldSyntaxError } from './eventFields.js';
import {
  formatCount,
  JsonEventScanner,
  JsonScanError,
  type ScannedObject,
  type ScannedValueSink,
} from './eventScanner.js';
import { FileDigestWriter, readFileDigest } from './fileDigest.js';
import { looksLikeCloudTrailEvent, observeEvent, type ObservedEvent } from './observedEvent.js';
import type { UsageAggregator } from './usageAggregator.js';

/**
 * Decides which events are new: receives two uint32 hash lanes per event (see `hashEventId`) and returns one
 * byte per event, 1 when new. In a worker thread this is a round trip to the main thread, which holds the one set.
 */
export type Deduplicate = (hashes: Uint32Array) => Uint8Array | Promise<Uint8Array>;

/** One file to read. */
export interface FileTask {
  path: string;
  /** Its size when listed. */
  bytes: number;
  /** Its digest from an earlier scan, when one is stored for its key and size: replayed if the file's hash matches. */
  cached: { sha256: string; digest: Uint8Array } | null;
  /** Hash the file and, when it reads cleanly, make a digest of it for the cache. */
  keep: boolean;
}

/** How one file fared. */
export interface FileOutcome {
  file: string;
  /** Unique events read from this file (first copies, whatever their date). */
  events: number;
  /** Copies of events already read (same eventID), skipped. */
  duplicates: number;
  errors: InputError[];
  /** True when its events were replayed from the cached digest: the file was hashed, not parsed. */
  reused: boolean;
  /** Its size and sha256 (hex) as read, when hashing was asked for and it could be read whole. */
  bytes: number;
  sha256: string | null;
  /** Its digest for the cache: only for a file read (not replayed) without any error, when `keep` was asked for. */
  digest: Uint8Array | null;
}

const BATCH_SIZE = 2048;
const READ_CHUNK_BYTES = 256 * 1024;
/**
 * Files up to this size are read with one call and decompressed in one go: a stream's per-file cost (opening,
 * callbacks, chunks) is most of the time for the many small files of the S3 layout. Larger files are streamed.
 */
const WHOLE_FILE_BYTES = 1024 * 1024;
/** Decompressed size above which a small gzip file is streamed after all (memory stays bounded). */
const WHOLE_JSON_BYTES = 32 * 1024 * 1024;
const MAX_MESSAGE_LENGTH = 240;

/** What reading files needs, one per thread. */
export interface IngestContext {
  aggregator: UsageAggregator;
  deduplicate: Deduplicate;
  fields: EventFieldReader;
}

/** A context for one thread. */
export function ingestContext(aggregator: UsageAggregator, deduplicate: Deduplicate): IngestContext {
  return { aggregator, deduplicate, fields: new EventFieldReader() };
}

/**
 * Reads a file — gzip detected by its magic bytes, not its name; small files whole, large ones streamed — and adds
 * its unique events to the context's aggregator. When the task carries a cached digest whose hash matches the
 * file's, the digest's events are replayed instead (same deduplication, same aggregation, no parsing). Never throws
 * for bad input: a truncated gzip, invalid JSON or a non-CloudTrail file becomes an error naming the file and the
 * position, and events parsed before the problem are kept.
 */
export async function ingestFile(task: FileTask, context: IngestContext): Promise<FileOutcome> {
  const reader = new EventFileReader(task, context);
  try {
    await reader.read();
  } catch (error) {
    reader.fail(`could not be processed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return reader.outcome();
}

/** The state of reading one file. */
class EventFileReader implements ScannedValueSink {
  private readonly file: string;
  private readonly task: FileTask;
  private digest: FileDigestWriter | null = null;
  private reused = false;
  private bytes = 0;
  private sha256: string | null = null;
  private readonly aggregator: UsageAggregator;
  private readonly deduplicate: Deduplicate;
  private readonly fields: EventFieldReader;
  private batch: ObservedEvent[] = [];
  /** Events parsed from this file, duplicates included. */
  private parsed = 0;
  private unique = 0;
  private duplicates = 0;
  private undated = 0;
  private invalidValues = 0;
  private firstInvalid: string | null = null;
  private nonEvents = 0;
  private firstNonEvent = -1;
  private readonly errors: string[] = [];

  constructor(task: FileTask, context: IngestContext) {
    this.file = task.path;
    this.task = task;
    this.aggregator = context.aggregator;
    this.deduplicate = context.deduplicate;
    this.fields = context.fields;
  }

  async read(): Promise<void> {
    const { task } = this;
    const hashing = task.keep || task.cached !== null;
    let whole: Buffer | null = null;
    try {
      if (task.bytes <= WHOLE_FILE_BYTES) {
        whole = readFileSync(this.file);
        this.bytes = whole.length;
        if (hashing) this.sha256 = createHash('sha256').update(whole).digest('hex');
      } else if (task.cached) {
        // A large file is hashed first: when unchanged it is never decompressed.
        await this.hashStream();
      }
    } catch (error) {
      this.fail(`cannot read: ${systemMessage(error)}`);
      return;
    }
    if (task.cached && this.sha256 === task.cached.sha256) {
      const events = readFileDigest(task.cached.digest);
      if (events) {
        this.reused = true;
        for (const event of events) this.addParsed(event);
        await this.flush();
        return;
      }
    }
    if (task.keep) this.digest = new FileDigestWriter();
    const json = whole ? wholeJson(whole) : null;
    if (json) {
      const scanner = new JsonEventScanner(this);
      try {
        scanner.push(json);
        scanner.end();
      } catch (error) {
        if (!(error instanceof JsonScanError)) throw error;
        this.fail(`${error.message} (after ${formatCount(this.parsed)} events)`);
      }
      await this.flush();
      return;
    }
    // Large, or a gzip that does not decompress whole (truncated, damaged, huge): streamed, so that the events before
    // a problem are kept and the problem is reported where it is.
    await this.stream(hashing && this.sha256 === null);
  }

  private async hashStream(): Promise<void> {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(this.file, { highWaterMark: READ_CHUNK_BYTES })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    this.bytes = bytes;
    this.sha256 = hash.digest('hex');
  }

  private async stream(hashing: boolean): Promise<void> {
    let gzip: boolean;
    try {
      gzip = await startsWithGzipMagic(this.file);
    } catch (error) {
      this.fail(`cannot read: ${systemMessage(error)}`);
      return;
    }
    const raw = createReadStream(this.file, { highWaterMark: READ_CHUNK_BYTES });
    let hash: Hash | null = null;
    if (hashing) {
      hash = createHash('sha256');
      this.bytes = 0;
      raw.on('data', (chunk) => {
        hash?.update(chunk as Buffer);
        this.bytes += (chunk as Buffer).length;
      });
    }
    const gunzip = gzip ? createGunzip({ chunkSize: READ_CHUNK_BYTES }) : null;
    if (gunzip) {
      raw.on('error', (error) => gunzip.destroy(error));
      raw.pipe(gunzip);
    }
    const source: Readable = gunzip ?? raw;
    const scanner = new JsonEventScanner(this);
    let streamFailed = false;
    try {
      for await (const chunk of source) {
        try {
          scanner.push(chunk as Buffer);
        } catch (error) {
          if (!(error instanceof JsonScanError)) throw error;
          this.fail(`${error.message} (after ${formatCount(this.parsed)} events)`);
          streamFailed = true;
          break;
        }
        if (this.batch.length >= BATCH_SIZE) await this.flush();
      }
    } catch (error) {
      streamFailed = true;
      this.fail(this.streamErrorMessage(error, gzip));
    } finally {
      raw.destroy();
      gunzip?.destroy();
    }
    if (!streamFailed) {
      try {
        scanner.end();
      } catch (error) {
        if (!(error instanceof JsonScanError)) throw error;
        this.fail(`${error.message} (after ${formatCount(this.parsed)} events)`);
      }
    }
    // A file cut short is not kept, so a partial hash does not matter.
    if (hash) this.sha256 = hash.digest('hex');
    await this.flush();
  }

  object(scanned: ScannedObject): void {
    let extracted;
    try {
      extracted = this.fields.read(scanned);
    } catch (error) {
      if (!(error instanceof FieldSyntaxError)) throw error;
      this.invalidValues++;
      this.firstInvalid ??= `invalid JSON at byte ${formatCount(scanned.startByte + error.byte)}: ${truncate(error.message)}`;
      return;
    }
    if (extracted === 'not-an-event') this.nonObject(scanned.startByte);
    else if (extracted === 'parse-whole') {
      this.parseWhole(scanned.bytes.toString('utf8', scanned.start, scanned.end), scanned.startByte);
    } else {
      this.addParsed(extracted);
    }
  }

  private addParsed(event: ObservedEvent): void {
    this.parsed++;
    this.batch.push(event);
    this.digest?.add(event);
  }

  nonObject(startByte: number): void {
    this.nonEvents++;
    if (this.firstNonEvent < 0) this.firstNonEvent = startByte;
  }

  /** Records a problem with this file. */
  fail(message: string): void {
    this.errors.push(message);
  }

  outcome(): FileOutcome {
    const messages = [...this.errors];
    if (this.invalidValues > 0) {
      const skipped = this.invalidValues > 1 ? ` (${counted(this.invalidValues, 'value')} skipped)` : '';
      messages.push(`${this.firstInvalid ?? 'invalid JSON'}${skipped}`);
    }
    if (this.nonEvents > 0) {
      messages.push(
        this.parsed === 0 && this.invalidValues === 0
          ? `not a CloudTrail file: no CloudTrail events found (${counted(this.nonEvents, 'JSON value')} without eventSource, eventName, eventTime or eventID)`
          : `${counted(this.nonEvents, 'JSON value')} in it ${this.nonEvents === 1 ? 'is' : 'are'} not CloudTrail events (first at byte ${formatCount(this.firstNonEvent)})`,
      );
    }
    if (this.undated > 0) {
      messages.push(
        `${counted(this.undated, 'event')} without a valid eventTime: counted but not aggregated`,
      );
    }
    return {
      file: this.file,
      events: this.unique,
      duplicates: this.duplicates,
      errors: messages.map((message) => ({ file: this.file, message })),
      reused: this.reused,
      bytes: this.bytes,
      sha256: this.sha256,
      digest: messages.length === 0 && this.digest && this.sha256 !== null ? this.digest.finish() : null,
    };
  }

  /** The slow path, for wrappers and LookupEvents items: parse the whole value. */
  private parseWhole(text: string, startByte: number): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.invalidValues++;
      this.firstInvalid ??= describeParseError(error, text, startByte);
      return;
    }
    this.accept(value, startByte);
  }

  private accept(value: unknown, startByte: number): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.nonObject(startByte);
      return;
    }
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.Records)) {
      for (const element of record.Records) this.accept(element, startByte);
      return;
    }
    if (typeof record.CloudTrailEvent === 'string') {
      // LookupEvents output: the event itself is a JSON string inside each item.
      this.parseWhole(record.CloudTrailEvent, startByte);
      return;
    }
    if (!looksLikeCloudTrailEvent(record)) {
      this.nonObject(startByte);
      return;
    }
    this.addParsed(observeEvent(record));
  }

  private async flush(): Promise<void> {
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    const hashes = new Uint32Array(batch.length * 2);
    for (let i = 0; i < batch.length; i++) {
      const event = batch[i] as ObservedEvent;
      hashes[i * 2] = event.idHash1;
      hashes[i * 2 + 1] = event.idHash2;
    }
    const fresh = await this.deduplicate(hashes);
    for (let i = 0; i < batch.length; i++) {
      if (fresh[i] !== 1) {
        this.duplicates++;
        continue;
      }
      const event = batch[i] as ObservedEvent;
      this.unique++;
      if (Number.isNaN(event.time)) this.undated++;
      this.aggregator.add(event);
    }
  }

  private streamErrorMessage(error: unknown, gzip: boolean): string {
    const code = (error as { code?: unknown } | null)?.code;
    const after = `after ${formatCount(this.parsed)} events`;
    if (gzip && (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(systemMessage(error)))) {
      return `unexpected end of gzip data ${after}: the file is truncated`;
    }
    if (gzip && typeof code === 'string' && code.startsWith('Z_')) {
      return `invalid gzip data ${after}: ${systemMessage(error)}`;
    }
    return `read failed ${after}: ${systemMessage(error)}`;
  }
}

/** The JSON text of a whole file: itself, or decompressed when gzip; null when it must be streamed instead. */
function wholeJson(bytes: Buffer): Buffer | null {
  if (!(bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: WHOLE_JSON_BYTES });
  } catch {
    return null;
  }
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** `Unexpected token … in JSON at position 12` → `invalid JSON at byte <absolute>: Unexpected token …`. */
function describeParseError(error: unknown, text: string, startByte: number): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  const short = truncate(message.replace(/ in JSON at position \d+.*$/, ''));
  if (position) {
    const byte = startByte + Buffer.byteLength(text.slice(0, Number(position[1])));
    return `invalid JSON at byte ${formatCount(byte)}: ${short}`;
  }
  return `invalid JSON in the value starting at byte ${formatCount(startByte)}: ${short}`;
}

function systemMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES') return 'permission denied';
    if (code === 'EISDIR') return 'is a directory';
    return error.message;
  }
  return String(error);
}

/** `1 event`, `2 events`, `1,234 events`. */
const counted = (count: number, noun: string): string =>
  `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;

const truncate = (message: string): string =>
  message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
