// Compact set of seen eventIDs (64-bit hashes in an open-addressing table) to count duplicate deliveries once.

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

/**
 * The eventIDs seen so far, as 64-bit hashes: 8 bytes a slot, at most half full, so about 16–32 bytes per event.
 * With 64 bits, two distinct eventIDs collide with probability ~n²/2⁶⁵ (≈10⁻⁷ for 2 million events).
 */
export class EventIdSet {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    let capacity = 1 << 4;
    while (capacity < initialCapacity) capacity <<= 1;
    this.slots = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  /** Number of distinct hashes held. */
  get size(): number {
    return this.count;
  }

  /**
   * Adds each hash pair of `hashes` (two uint32 per event) and returns, per event, 1 when it was new
   * (or has no eventID) and 0 when it was already seen — including earlier in the same batch.
   */
  addAll(hashes: Uint32Array): Uint8Array {
    const events = hashes.length >>> 1;
    const fresh = new Uint8Array(events);
    for (let i = 0; i < events; i++) {
      const h1 = hashes[i * 2] as number;
      const h2 = hashes[i * 2 + 1] as number;
      fresh[i] = h1 === 0 && h2 === 0 ? 1 : this.add(h1, h2) ? 1 : 0;
    }
    return fresh;
  }

  /** Frees the table (8 bytes a slot, tens of MiB for millions of events) once no more events will come. */
  release(): void {
    this.slots = new Uint32Array(32);
    this.mask = 15;
    this.count = 0;
  }

  /** Adds one event's hash; true when it was new (or has no eventID: (0, 0)). */
  addOne(h1: number, h2: number): boolean {
    return (h1 === 0 && h2 === 0) || this.add(h1, h2);
  }

  private add(h1: number, h2: number): boolean {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    const slots = this.slots;
    let index = (h1 ^ Math.imul(h2, 0x9e3779b1)) & this.mask;
    for (;;) {
      const a = slots[index * 2] as number;
      const b = slots[index * 2 + 1] as number;
      if (a === 0 && b === 0) {
        slots[index * 2] = h1;
        slots[index * 2 + 1] = h2;
        this.count++;
        return true;
      }
      if (a === h1 && b === h2) return false;
      index = (index + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) {
      const h1 = old[i] as number;
      const h2 = old[i + 1] as number;
      if (h1 !== 0 || h2 !== 0) this.add(h1, h2);
    }
  }
}
