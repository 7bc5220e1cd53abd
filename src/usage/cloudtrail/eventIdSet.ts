// Compact set of seen eventIDs (64-bit hashes in open-addressing tables) to count duplicate deliveries once.
import { releasedTableBytes } from './releasedMemory.js';

/** Where an event's eventID hash goes: two uint32 lanes, (0, 0) meaning "no eventID". */
export interface EventIdHash {
  idHash1: number;
  idHash2: number;
}

const SEED_1 = 0xdeadbeef;
const SEED_2 = 0x41c6ce57;

/**
 * Hashes `eventId` to 64 bits (cyrb53-style mixing of two 32-bit lanes) into `into`. (0, 0) is reserved for
 * "no eventID": such events are never treated as duplicates.
 */
export function hashEventId(eventId: string | null, into: EventIdHash): void {
  if (eventId === null || eventId.length === 0) {
    into.idHash1 = 0;
    into.idHash2 = 0;
    return;
  }
  let h1 = SEED_1;
  let h2 = SEED_2;
  for (let i = 0; i < eventId.length; i++) {
    const code = eventId.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  finish(h1, h2, into);
}

/**
 * The same hash computed from the UTF-8 bytes of an ASCII eventID, without making a string. Returns false (and
 * hashes nothing) when a byte is not ASCII, so the caller decodes the string and uses `hashEventId`.
 */
export function hashEventIdBytes(bytes: Buffer, start: number, end: number, into: EventIdHash): boolean {
  if (end <= start) {
    into.idHash1 = 0;
    into.idHash2 = 0;
    return true;
  }
  let h1 = SEED_1;
  let h2 = SEED_2;
  for (let i = start; i < end; i++) {
    const code = bytes[i] as number;
    if (code >= 0x80) return false;
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  finish(h1, h2, into);
  return true;
}

function finish(h1: number, h2: number, into: EventIdHash): void {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  h1 >>>= 0;
  h2 >>>= 0;
  if (h1 === 0 && h2 === 0) h2 = 1;
  into.idHash1 = h1;
  into.idHash2 = h2;
}

/** Segments of the set, chosen by the top bits of the first hash lane: each grows on its own. */
const SEGMENT_BITS = 8;
const SEGMENTS = 1 << SEGMENT_BITS;
/** A segment grows past this share of its slots (linear probing stays short below it)… */
const MAX_LOAD = 0.75;
/** …by this factor: with many segments, growth costs a small copy at a time, so it can be gradual. */
const GROWTH = 1.25;
const MIN_SEGMENT_SLOTS = 16;

/**
 * The eventIDs seen so far, as 64-bit hashes (two uint32 lanes, 8 bytes a slot). Sized to hold the events, not a
 * power of two: 256 segments, each an open-addressing table indexed by multiply-shift over its own size, kept
 * between 60 % and 75 % full by growing 25 % at a time — so about 11–13 bytes per event (24 MiB for 2 million), and
 * growing never holds two copies of the whole set, only of one segment. The segments' first sizes are staggered so
 * that they do not all grow at the same moment.
 * With 64 bits, two distinct eventIDs collide (the second is taken for a duplicate) with probability about
 * n²/2⁶⁵: 1 in 9 million for 2 million events, 1 in 370,000 for 10 million.
 */
export class EventIdSet {
  private tables: Uint32Array[] = [];
  private counts = new Int32Array(SEGMENTS);
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    const base = Math.max(MIN_SEGMENT_SLOTS, initialCapacity / SEGMENTS / MAX_LOAD);
    for (let s = 0; s < SEGMENTS; s++) {
      this.tables.push(new Uint32Array(2 * Math.ceil(base * GROWTH ** (s / SEGMENTS))));
    }
  }

  /** Number of distinct hashes held. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the tables. */
  get bytes(): number {
    return this.tables.reduce((sum, table) => sum + table.byteLength, 0);
  }

  /** Frees the tables (tens of MiB for millions of events) once no more events will come; the set is then empty. */
  release(): void {
    releasedTableBytes(this.bytes);
    this.tables = Array.from({ length: SEGMENTS }, () => new Uint32Array(2 * MIN_SEGMENT_SLOTS));
    this.counts = new Int32Array(SEGMENTS);
    this.count = 0;
  }

  /** Adds one event's hash; true when it was new (or has no eventID: (0, 0)). */
  addOne(h1: number, h2: number): boolean {
    if (h1 === 0 && h2 === 0) return true;
    const segment = h1 >>> (32 - SEGMENT_BITS);
    let table = this.tables[segment] as Uint32Array;
    if (((this.counts[segment] as number) + 1) * 2 > table.length * MAX_LOAD) table = this.grow(segment);
    if (!insert(table, h1, h2)) return false;
    this.counts[segment] = (this.counts[segment] as number) + 1;
    this.count++;
    return true;
  }

  private grow(segment: number): Uint32Array {
    const old = this.tables[segment] as Uint32Array;
    const slots = Math.ceil((old.length / 2) * GROWTH);
    const table = new Uint32Array(slots * 2);
    for (let i = 0; i < old.length; i += 2) {
      const h1 = old[i] as number;
      const h2 = old[i + 1] as number;
      if (h1 !== 0 || h2 !== 0) insert(table, h1, h2);
    }
    this.tables[segment] = table;
    releasedTableBytes(old.byteLength);
    return table;
  }
}

/** Puts (h1, h2) in its slot of `table` (linear probing from a multiply-shift of h2); false when already there. */
function insert(table: Uint32Array, h1: number, h2: number): boolean {
  const slots = table.length >>> 1;
  // h2 < 2³² and a segment has fewer than 2²¹ slots (up to ~400 million events), so the product is exact.
  let index = Math.floor(((h2 >>> 0) * slots) / 4294967296);
  for (;;) {
    const a = table[index * 2] as number;
    const b = table[index * 2 + 1] as number;
    if (a === 0 && b === 0) {
      table[index * 2] = h1;
      table[index * 2 + 1] = h2;
      return true;
    }
    if (a === h1 && b === h2) return false;
    index = index + 1 === slots ? 0 : index + 1;
  }
}
