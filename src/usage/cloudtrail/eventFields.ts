// Builds an ObservedEvent from a scanned event's member positions, decoding only the fields aggregation needs.
import { hashEventId, hashEventIdBytes, type EventIdHash } from './eventIdSet.js';
import {
  MEMBER_ESCAPED,
  MEMBER_NESTED,
  MEMBER_SLOTS,
  MEMBER_STRING,
  type ScannedObject,
} from './eventScanner.js';
import { firstResourceArn, parseEventTime, type ObservedEvent } from './observedEvent.js';

/** What a scanned object gave: an event, or why not. */
export type ExtractionOutcome = ObservedEvent | 'not-an-event' | 'parse-whole';

/** Invalid JSON inside a field that is decoded; `byte` is relative to the object's first byte. */
export class FieldSyntaxError extends Error {
  readonly byte: number;
  constructor(message: string, byte: number) {
    super(message);
    this.name = 'FieldSyntaxError';
    this.byte = byte;
  }
}

const EVENT_ID = 0;
const EVENT_TIME = 1;
const TIMESTAMP = 2;
const EVENT_SOURCE = 3;
const EVENT_NAME = 4;
const USER_IDENTITY = 5;
const USER_AGENT = 6;
const SOURCE_IP_ADDRESS = 7;
const RESOURCES = 8;
const EVENT_VERSION = 9;
const RECORDS = 10;
const CLOUDTRAIL_EVENT = 11;
const FIELD_COUNT = 12;

const FIELD_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['eventID', EVENT_ID],
  ['eventTime', EVENT_TIME],
  ['@timestamp', TIMESTAMP],
  ['eventSource', EVENT_SOURCE],
  ['eventName', EVENT_NAME],
  ['userIdentity', USER_IDENTITY],
  ['userAgent', USER_AGENT],
  ['sourceIPAddress', SOURCE_IP_ADDRESS],
  ['resources', RESOURCES],
  ['eventVersion', EVENT_VERSION],
  ['Records', RECORDS],
  ['CloudTrailEvent', CLOUDTRAIL_EVENT],
];

/**
 * Field names by signature (length, first and last byte), as bytes: most keys of an event are rejected by one
 * lookup in a small array, and only a signature match is compared byte by byte.
 */
const signatureOf = (length: number, first: number, last: number): number =>
  ((length & 0x1f) << 10) | ((first ^ (last << 3)) & 0x3ff);
const FIELDS_BY_SIGNATURE: Array<Array<readonly [Buffer, number]> | undefined> = new Array(1 << 15);
for (const [name, field] of FIELD_NAMES) {
  const bytes = Buffer.from(name, 'latin1');
  (FIELDS_BY_SIGNATURE[signatureOf(bytes.length, bytes[0] as number, bytes[bytes.length - 1] as number)] ??=
    []).push([bytes, field]);
}

/**
 * `bytes.toString('utf8', start, end)` without its argument handling, which costs more than the decoding for the
 * short strings of an event. `utf8Slice` is what Buffer#toString calls; it has been on Buffer.prototype since Node 0.x.
 */
const decodeUtf8: (bytes: Buffer, start: number, end: number) => string =
  typeof (Buffer.prototype as unknown as { utf8Slice?: unknown }).utf8Slice === 'function'
    ? (bytes, start, end) =>
        (bytes as unknown as { utf8Slice(start: number, end: number): string }).utf8Slice(start, end)
    : (bytes, start, end) => bytes.toString('utf8', start, end);

/** Distinct values an interner keeps before it starts again (files come in time order, so the live set is small). */
const CACHE_LIMIT = 2_048;
/** `userIdentity` blocks are long (hundreds of bytes) and, with rotating session keys, many: fewer are kept. */
const USER_IDENTITY_CACHE_LIMIT = 1_024;

/** Strings up to this length are hashed and compared byte by byte in JS; longer ones are sampled and compared natively. */
const SHORT_STRING = 48;
/** Byte stride of the hash of long strings (verified by a full native compare, so sampling only affects speed). */
const LONG_STRING_STRIDE = 8;

