// Byte-level scanner that cuts each CloudTrail event object out of a streamed JSON document and locates its top-level members.

/** Flags of a member in `ScannedObject.members`. */
export const MEMBER_STRING = 1;
/** The string value contains escapes (decode it with JSON.parse). */
export const MEMBER_ESCAPED = 2;
/** The value is an object or an array. */
export const MEMBER_NESTED = 4;
/** Number of Int32 slots per member: keyStart, keyEnd, valueStart, valueEnd, flags. */
export const MEMBER_SLOTS = 5;
/** Members recorded per object; objects with more are flagged `membersOverflow` (the reader then parses them whole). */
export const MAX_MEMBERS = 128;

/** An object cut out of the stream. Valid only during the `object` call: the scanner reuses it. */
export interface ScannedObject {
  /** A buffer holding the object's bytes, `{` at `start` to `}` at `end - 1` (no copy when it fits in one chunk). */
  bytes: Buffer;
  start: number;
  end: number;
  /** Offset of its first byte in the (decompressed) stream. */
  startByte: number;
  /**
   * Its top-level members whose value is a string, object or array (scalars are not recorded), as
   * `MEMBER_SLOTS` Int32 each: key start/end (inside the quotes), value start/end (strings with their quotes),
   * flags — offsets relative to `start`.
   */
  members: Int32Array;
  memberCount: number;
  membersOverflow: boolean;
}

/** Receives what the scanner cuts out of the stream. */
export interface ScannedValueSink {
  /**
   * A complete JSON object that may be an event: an element of a top-level array, an element of a top-level
   * object's `Records` (S3 delivery) or `Events` (LookupEvents output) array, or a whole top-level object
   * (a single event, or one line of JSONL).
   */
  object(scanned: ScannedObject): void;
  /** An array element or top-level value that is not an object (counted, so non-CloudTrail input is reported). */
  nonObject(startByte: number): void;
}

/** Malformed framing: the position is a byte offset in the (decompressed) stream. */
export class JsonScanError extends Error {
  readonly byte: number;
  constructor(message: string, byte: number) {
    super(message);
    this.name = 'JsonScanError';
    this.byte = byte;
  }
}

/** Largest single JSON value kept in memory (CloudTrail caps an event at 256 KB; this only stops runaway input). */
export const MAX_VALUE_BYTES = 64 * 1024 * 1024;
const MAX_DEPTH = 1024;

const OBJECT = 1;
const ARRAY = 2;
const QUOTE = 0x22;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const BACKSLASH = 0x5c;
/** Longest depth-1 key worth remembering in a top-level object: only `Records` and `Events` matter. */
const MAX_KEY_LENGTH = 16;

/** What the string being scanned is, for member bookkeeping. */
const STRING_OTHER = 0;
const STRING_MEMBER_KEY = 1;
const STRING_MEMBER_VALUE = 2;

/**
 * A push scanner over the bytes of one JSON document (or a sequence of them, as in JSONL). It tracks string and
 * escape state and bracket depth only, hands each event object's bytes to the sink with the positions of its
 * top-level members, and keeps memory bounded by the largest event whatever the file size. It validates framing
 * (balanced brackets, strings, what may appear at the top level); values inside an event are validated only where
 * the reader parses them.
 */
export class JsonEventScanner {
  private readonly sink: ScannedValueSink;
  private readonly maxValueBytes: number;
  private readonly stack = new Uint8Array(MAX_DEPTH);
  private depth = 0;
  /** Absolute offset of the current chunk's first byte. */
  private offset = 0;
  private inString = false;
  private stringEscaped = false;
  private stringRole = STRING_OTHER;
  /** Bytes to skip at the start of the next chunk (an escape that straddles chunks). */
  private skip = 0;
  /** Position of the next backslash in the current chunk (the chunk's length when none), -1 when unknown. */
  private nextBackslash = -1;
  /** Bytes of a leading byte order mark matched so far; -1 once past it. */
  private bomMatched = 0;

  /** Type of the current top-level value's container, 0 between values. */
  private topContainer = 0;
  private topStart = 0;
  /** Depth of the array whose elements are events (1: top-level array, 2: `Records`), 0 when none. */
  private elementDepth = 0;
  private expectElement = false;

