// A CloudTrail file's digest: the facts aggregation takes from each of its events, compact, so an unchanged file is replayed instead of parsed.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ObservedEvent } from './observedEvent.js';

/**
 * Changes whenever what is kept of an event (ObservedEvent) or how it is read changes: a digest of another format
 * is not replayed, its file is read again.
 */
const FORMAT = 0x43540001;
/** Per event: eventSource, eventName, userIdentity, userAgent, sourceIPAddress, resource (string numbers, 0 = null). */
const REFERENCES = 6;
const HEADER_WORDS = 4;

/**
 * Collects a file's events in reading order — duplicates included, so that replaying them through the same
 * deduplication gives the same counts — with every string once per file.
 */
export class FileDigestWriter {
  private readonly numbers = new Map<string, number>();
  private readonly strings: string[] = [];
  private times = new Float64Array(256);
  private hashes = new Uint32Array(512);
  private references = new Uint32Array(256 * REFERENCES);
  private count = 0;

  /** Events added so far. */
  get events(): number {
    return this.count;
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
  }

  /** The digest, deflated: a header, the times (Float64), string lengths, hashes and references (Uint32), UTF-8 text. */
  finish(): Uint8Array {
    const encoded = this.strings.map((text) => Buffer.from(text, 'utf8'));
    const textBytes = encoded.reduce((sum, bytes) => sum + bytes.length, 0);
    const n = this.count;
    const layout = digestLayout(n, encoded.length);
    const raw = Buffer.alloc(layout.textAt + textBytes);
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
    const deflated = deflateRawSync(raw, { level: 1 });
    return new Uint8Array(deflated.buffer, deflated.byteOffset, deflated.byteLength);
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

/** Where each part of a digest of `count` events and `strings` strings starts (header 16 bytes, so times are 8-aligned). */
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
 * The events of a digest, in the order they were read; null when it is of another format or damaged (the file is
 * then read again). `userIdentity` blocks are parsed once per distinct block.
 */
export function readFileDigest(digest: Uint8Array): ObservedEvent[] | null {
  let raw: Buffer;
  try {
    raw = inflateRawSync(digest);
  } catch {
    return null;
  }
  if (raw.length < HEADER_WORDS * 4) return null;
  // Typed-array views need aligned offsets; inflate's output may not start at one.
  const bytes = raw.byteOffset % 8 === 0 ? raw : Buffer.from(raw);
  const header = new Uint32Array(bytes.buffer, bytes.byteOffset, HEADER_WORDS);
  const [format, count, stringCount, textBytes] = header as unknown as [number, number, number, number];
  if (format !== FORMAT) return null;
  const layout = digestLayout(count, stringCount);
  if (layout.textAt + textBytes !== bytes.length) return null;
  const times = new Float64Array(bytes.buffer, bytes.byteOffset + layout.timesAt, count);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + layout.wordsAt, layout.words);
  const strings: Array<string | null> = [null];
  let offset = layout.textAt;
  for (let s = 0; s < stringCount; s++) {
    const length = words[s] as number;
    strings.push(bytes.toString('utf8', offset, offset + length));
    offset += length;
  }
  const hashesAt = stringCount;
  const referencesAt = hashesAt + count * 2;
  const text = (number: number): string | null => {
    if (number >= strings.length) throw new RangeError('string number out of range');
    return strings[number] ?? null;
  };
  const identities = new Map<number, unknown>();
  const events: ObservedEvent[] = new Array(count);
  try {
    for (let n = 0; n < count; n++) {
      const base = referencesAt + n * REFERENCES;
      const identityNumber = words[base + 2] as number;
      const userIdentityKey = text(identityNumber) ?? '';
      let userIdentity = identities.get(identityNumber);
      if (userIdentity === undefined && userIdentityKey !== '') {
        userIdentity = JSON.parse(userIdentityKey) as unknown;
        identities.set(identityNumber, userIdentity);
      }
      events[n] = {
        idHash1: words[hashesAt + n * 2] as number,
        idHash2: words[hashesAt + n * 2 + 1] as number,
        time: times[n] as number,
        eventSource: text(words[base] as number) ?? '',
        eventName: text(words[base + 1] as number) ?? '',
        userIdentity,
        userIdentityKey,
        userAgent: text(words[base + 3] as number),
        sourceAddress: text(words[base + 4] as number),
        resource: text(words[base + 5] as number),
      };
    }
  } catch {
    return null;
  }
  return events;
}