/**
 * Strings that recur across events (eventSource, eventName, addresses, user agents, `userIdentity` blocks),
 * interned by their bytes: a repeated value costs a hash and a compare instead of decoding a new string (no garbage),
 * and the same string object comes back, whose hash V8 has already computed for later Map lookups.
 */
class ByteStringInterner<T extends { text: string }> {
  private table = new Map<number, Array<{ bytes: Buffer; entry: T }>>();
  private size = 0;
  private readonly create: (text: string) => T;
  private readonly limit: number;

  constructor(create: (text: string) => T, limit: number = CACHE_LIMIT) {
    this.create = create;
    this.limit = limit;
  }

  intern(bytes: Buffer, start: number, end: number): T {
    const length = end - start;
    const stride = length <= SHORT_STRING ? 1 : LONG_STRING_STRIDE;
    let hash = 0x811c9dc5 ^ length;
    for (let i = start; i < end; i += stride) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
    hash = Math.imul(hash ^ (bytes[end - 1] as number), 0x01000193);
    const key = hash & 0x3fffffff;
    const bucket = this.table.get(key);
    if (bucket) {
      for (const candidate of bucket) {
        if (candidate.bytes.length !== length) continue;
        if (
          length <= SHORT_STRING
            ? sameBytes(candidate.bytes, bytes, start)
            : bytes.compare(candidate.bytes, 0, length, start, end) === 0
        ) {
          return candidate.entry;
        }
      }
    }
    if (this.size >= this.limit) {
      this.table = new Map();
      this.size = 0;
    }
    const entry = this.create(decodeUtf8(bytes, start, end));
    // Its own small allocation: a slice of the shared Buffer pool would keep a whole 8 KiB slab alive.
    const copy = Buffer.allocUnsafeSlow(length);
    bytes.copy(copy, 0, start, end);
    const stored = { bytes: copy, entry };
    const current = this.table.get(key);
    if (current) current.push(stored);
    else this.table.set(key, [stored]);
    this.size++;
    return entry;
  }
}

function sameBytes(stored: Buffer, bytes: Buffer, start: number): boolean {
  for (let i = 0; i < stored.length; i++) if (stored[i] !== bytes[start + i]) return false;
  return true;
}

interface InternedText {
  text: string;
}

/** A `userIdentity` block: its text, whether it is valid JSON, and its 64-bit hash (the aggregator's cache key). */
interface InternedUserIdentity extends InternedText, EventIdHash {
  valid: boolean;
}

/**
 * Reads events out of scanned objects. One per thread: its caches (interned strings, checked `userIdentity`
 * blocks, the last day of `eventTime`) are shared by all the files the thread reads.
 */
export class EventFieldReader {
  private readonly found = new Int32Array(FIELD_COUNT);
  private readonly sources = new ByteStringInterner<InternedText>(textEntry);
  private readonly names = new ByteStringInterner<InternedText>(textEntry);
  private readonly addresses = new ByteStringInterner<InternedText>(textEntry);
  private readonly userAgents = new ByteStringInterner<InternedText>(textEntry);
  /** `userIdentity` blocks: one principal's events repeat the same block, so it is decoded and parsed once. */
  private readonly userIdentities = new ByteStringInterner<InternedUserIdentity>((text) => {
    const entry = { text, valid: false, idHash1: 0, idHash2: 0 };
    hashEventId(text, entry);
    return entry;
  }, USER_IDENTITY_CACHE_LIMIT);
  private lastDayKey = -1;
  private rangeStart = 0;
  private rangeEnd = 0;
  private rangeEscaped = false;
  private lastDayStart = 0;