  /** Depth-1 key tracking in a top-level object, to spot `Records`/`Events`. */
  private trackingKey = false;
  private keyStart = 0;
  private keyPrefix = '';
  private lastString = '';
  private currentKey: string | null = null;

  /** The object being cut out: absolute start, depth inside it, bytes from earlier chunks. */
  private captureStart = -1;
  private captureDepth = 0;
  private parts: Buffer[] = [];
  private partsBytes = 0;

  /** Its top-level members. */
  private readonly members = new Int32Array(MAX_MEMBERS * MEMBER_SLOTS);
  private memberCount = 0;
  private membersOverflow = false;
  private memberKeyExpected = false;
  private memberKeyStart = 0;
  private memberKeyEnd = 0;
  private memberValueStart = 0;
  private readonly scanned: ScannedObject = {
    bytes: Buffer.alloc(0),
    start: 0,
    end: 0,
    startByte: 0,
    members: this.members,
    memberCount: 0,
    membersOverflow: false,
  };

  constructor(sink: ScannedValueSink, maxValueBytes: number = MAX_VALUE_BYTES) {
    this.sink = sink;
    this.maxValueBytes = maxValueBytes;
  }

  /** Scans the next chunk. Throws JsonScanError on malformed framing. */
  push(chunk: Buffer): void {
    const length = chunk.length;
    let i = this.skip;
    this.skip = 0;
    this.nextBackslash = -1;
    if (i > length) {
      this.skip = i - length;
      i = length;
    }
    // A UTF-8 byte order mark may open the stream (possibly split across the first chunks).
    while (this.bomMatched >= 0 && i < length) {
      if (chunk[i] !== UTF8_BOM[this.bomMatched]) {
        this.bomMatched = -1;
        break;
      }
      i++;
      if (++this.bomMatched === UTF8_BOM.length) this.bomMatched = -1;
    }

    while (i < length) {
      if (this.inString) {
        i = this.scanString(chunk, i, length);
        continue;
      }
      const byte = chunk[i] as number;
      switch (byte) {
        case 0x20:
        case 0x0a:
        case 0x0d:
        case 0x09:
          break;
        case QUOTE:
          this.beginString(i);
          break;
        case 0x7b: // {
          this.openObject(i);
          break;
        case 0x5b: // [
          this.openArray(i);
          break;
        case 0x7d: // }
        case 0x5d: // ]
          this.close(chunk, i, byte === 0x7d ? OBJECT : ARRAY);
          break;
        case 0x3a: // :
          if (this.depth === 1 && this.topContainer === OBJECT) this.currentKey = this.lastString;
          break;
        case 0x2c: // ,
          if (this.depth === 0) throw this.unexpected(byte, i);
          if (this.depth === this.elementDepth) this.expectElement = true;
          if (this.depth === 1) this.currentKey = null;
          if (this.depth === this.captureDepth) this.memberKeyExpected = true;
          break;
        default:
          if (this.depth === 0) throw this.unexpected(byte, i);
          this.scalarStart(i);
      }
      i++;
    }

    if (this.captureStart >= 0) {
      const from = Math.max(0, this.captureStart - this.offset);
      if (from < length) {
        this.parts.push(chunk.subarray(from));
        this.partsBytes += length - from;
      }
      if (this.partsBytes > this.maxValueBytes) {
        throw new JsonScanError(
          `the JSON value starting at byte ${formatCount(this.captureStart)} is larger than ${Math.round(this.maxValueBytes / 1048576)} MiB: not a CloudTrail event`,
          this.captureStart,
        );
      }
    }
    if (this.inString && this.trackingKey && this.keyPrefix.length <= MAX_KEY_LENGTH) {
      const from = Math.max(0, this.keyStart - this.offset);
      this.keyPrefix += chunk.toString('latin1', from, Math.min(length, from + MAX_KEY_LENGTH + 1));
    }
    this.offset += length;
  }

