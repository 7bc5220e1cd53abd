// Events per (client-activity row, minute), in a compact open-addressing table, for exact peak-per-minute figures.

/**
 * Counts events per (row, epoch minute): three Int32 per slot (row + 1, minute, count), at most three quarters full,
 * so 16 to 32 bytes per distinct active minute of a row — a fraction of a Map entry's cost, and no per-row Map.
 * A one-entry run cache per row (`addRun`) absorbs the common case of consecutive events in the same minute.
 */
export class MinuteCounts {
  private slots: Int32Array;
  private mask: number;
  private used = 0;

  constructor(initialCapacity = 1 << 12) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity <<= 1;
    this.slots = new Int32Array(capacity * 3);
    this.mask = capacity - 1;
  }

  /** Adds `count` events of `row` in `minute`. */
  add(row: number, minute: number, count: number): void {
    if ((this.used + 1) * 4 > (this.mask + 1) * 3) this.grow();
    const slots = this.slots;
    const key = row + 1;
    let index = (Math.imul(key, 0x9e3779b1) ^ Math.imul(minute, 0x85ebca6b)) & this.mask;
    for (;;) {
      const base = index * 3;
      const stored = slots[base] as number;
      if (stored === 0) {
        slots[base] = key;
        slots[base + 1] = minute;
        slots[base + 2] = count;
        this.used++;
        return;
      }
      if (stored === key && slots[base + 1] === minute) {
        slots[base + 2] = (slots[base + 2] as number) + count;
        return;
      }
      index = (index + 1) & this.mask;
    }
  }

  /** Per row, its (minute, count) pairs flattened: `[minute, count, minute, count, …]`. */
  byRow(rows: number): Int32Array[] {
    const sizes = new Int32Array(rows);
    const slots = this.slots;
    for (let base = 0; base < slots.length; base += 3) {
      const key = slots[base] as number;
      if (key !== 0) sizes[key - 1] = (sizes[key - 1] as number) + 2;
    }
    const lists = Array.from(sizes, (size) => new Int32Array(size));
    const filled = new Int32Array(rows);
    for (let base = 0; base < slots.length; base += 3) {
      const key = slots[base] as number;
      if (key === 0) continue;
      const row = key - 1;
      const at = filled[row] as number;
      const list = lists[row] as Int32Array;
      list[at] = slots[base + 1] as number;
      list[at + 1] = slots[base + 2] as number;
      filled[row] = at + 2;
    }
    return lists;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = new Int32Array(capacity * 3);
    this.mask = capacity - 1;
    this.used = 0;
    for (let base = 0; base < old.length; base += 3) {
      const key = old[base] as number;
      if (key !== 0) this.add(key - 1, old[base + 1] as number, old[base + 2] as number);
    }
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