  /**
   * The event in `scanned`, decoding only eventID (hashed from its bytes), eventTime/@timestamp (parsed from its
   * bytes), eventSource, eventName, userAgent, sourceIPAddress (interned; JSON-decoded when escaped), `resources`
   * and `userIdentity` (parsed). Returns 'not-an-event' for objects without any CloudTrail field, and 'parse-whole'
   * for wrappers (`Records`, LookupEvents' `CloudTrailEvent`) or objects with too many members.
   * Throws FieldSyntaxError when a decoded field is not valid JSON.
   */
  read(scanned: ScannedObject): ExtractionOutcome {
    if (scanned.membersOverflow) return 'parse-whole';
    const { bytes, members, memberCount, start: origin } = scanned;
    const found = this.found;
    for (let f = 0; f < FIELD_COUNT; f++) found[f] = -1;
    let any = false;
    for (let m = 0; m < memberCount; m++) {
      const base = m * MEMBER_SLOTS;
      const keyStart = origin + (members[base] as number);
      const field = fieldOf(bytes, keyStart, origin + (members[base + 1] as number));
      if (field >= 0 && found[field] === -1) {
        found[field] = base;
        any = true;
      }
    }
    if (found[RECORDS] !== -1 || found[CLOUDTRAIL_EVENT] !== -1) return 'parse-whole';
    if (!any) return 'not-an-event';

    const userIdentity = this.userIdentity(scanned);
    const resourcesText = this.nested(scanned, RESOURCES, 0x5b);
    const event: ObservedEvent = {
      idHash1: 0,
      idHash2: 0,
      time: this.time(scanned),
      eventSource: this.interned(scanned, EVENT_SOURCE, this.sources) ?? '',
      eventName: this.interned(scanned, EVENT_NAME, this.names) ?? '',
      // Parsed by the aggregator from its text, once per distinct block; here it is only checked.
      userIdentity: undefined,
      userIdentityKey: userIdentity?.text ?? '',
      identityHash1: userIdentity?.idHash1 ?? 0,
      identityHash2: userIdentity?.idHash2 ?? 0,
      userAgent: this.interned(scanned, USER_AGENT, this.userAgents),
      sourceAddress: this.interned(scanned, SOURCE_IP_ADDRESS, this.addresses),
      resource:
        resourcesText === null
          ? null
          : firstResourceArn(parseField(resourcesText, this.valueStart(RESOURCES, scanned))),
    };
    this.eventId(scanned, event);
    return event;
  }

  /** Value start (relative to the object) of a found field. */
  private valueStart(field: number, scanned: ScannedObject): number {
    return scanned.members[(this.found[field] as number) + 2] as number;
  }

  /**
   * Locates a found string field's contents in `bytes` into rangeStart/rangeEnd/rangeEscaped (fields, not a tuple:
   * this runs several times per event). False when absent, not a string, or empty.
   */
  private stringRange(scanned: ScannedObject, field: number): boolean {
    const base = this.found[field] as number;
    if (base < 0) return false;
    const flags = scanned.members[base + 4] as number;
    if (!(flags & MEMBER_STRING)) return false;
    this.rangeStart = scanned.start + (scanned.members[base + 2] as number) + 1;
    this.rangeEnd = scanned.start + (scanned.members[base + 3] as number) - 1;
    this.rangeEscaped = (flags & MEMBER_ESCAPED) !== 0;
    return this.rangeEnd > this.rangeStart;
  }

  private interned(
    scanned: ScannedObject,
    field: number,
    interner: ByteStringInterner<InternedText>,
  ): string | null {
    if (!this.stringRange(scanned, field)) return null;
    return this.rangeEscaped
      ? this.escaped(scanned, this.rangeStart, this.rangeEnd, field)
      : interner.intern(scanned.bytes, this.rangeStart, this.rangeEnd).text;
  }

  private escaped(scanned: ScannedObject, start: number, end: number, field: number): string | null {
    const value = parseField(decodeUtf8(scanned.bytes, start - 1, end + 1), this.valueStart(field, scanned));
    return typeof value === 'string' && value.length > 0 ? value : null;
  }

  private eventId(scanned: ScannedObject, event: ObservedEvent): void {
    if (!this.stringRange(scanned, EVENT_ID)) return;
    const { rangeStart: start, rangeEnd: end, rangeEscaped: escaped } = this;
    if (escaped || !hashEventIdBytes(scanned.bytes, start, end, event)) {
      hashEventId(
        escaped ? this.escaped(scanned, start, end, EVENT_ID) : decodeUtf8(scanned.bytes, start, end),
        event,
      );
    }
  }

