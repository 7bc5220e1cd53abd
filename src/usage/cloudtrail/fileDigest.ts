// A CloudTrail file's digest: the facts aggregation takes from each of its events, compact — what parsing threads send, and what the cache keeps.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ObservedEvent } from './observedEvent.js';

/**
 * Marks every chunk and its format: it changes whenever what is kept of an event (ObservedEvent) or how it is read
 * changes, so that a kept digest of another format is not replayed (its file is read again).
 */
const FORMAT = 0x43540003;
/**
 * Per event: eventSource, eventName, userIdentity, userAgent, sourceIPAddress, resource (string numbers, 0 = null),
 * then the userIdentity's two hash lanes.
 */
const REFERENCES = 8;
const HEADER_WORDS = 4;
/** A kept digest is a sequence of `[FORMAT, byteLength]` (two little-endian uint32) and that many deflated bytes. */
const CHUNK_HEADER_BYTES = 8;

/**
 * Collects events in reading order — duplicates included, so that replaying them through the same deduplication
 * gives the same counts — with every string once per chunk; `takeChunk` encodes what was added since the last one.
 * Chunks travel between threads as they are (copying a few kilobytes costs less than compressing them);
 * `compressChunks` makes the smaller form the cache keeps. One writer serves every file a thread reads.
 */
export class FileDigestWriter {
  private numbers = new Map<string, number>();
  private strings: string[] = [];
  private times = new Float64Array(256);
  private hashes = new Uint32Array(512);
  private references = new Uint32Array(256 * REFERENCES);
  private count = 0;

  /** Events added since the last chunk. */
  get pending(): number {
    return this.count;
  }

  /** Drops what was added since the last chunk (a file whose events are not wanted). */
  reset(): void {
    this.count = 0;
    this.numbers = new Map();
    this.strings = [];
  }

  add(event: ObservedEvent): void {
    if (this.count === this.times.length) this.grow();
    const n = this.count++;
    this.times[n] = event.time;
    this.hashes[n * 2] = event.idHash1;
    this.hashes[n * 2 + 1] = event.idHash2;
    const base = n * REFERENCES;
    const references = this.references;
    references[base] = this.number(event.eventSource);
    references[base + 1] = this.number(event.eventName);
    references[base + 2] = this.number(event.userIdentityKey);
    references[base + 3] = this.number(event.userAgent);
    references[base + 4] = this.number(event.sourceAddress);
    references[base + 5] = this.number(event.resource);
    references[base + 6] = event.identityHash1;
    references[base + 7] = event.identityHash2;
  }

  /**
   * The events added since the last chunk, encoded (a header, the times as Float64, string lengths, hashes and
   * references as Uint32, UTF-8 text, all deflated), or null when there are none.
   */
  takeChunk(): Uint8Array | null {
    const n = this.count;
    if (n === 0) return null;
    const encoded = this.strings.map((text) => Buffer.from(text, 'utf8'));
    const textBytes = encoded.reduce((sum, bytes) => sum + bytes.length, 0);
    const layout = digestLayout(n, encoded.length);
    // Its own buffer, exactly its size: a view into a larger one would be copied whole between threads.
    const raw = Buffer.from(new ArrayBuffer(layout.textAt + textBytes));
    const header = new Uint32Array(raw.buffer, raw.byteOffset, HEADER_WORDS);
    header[0] = FORMAT;
    header[1] = n;
    header[2] = encoded.length;
    header[3] = textBytes;
    new Float64Array(raw.buffer, raw.byteOffset + layout.timesAt, n).set(this.times.subarray(0, n));
    const words = new Uint32Array(raw.buffer, raw.byteOffset + layout.wordsAt, layout.words);
    encoded.forEach((bytes, s) => (words[s] = bytes.length));
    words.set(this.hashes.subarray(0, n * 2), encoded.length);
    words.set(this.references.subarray(0, n * REFERENCES), encoded.length + n * 2);
    let offset = layout.textAt;
    for (const bytes of encoded) {
      bytes.copy(raw, offset);
      offset += bytes.length;
    }
    this.count = 0;
    this.numbers = new Map();
    this.strings = [];
    return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  }

  /** The number of a string, 0 for null. */
  private number(text: string | null): number {
    if (text === null) return 0;
    let number = this.numbers.get(text);
    if (number === undefined) {
      this.strings.push(text);
      number = this.strings.length;
      this.numbers.set(text, number);
    }
    return number;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.times);
    this.times = times;
    const hashes = new Uint32Array(capacity * 2);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const references = new Uint32Array(capacity * REFERENCES);
    references.set(this.references);
    this.references = references;
  }
}

/** The form the cache keeps of a file's chunks: each deflated, behind its format and length. */
export function compressChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const bodies = chunks.map((chunk) => deflateRawSync(chunk, { level: 1 }));
  const digest = new Uint8Array(bodies.reduce((sum, body) => sum + CHUNK_HEADER_BYTES + body.length, 0));
  const view = new DataView(digest.buffer);
  let at = 0;
  for (const body of bodies) {
    view.setUint32(at, FORMAT, true);
    view.setUint32(at + 4, body.length, true);
    digest.set(body, at + CHUNK_HEADER_BYTES);
    at += CHUNK_HEADER_BYTES + body.length;
  }
  return digest;
}

