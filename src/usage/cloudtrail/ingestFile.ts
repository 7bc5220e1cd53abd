// Streams one CloudTrail file (plain or gzip, any of the supported shapes) into an aggregator, reporting bad input by position.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { InputError } from '../../model/types.js';
import { EventFieldReader, FieldSyntaxError } from './eventFields.js';
import {
  formatCount,
  JsonEventScanner,
  JsonScanError,
  type ScannedObject,
  type ScannedValueSink,
} from './eventScanner.js';
import { looksLikeCloudTrailEvent, observeEvent, type ObservedEvent } from './observedEvent.js';
import type { UsageAggregator } from './usageAggregator.js';

/**
 * Decides which events are new: receives two uint32 hash lanes per event (see `hashEventId`) and returns one
 * byte per event, 1 when new. In a worker thread this is a round trip to the main thread, which holds the one set.
 */
export type Deduplicate = (hashes: Uint32Array) => Uint8Array | Promise<Uint8Array>;

/** How one file fared. */
export interface FileOutcome {
  file: string;
  /** Unique events read from this file (first copies, whatever their date). */
  events: number;
  /** Copies of events already read (same eventID), skipped. */
  duplicates: number;
  errors: InputError[];
}

const BATCH_SIZE = 2048;
const READ_CHUNK_BYTES = 256 * 1024;
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
 * Reads `file` as a stream — gzip detected by its magic bytes, not its name — and adds its unique events to the
 * context's aggregator. Never throws for bad input: a truncated gzip, invalid JSON or a non-CloudTrail file becomes
 * an error naming the file and the position, and events parsed before the problem are kept.
 */
export async function ingestFile(file: string, context: IngestContext): Promise<FileOutcome> {
  const reader = new EventFileReader(file, context);
  try {
    await reader.read();
  } catch (error) {
    reader.fail(`could not be processed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return reader.outcome();
}

/**
 * Like `ingestFile`, for bytes that are not a local file (an S3 object's body): `name` (an `s3://` URL) labels the
 * outcome and its errors. Gzip is detected by the magic bytes of the first chunk. Never throws for bad input.
 */
export async function ingestStream(
  name: string,
  body: Readable,
  context: IngestContext,
): Promise<FileOutcome> {
  const reader = new EventFileReader(name, context);
  try {
    const { gzip, stream } = await peekGzipMagic(body);
    await reader.readStream(stream, gzip);
  } catch (error) {
    reader.fail(`could not be processed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return reader.outcome();
}

/** The state of reading one file. */
class EventFileReader implements ScannedValueSink {
  private readonly file: string;
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

  constructor(file: string, context: IngestContext) {
    this.file = file;
    this.aggregator = context.aggregator;
    this.deduplicate = context.deduplicate;
    this.fields = context.fields;
  }

  async read(): Promise<void> {
    let gzip: boolean;
    try {
      gzip = await startsWithGzipMagic(this.file);
    } catch (error) {
      this.fail(`cannot read: ${systemMessage(error)}`);
      return;
    }
    await this.readStream(createReadStream(this.file, { highWaterMark: READ_CHUNK_BYTES }), gzip);
  }

  /** Reads the bytes of `raw` (gzip when `gzip`), whatever they come from: a local file, an S3 object's body. */
  async readStream(raw: Readable, gzip: boolean): Promise<void> {
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
      this.parsed++;
      this.batch.push(extracted);
    }
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
    this.parsed++;
    this.batch.push(observeEvent(record));
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
