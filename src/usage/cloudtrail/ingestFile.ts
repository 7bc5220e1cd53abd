// Reads CloudTrail files (plain or gzip, any of the supported shapes) into digests of their events, reporting bad input by position.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { EventFieldReader, FieldSyntaxError } from './eventFields.js';
import {
  formatCount,
  JsonEventScanner,
  JsonScanError,
  type ScannedObject,
  type ScannedValueSink,
} from './eventScanner.js';
import { compressChunks, expandDigest, FileDigestWriter } from './fileDigest.js';
import { looksLikeCloudTrailEvent, observeEvent, type ObservedEvent } from './observedEvent.js';

/** One file to read. */
export interface FileTask {
  /** Identifies the file within one ingestion. */
  id: number;
  path: string;
  /** Its size when listed. */
  bytes: number;
  /**
   * The digest kept for the file by an earlier scan (same key and size): if the file still hashes to its sha256, it
   * is not parsed (`unchanged`) and the digest's chunks stand for it.
   */
  kept: { sha256: string; digest: Uint8Array } | null;
  /** Hash the file and, when it reads cleanly, compress its digest for the cache (`stored`). */
  keep: boolean;
}

/** What reading one file gave. */
export interface ParsedFile {
  id: number;
  file: string;
  /** True when the file hashed to its kept digest's sha256: nothing was parsed, `chunks` are the kept digest's. */
  unchanged: boolean;
  /** Its size and sha256 (hex) as read, when hashing was asked for and it could be read. */
  bytes: number;
  sha256: string | null;
  /** The digest chunks of its events not already sent as they were read (see `ChunkSink`). */
  chunks: Uint8Array[];
  /** Its whole digest compressed for the cache, when `keep` was asked for and it was read without a problem. */
  stored: Uint8Array | null;
  /** Events parsed, duplicates included. */
  parsed: number;
  /** Problems found while reading, by position; the events before a problem are in the chunks. */
  errors: string[];
}

/** Receives a large file's digest chunks while it streams, so that memory stays bounded. */
export type ChunkSink = (id: number, chunk: Uint8Array) => void;

/** What a reading thread keeps across files: its field reader (with its caches) and its digest writer. */
export interface ReadingContext {
  fields: EventFieldReader;
  digest: FileDigestWriter;
  sendChunk: ChunkSink;
}

/** A context for one thread. */
export function readingContext(sendChunk: ChunkSink): ReadingContext {
  return { fields: new EventFieldReader(), digest: new FileDigestWriter(), sendChunk };
}

/** Events per digest chunk of a streamed file. */
const CHUNK_EVENTS = 4_096;
const READ_CHUNK_BYTES = 256 * 1024;
/**
 * Files up to this size are read with one call and decompressed in one go: a stream's per-file cost (opening,
 * callbacks, chunks) is most of the time for the many small files of the S3 layout. Larger files are streamed.
 */
const WHOLE_FILE_BYTES = 1024 * 1024;
/** Decompressed size above which a small gzip file is streamed after all (memory stays bounded). */
const WHOLE_JSON_BYTES = 32 * 1024 * 1024;
const MAX_MESSAGE_LENGTH = 240;

/**
 * Reads one file — gzip detected by its magic bytes, not its name; small files whole, large ones streamed — into
 * digest chunks of its events (see fileDigest.ts), for the aggregating thread to deduplicate and aggregate. When
 * the task knows a hash and the file still has it, nothing is parsed. Never throws for bad input: a truncated gzip,
 * invalid JSON or a non-CloudTrail file becomes an error naming the position, and the events parsed before the
 * problem are kept. One file at a time per context.
 */