/** True when every chunk of a kept digest is of this build's format and complete (checked without inflating). */
export function isCurrentDigest(digest: Uint8Array): boolean {
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  let at = 0;
  while (at < digest.length) {
    if (at + CHUNK_HEADER_BYTES > digest.length || view.getUint32(at, true) !== FORMAT) return false;
    at += CHUNK_HEADER_BYTES + view.getUint32(at + 4, true);
  }
  return at === digest.length;
}

/** The chunks of a kept digest, inflated; null when it is of another format or damaged. */
export function expandDigest(digest: Uint8Array): Uint8Array[] | null {
  if (!isCurrentDigest(digest)) return null;
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < digest.length;) {
    const length = view.getUint32(at + 4, true);
    const start = at + CHUNK_HEADER_BYTES;
    try {
      const raw = inflateRawSync(digest.subarray(start, start + length));
      chunks.push(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
    } catch {
      return null;
    }
    at = start + length;
  }
  return chunks;
}

/** Where each part of a chunk of `count` events and `strings` strings starts (header 16 bytes, so times are 8-aligned). */
function digestLayout(
  count: number,
  strings: number,
): { timesAt: number; wordsAt: number; words: number; textAt: number } {
  const timesAt = HEADER_WORDS * 4;
  const wordsAt = timesAt + count * 8;
  const words = strings + count * (2 + REFERENCES);
  return { timesAt, wordsAt, words, textAt: wordsAt + words * 4 };
}

/**
 * Calls `visit` with each event of a chunk, in the order they were read; false (and no call) when the chunk is
 * damaged or of another format. The same object is passed every time, refilled — the aggregator keeps none — so
 * that replaying makes no garbage per event. `userIdentity` is left for the aggregator to parse from its text.
 */
export function forEachChunkEvent(chunk: Uint8Array, visit: (event: ObservedEvent) => void): boolean {
  if (chunk.length < HEADER_WORDS * 4) return false;
  // Typed-array views need aligned offsets; a chunk inflated from the cache may not start at one.
  const bytes =
    chunk.byteOffset % 8 === 0
      ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      : Buffer.from(new Uint8Array(chunk));
  const header = new Uint32Array(bytes.buffer, bytes.byteOffset, HEADER_WORDS);
  const [format, count, stringCount, textBytes] = header as unknown as [number, number, number, number];
  if (format !== FORMAT) return false;
  const layout = digestLayout(count, stringCount);
  if (layout.textAt + textBytes !== bytes.length) return false;
  const times = new Float64Array(bytes.buffer, bytes.byteOffset + layout.timesAt, count);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + layout.wordsAt, layout.words);
  const referencesAt = stringCount + count * 2;
  for (let n = 0; n < count; n++) {
    const base = referencesAt + n * REFERENCES;
    for (let r = 0; r < 6; r++) if ((words[base + r] as number) > stringCount) return false;
  }
  // Strings are decoded when first used: most userIdentity texts never are (their hash is enough).
  const starts = new Uint32Array(stringCount + 2);
  starts[1] = layout.textAt;
  for (let s = 0; s < stringCount; s++) starts[s + 2] = (starts[s + 1] as number) + (words[s] as number);
  const decoded: Array<string | undefined> = new Array(stringCount + 1);
  const text = (number: number): string | null => {
    if (number === 0) return null;
    let value = decoded[number];
    if (value === undefined) {
      value = bytes.toString('utf8', starts[number] as number, starts[number + 1] as number);
      decoded[number] = value;
    }
    return value;
  };
  let identityNumber = 0;
  // The aggregator reads the userIdentity text only when it has not seen its hash: decoded on demand.
  const event = {
    idHash1: 0,
    idHash2: 0,
    time: 0,
    eventSource: '',
    eventName: '',
    userIdentity: undefined,
    get userIdentityKey(): string {
      return text(identityNumber) ?? '';
    },
    identityHash1: 0,
    identityHash2: 0,
    userAgent: null as string | null,
    sourceAddress: null as string | null,
    resource: null as string | null,
  } satisfies ObservedEvent;
  for (let n = 0; n < count; n++) {
    const base = referencesAt + n * REFERENCES;
    event.idHash1 = words[stringCount + n * 2] as number;
    event.idHash2 = words[stringCount + n * 2 + 1] as number;
    event.time = times[n] as number;
    event.eventSource = text(words[base] as number) ?? '';
    event.eventName = text(words[base + 1] as number) ?? '';
    identityNumber = words[base + 2] as number;
    event.identityHash1 = words[base + 6] as number;
    event.identityHash2 = words[base + 7] as number;
    event.userAgent = text(words[base + 3] as number);
    event.sourceAddress = text(words[base + 4] as number);
    event.resource = text(words[base + 5] as number);
    visit(event);
  }
  return true;
}
