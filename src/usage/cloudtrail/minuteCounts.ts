// Events per (client-activity row, minute), in a compact segmented hash table, for exact peak-per-minute figures.
import { releasedTableBytes } from './releasedMemory.js';

const SEGMENT_BITS = 8;
const SEGMENTS = 1 << SEGMENT_BITS;
const MAX_LOAD = 0.75;
const GROWTH = 1.25;
const MIN_SEGMENT_SLOTS = 16;
/** A slot's second word is (row + 1) << COUNT_BITS | count: rows up to 2²⁰ − 2 and counts up to 4,095 fit in it. */
const COUNT_BITS = 12;
const MAX_SLOT_COUNT = (1 << COUNT_BITS) - 1;
const MAX_SLOT_ROW = (1 << (32 - COUNT_BITS)) - 2;

/**
 * Counts events per (row, epoch minute) in 8 bytes a slot — the minute, and the row and count packed in one word —
 * in 256 segments that each grow by 25 % past three quarters full (as the eventID set does): 11–13 bytes per
 * distinct active minute of a row, and growing copies one segment at a time. What does not fit a slot (a count past
 * 4,095, a row past a million) goes to a small map beside it, so every figure stays exact. A run cache per row in the
 * aggregator (consecutive events in the same minute) keeps most events from reaching the table at all.
 */
export class MinuteCounts {
  private readonly tables: Uint32Array[] = [];
  private readonly used = new Int32Array(SEGMENTS);
  /** Counts that do not fit a slot, by row and minute. */
  private readonly overflow = new Map<string, { row: number; minute: number; count: number }>();

  constructor(initialCapacity = 1 << 12) {
    const base = Math.max(MIN_SEGMENT_SLOTS, initialCapacity / SEGMENTS / MAX_LOAD);
    for (let s = 0; s < SEGMENTS; s++) {
      this.tables.push(new Uint32Array(2 * Math.ceil(base * GROWTH ** (s / SEGMENTS))));
    }
  }

  /** Bytes held by the tables. */
  get bytes(): number {
    return this.tables.reduce((sum, table) => sum + table.byteLength, 0);
  }

  /** Adds `count` events of `row` in `minute`. */
  add(row: number, minute: number, count: number): void {
    if (row > MAX_SLOT_ROW) {
      this.addOverflow(row, minute, count);
      return;
    }
    const key = (row + 1) << COUNT_BITS;
    let h = Math.imul(row + 1, 0x9e3779b1) ^ Math.imul(minute, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    h ^= h >>> 12;
    const segment = h >>> (32 - SEGMENT_BITS);
    let table = this.tables[segment] as Uint32Array;
    if (((this.used[segment] as number) + 1) * 2 > table.length * MAX_LOAD) table = this.grow(segment);
    const slots = table.length >>> 1;
    let index = Math.floor(((h & 0xffffff) * slots) / 0x1000000);
    for (;;) {
      const packed = table[index * 2 + 1] as number;
      if (packed === 0) {
        const fits = Math.min(count, MAX_SLOT_COUNT);
        table[index * 2] = minute;
        table[index * 2 + 1] = (key | fits) >>> 0;
        this.used[segment] = (this.used[segment] as number) + 1;
        if (fits < count) this.addOverflow(row, minute, count - fits);
        return;
      }
      if (
        packed >>> COUNT_BITS === (key >>> COUNT_BITS) >>> 0 &&
        (table[index * 2] as number) === minute >>> 0
      ) {
        const held = packed & MAX_SLOT_COUNT;
        const fits = Math.min(held + count, MAX_SLOT_COUNT);
        table[index * 2 + 1] = (key | fits) >>> 0;
        if (fits < held + count) this.addOverflow(row, minute, held + count - fits);
        return;
      }
      index = index + 1 === slots ? 0 : index + 1;
    }
  }

  /**
   * Per row (0 … rows − 1), its busiest minute and that minute's count: `[minute, count]` at `2 × row`; rows
   * without events have count 0. Computed in one pass, without listing the minutes of each row.
   */
  busiest(rows: number): Int32Array {
    const result = new Int32Array(rows * 2);
    const offer = (row: number, minute: number, count: number): void => {
      const at = row * 2;
      const best = result[at + 1] as number;
      if (count > best || (count === best && minute < (result[at] as number))) {
        result[at] = minute;
        result[at + 1] = count;
      }
    };
    for (const table of this.tables) {
      for (let i = 0; i < table.length; i += 2) {
        const packed = table[i + 1] as number;
        if (packed === 0) continue;
        const row = (packed >>> COUNT_BITS) - 1;
        if (row >= rows) continue;
        const minute = (table[i] as number) | 0;
        const extra = this.overflow.get(`${row}:${minute}`)?.count ?? 0;
        offer(row, minute, (packed & MAX_SLOT_COUNT) + extra);
      }
    }
    // Rows past the slot limit live only in the overflow map.
    for (const { row, minute, count } of this.overflow.values()) {
      if (row > MAX_SLOT_ROW && row < rows) offer(row, minute, count);
    }
    return result;
  }

  private addOverflow(row: number, minute: number, count: number): void {
    const key = `${row}:${minute}`;
    const entry = this.overflow.get(key);
    if (entry) entry.count += count;
    else this.overflow.set(key, { row, minute, count });
  }

  private grow(segment: number): Uint32Array {
    const old = this.tables[segment] as Uint32Array;
    const slots = Math.ceil((old.length / 2) * GROWTH);
    const table = new Uint32Array(slots * 2);
    for (let i = 0; i < old.length; i += 2) {
      const packed = old[i + 1] as number;
      if (packed === 0) continue;
      const row = (packed >>> COUNT_BITS) - 1;
      const minute = (old[i] as number) | 0;
      let h = Math.imul(row + 1, 0x9e3779b1) ^ Math.imul(minute, 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
      h ^= h >>> 12;
      let index = Math.floor(((h & 0xffffff) * slots) / 0x1000000);
      while ((table[index * 2 + 1] as number) !== 0) index = index + 1 === slots ? 0 : index + 1;
      table[index * 2] = old[i] as number;
      table[index * 2 + 1] = packed;
    }
    this.tables[segment] = table;
    releasedTableBytes(old.byteLength);
    return table;
  }
}

/** The highest count in a `[minute, count, …]` list, or in several lists for the same row (counts of a minute add). */
export function peakPerMinute(lists: readonly Int32Array[]): number {
  let highest = 0;
  if (lists.length === 1) {
    const list = lists[0] as Int32Array;
    for (let i = 1; i < list.length; i += 2) if ((list[i] as number) > highest) highest = list[i] as number;
    return highest;
  }
  const totals = new Map<number, number>();
  for (const list of lists) {
    for (let i = 0; i < list.length; i += 2) {
      const minute = list[i] as number;
      const total = (totals.get(minute) ?? 0) + (list[i + 1] as number);
      totals.set(minute, total);
      if (total > highest) highest = total;
    }
  }
  return highest;
}