  /** Checks that the input ended between values. Throws JsonScanError when it stopped inside one. */
  end(): void {
    if (this.depth > 0 || this.inString) {
      const start = this.captureStart >= 0 ? this.captureStart : this.topStart;
      throw new JsonScanError(
        `unexpected end of data at byte ${formatCount(this.offset)}: the value starting at byte ${formatCount(start)} is incomplete`,
        this.offset,
      );
    }
  }

  /**
   * Finds the end of the current string from `start`; returns the index to continue from. Quotes are found with
   * `indexOf` (native); backslashes too, but the next one's position is remembered per chunk, since most strings
   * have none.
   */
  private scanString(chunk: Buffer, start: number, length: number): number {
    let i = start;
    for (;;) {
      const quote = chunk.indexOf(QUOTE, i);
      const limit = quote === -1 ? length : quote;
      let backslash = this.nextBackslash;
      if (backslash < i) {
        backslash = chunk.indexOf(BACKSLASH, i);
        if (backslash === -1) backslash = length;
        this.nextBackslash = backslash;
      }
      if (backslash < limit) {
        this.stringEscaped = true;
        i = backslash + 2;
        if (i > length) {
          this.skip = i - length;
          return length;
        }
        continue;
      }
      if (quote === -1) return length;
      this.endString(chunk, quote);
      return quote + 1;
    }
  }

  private beginString(i: number): void {
    if (this.depth === 0) throw this.unexpected(QUOTE, i);
    this.scalarStart(i);
    this.inString = true;
    this.stringEscaped = false;
    this.stringRole = STRING_OTHER;
    if (this.depth === this.captureDepth && this.captureStart >= 0) {
      const relative = this.offset + i - this.captureStart;
      if (this.memberKeyExpected) {
        this.stringRole = STRING_MEMBER_KEY;
        this.memberKeyExpected = false;
        this.memberKeyStart = relative + 1;
      } else {
        this.stringRole = STRING_MEMBER_VALUE;
        this.memberValueStart = relative;
      }
    }
    if (this.depth === 1 && this.topContainer === OBJECT) {
      this.trackingKey = true;
      this.keyStart = this.offset + i + 1;
      this.keyPrefix = '';
    }
  }

  private endString(chunk: Buffer, quote: number): void {
    this.inString = false;
    if (this.stringRole === STRING_MEMBER_KEY) {
      this.memberKeyEnd = this.offset + quote - this.captureStart;
    } else if (this.stringRole === STRING_MEMBER_VALUE) {
      this.addMember(
        this.offset + quote + 1 - this.captureStart,
        MEMBER_STRING | (this.stringEscaped ? MEMBER_ESCAPED : 0),
      );
    }
    if (this.trackingKey) this.endKey(chunk, quote);
  }

  private addMember(valueEnd: number, flags: number): void {
    if (this.memberCount === MAX_MEMBERS) {
      this.membersOverflow = true;
      return;
    }
    const base = this.memberCount++ * MEMBER_SLOTS;
    const members = this.members;
    members[base] = this.memberKeyStart;
    members[base + 1] = this.memberKeyEnd;
    members[base + 2] = this.memberValueStart;
    members[base + 3] = valueEnd;
    members[base + 4] = flags;
  }

  private endKey(chunk: Buffer, quote: number): void {
    this.trackingKey = false;
    const from = this.keyStart - this.offset;
    if (from >= 0) {
      this.lastString = quote - from <= MAX_KEY_LENGTH ? chunk.toString('latin1', from, quote) : '';
    } else {
      const whole = this.keyPrefix + chunk.toString('latin1', 0, Math.min(quote, MAX_KEY_LENGTH + 1));
      this.lastString = whole.length <= MAX_KEY_LENGTH ? whole : '';
    }
  }

  /** A value that is not an object where an event was expected. */
  private scalarStart(i: number): void {
    if (this.expectElement && this.depth === this.elementDepth) {
      this.expectElement = false;
      this.sink.nonObject(this.offset + i);
    }
  }