  /** `YYYY-MM-DDTHH:MM:SSZ` (or with `.mmm`) straight from the bytes; anything else through Date.parse. */
  private time(scanned: ScannedObject): number {
    const field = this.stringRange(scanned, EVENT_TIME)
      ? EVENT_TIME
      : this.stringRange(scanned, TIMESTAMP)
        ? TIMESTAMP
        : -1;
    if (field < 0) return NaN;
    const { rangeStart: start, rangeEnd: end, rangeEscaped: escaped } = this;
    const bytes = scanned.bytes;
    const length = end - start;
    if (
      !escaped &&
      (length === 20 || (length === 24 && bytes[start + 19] === 0x2e)) &&
      bytes[start + 4] === 0x2d &&
      bytes[start + 7] === 0x2d &&
      bytes[start + 10] === 0x54 &&
      bytes[start + 13] === 0x3a &&
      bytes[start + 16] === 0x3a &&
      bytes[end - 1] === 0x5a
    ) {
      const year = digits(bytes, start, 4);
      const month = digits(bytes, start + 5, 2);
      const day = digits(bytes, start + 8, 2);
      const hours = digits(bytes, start + 11, 2);
      const minutes = digits(bytes, start + 14, 2);
      const seconds = digits(bytes, start + 17, 2);
      const millis = length === 24 ? digits(bytes, start + 20, 3) : 0;
      if (
        year >= 0 &&
        month >= 1 &&
        month <= 12 &&
        day >= 1 &&
        day <= 31 &&
        hours < 24 &&
        minutes < 60 &&
        seconds < 60 &&
        hours >= 0 &&
        minutes >= 0 &&
        seconds >= 0 &&
        millis >= 0
      ) {
        const dayKey = (year * 100 + month) * 100 + day;
        if (dayKey !== this.lastDayKey) {
          this.lastDayStart = Date.UTC(year, month - 1, day);
          this.lastDayKey = dayKey;
        }
        return this.lastDayStart + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
      }
    }
    const text = escaped ? this.escaped(scanned, start, end, field) : decodeUtf8(bytes, start, end);
    return text === null ? NaN : parseEventTime(text);
  }

  /** [start, end) in `bytes` of a found object/array field whose first byte is `opening`, or false. */
  private nestedRange(scanned: ScannedObject, field: number, opening: number): boolean {
    const base = this.found[field] as number;
    if (base < 0) return false;
    if (!((scanned.members[base + 4] as number) & MEMBER_NESTED)) return false;
    this.rangeStart = scanned.start + (scanned.members[base + 2] as number);
    this.rangeEnd = scanned.start + (scanned.members[base + 3] as number);
    return scanned.bytes[this.rangeStart] === opening;
  }

  /** The text of a found object/array field whose first byte is `opening`, or null. */
  private nested(scanned: ScannedObject, field: number, opening: number): string | null {
    return this.nestedRange(scanned, field, opening)
      ? decodeUtf8(scanned.bytes, this.rangeStart, this.rangeEnd)
      : null;
  }

  private userIdentity(scanned: ScannedObject): InternedUserIdentity | null {
    if (!this.nestedRange(scanned, USER_IDENTITY, 0x7b)) return null;
    const entry = this.userIdentities.intern(scanned.bytes, this.rangeStart, this.rangeEnd);
    if (!entry.valid) {
      parseField(entry.text, this.valueStart(USER_IDENTITY, scanned));
      entry.valid = true;
    }
    return entry;
  }
}

const textEntry = (text: string): InternedText => ({ text });

function fieldOf(bytes: Buffer, start: number, end: number): number {
  if (end <= start) return -1;
  const candidates =
    FIELDS_BY_SIGNATURE[signatureOf(end - start, bytes[start] as number, bytes[end - 1] as number)];
  if (!candidates) return -1;
  for (const [name, field] of candidates) {
    if (name.length !== end - start) continue;
    let i = 1;
    while (i < name.length && bytes[start + i] === name[i]) i++;
    if (i === name.length) return field;
  }
  return -1;
}

/** The decimal number in `count` bytes, or a negative number when one is not a digit. */
function digits(bytes: Buffer, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = (bytes[i] as number) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function parseField(text: string, relativeStart: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Buffer.byteLength(text.slice(0, Number(position[1]))) : 0;
    throw new FieldSyntaxError(message.replace(/ in JSON at position \d+.*$/, ''), relativeStart + offset);
  }
}