export async function readCloudTrailFile(task: FileTask, context: ReadingContext): Promise<ParsedFile> {
  const reader = new EventFileReader(task, context);
  try {
    await reader.read();
  } catch (error) {
    reader.fail(`could not be processed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return reader.result();
}

/**
 * Like `readCloudTrailFile`, for bytes that are not a local file (an S3 object's body): `task.path` (an `s3://` URL)
 * labels the result and its errors. Gzip is detected by the magic bytes of the first chunk; the body is always
 * streamed, its digest chunks sent to `context.sendChunk` as they fill, like a large file's. A stream has nothing
 * kept to compare with, so `task.kept` is ignored; with `task.keep` it is hashed as it streams. Never throws for
 * bad input.
 */
export async function readCloudTrailStream(
  task: FileTask,
  body: Readable,
  context: ReadingContext,
): Promise<ParsedFile> {
  const reader = new EventFileReader({ ...task, kept: null }, context);
  try {
    const { gzip, stream } = await peekGzipMagic(body);
    await reader.readStream(stream, gzip, task.keep);
  } catch (error) {
    reader.fail(`could not be processed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return reader.result();
}

/** The state of reading one file. */
class EventFileReader implements ScannedValueSink {
  private readonly task: FileTask;
  private readonly file: string;
  private readonly fields: EventFieldReader;
  private readonly sendChunk: ChunkSink;
  private readonly digest: FileDigestWriter;
  private readonly chunks: Uint8Array[] = [];
  /** Every chunk, also those sent while streaming, when the digest is to be kept. */
  private readonly allChunks: Uint8Array[] = [];
  private unchanged = false;
  private bytes = 0;
  private sha256: string | null = null;
  /** Events parsed from this file, duplicates included. */
  private parsed = 0;
  private invalidValues = 0;
  private firstInvalid: string | null = null;
  private nonEvents = 0;
  private firstNonEvent = -1;
  private readonly errors: string[] = [];

  constructor(task: FileTask, context: ReadingContext) {
    this.task = task;
    this.file = task.path;
    this.fields = context.fields;
    this.digest = context.digest;
    this.sendChunk = context.sendChunk;
    this.digest.reset();
  }

  async read(): Promise<void> {
    const { task } = this;
    const hashing = task.keep || task.kept !== null;
    let whole: Buffer | null = null;
    try {
      if (task.bytes <= WHOLE_FILE_BYTES) {
        whole = readFileSync(this.file);
        this.bytes = whole.length;
        if (hashing) this.sha256 = createHash('sha256').update(whole).digest('hex');
      } else if (task.kept !== null) {
        // A large file is hashed first: when unchanged it is never decompressed.
        await this.hashStream();
      }
    } catch (error) {
      this.fail(`cannot read: ${systemMessage(error)}`);
      return;
    }
    if (task.kept !== null && this.sha256 === task.kept.sha256) {
      const chunks = expandDigest(task.kept.digest);
      if (chunks) {
        this.unchanged = true;
        this.chunks.push(...chunks);
        return;
      }
      // A kept digest that does not decode: the file is read again.
    }
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
    await this.readStream(createReadStream(this.file, { highWaterMark: READ_CHUNK_BYTES }), gzip, hashing);
  }

  /**
   * Reads the bytes of `raw` (gzip when `gzip`), whatever they come from — a local file, an S3 object's body — into
   * digest chunks, sending each to the sink as it fills (the last one stays for `result`). Hashes the raw bytes when
   * `hashing`.
   */
  async readStream(raw: Readable, gzip: boolean, hashing: boolean): Promise<void> {
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
        if (this.digest.pending >= CHUNK_EVENTS) this.sendStreamedChunk();
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

  private sendStreamedChunk(): void {
    const chunk = this.digest.takeChunk();
    if (!chunk) return;
    if (this.task.keep) this.allChunks.push(chunk);
    this.sendChunk(this.task.id, chunk);
  }

  private addParsed(event: ObservedEvent): void {
    this.parsed++;
    this.digest.add(event);
  }

  nonObject(startByte: number): void {
    this.nonEvents++;
    if (this.firstNonEvent < 0) this.firstNonEvent = startByte;
  }

  /** Records a problem with this file. */
  fail(message: string): void {
    this.errors.push(message);
  }

  result(): ParsedFile {
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
    const last = this.unchanged ? null : this.digest.takeChunk();
    if (last) {
      this.chunks.push(last);
      this.allChunks.push(last);
    }
    const keep = this.task.keep && !this.unchanged && messages.length === 0 && this.sha256 !== null;
    return {
      id: this.task.id,
      file: this.file,
      unchanged: this.unchanged,
      bytes: this.bytes,
      sha256: this.sha256,
      chunks: this.chunks,
      stored: keep ? compressChunks(this.allChunks) : null,
      parsed: this.parsed,
      errors: messages,
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

/** Whether a stream starts with the gzip magic bytes, and a stream that still yields every byte. */
async function peekGzipMagic(body: Readable): Promise<{ gzip: boolean; stream: Readable }> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < 2 && !done) {
    const next = await chunks.next();
    if (next.done) done = true;
    else {
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      head.push(chunk);
      length += chunk.length;
    }
  }
  const first = Buffer.concat(head);
  const gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  async function* rest(): AsyncGenerator<Buffer> {
    try {
      if (first.length > 0) yield first;
      if (done) return;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
      done = true;
    } finally {
      // Stopped early (bad input): release the body (an HTTP response) too.
      if (!done) await chunks.return?.();
    }
  }
  return { gzip, stream: Readable.from(rest(), { objectMode: false }) };
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