  private openObject(i: number): void {
    const absolute = this.offset + i;
    if (this.depth === 0) {
      this.topContainer = OBJECT;
      this.topStart = absolute;
      this.currentKey = null;
      this.startCapture(absolute, 1);
    } else if (this.expectElement && this.depth === this.elementDepth) {
      this.expectElement = false;
      this.startCapture(absolute, this.depth + 1);
    } else if (this.depth === this.captureDepth && this.captureStart >= 0) {
      this.memberValueStart = absolute - this.captureStart;
    }
    this.pushContainer(OBJECT, i);
  }

  private openArray(i: number): void {
    const absolute = this.offset + i;
    if (this.depth === 0) {
      this.topContainer = ARRAY;
      this.topStart = absolute;
      this.pushContainer(ARRAY, i);
      this.elementDepth = 1;
      this.expectElement = true;
      return;
    }
    if (
      this.depth === 1 &&
      this.topContainer === OBJECT &&
      (this.currentKey === 'Records' || this.currentKey === 'Events')
    ) {
      // An S3 delivery (or LookupEvents output): stream its elements instead of keeping the whole object.
      this.captureStart = -1;
      this.captureDepth = 0;
      this.parts = [];
      this.partsBytes = 0;
      this.pushContainer(ARRAY, i);
      this.elementDepth = 2;
      this.expectElement = true;
      return;
    }
    this.scalarStart(i);
    if (this.depth === this.captureDepth && this.captureStart >= 0)
      this.memberValueStart = absolute - this.captureStart;
    this.pushContainer(ARRAY, i);
  }

  private pushContainer(type: number, i: number): void {
    if (this.depth >= MAX_DEPTH) {
      throw new JsonScanError(
        `invalid JSON at byte ${formatCount(this.offset + i)}: nested deeper than ${MAX_DEPTH} levels`,
        this.offset + i,
      );
    }
    this.stack[this.depth++] = type;
  }

  private close(chunk: Buffer, i: number, type: number): void {
    if (this.depth === 0 || this.stack[this.depth - 1] !== type) {
      throw this.unexpected(type === OBJECT ? 0x7d : 0x5d, i);
    }
    if (this.depth === this.elementDepth && this.expectElement && type === ARRAY) this.expectElement = false;
    const closedDepth = this.depth--;
    if (this.captureStart >= 0) {
      if (closedDepth === this.captureDepth) this.emit(chunk, i);
      else if (closedDepth === this.captureDepth + 1) {
        this.addMember(this.offset + i + 1 - this.captureStart, MEMBER_NESTED);
      }
    }
    if (type === ARRAY && closedDepth === this.elementDepth) {
      this.elementDepth = 0;
      this.expectElement = false;
    }
    if (this.depth === 0) {
      this.topContainer = 0;
      this.currentKey = null;
    }
  }

  private startCapture(absolute: number, depth: number): void {
    this.captureStart = absolute;
    this.captureDepth = depth;
    this.parts = [];
    this.partsBytes = 0;
    this.memberCount = 0;
    this.membersOverflow = false;
    this.memberKeyExpected = true;
  }

  private emit(chunk: Buffer, i: number): void {
    const scanned = this.scanned;
    scanned.startByte = this.captureStart;
    if (this.parts.length === 0) {
      scanned.bytes = chunk;
      scanned.start = this.captureStart - this.offset;
      scanned.end = i + 1;
    } else {
      scanned.bytes = Buffer.concat([...this.parts, chunk.subarray(0, i + 1)]);
      scanned.start = 0;
      scanned.end = scanned.bytes.length;
    }
    scanned.memberCount = this.memberCount;
    scanned.membersOverflow = this.membersOverflow;
    this.captureStart = -1;
    this.captureDepth = 0;
    this.parts = [];
    this.partsBytes = 0;
    this.sink.object(scanned);
  }

  private unexpected(byte: number, i: number): JsonScanError {
    const absolute = this.offset + i;
    const shown =
      byte >= 0x20 && byte < 0x7f ? `'${String.fromCharCode(byte)}'` : `byte 0x${byte.toString(16)}`;
    const expected = this.depth === 0 ? ": expected '{' or '['" : '';
    return new JsonScanError(
      `invalid JSON at byte ${formatCount(absolute)}: unexpected ${shown}${expected}`,
      absolute,
    );
  }
}

/** `1234567` → `1,234,567`, for messages people read. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
