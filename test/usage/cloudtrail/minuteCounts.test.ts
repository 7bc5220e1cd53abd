// Per-minute counts: exact busiest minutes per client row, whatever the counts and however many rows.
import { describe, expect, it } from 'vitest';
import { MinuteCounts } from '../../../src/usage/cloudtrail/minuteCounts.js';

const MINUTE = 29_000_000; // an epoch minute in 2025

describe('MinuteCounts', () => {
  it('adds the runs of a minute whenever they come, and gives each row its busiest minute', () => {
    // Given a table that starts small, so that its segments grow many times
    const counts = new MinuteCounts(16);
    // When 3,000 rows each get a run in every one of 40 minutes, and row 7 two more runs in minute +5, apart
    for (let minute = 0; minute < 40; minute++) {
      for (let row = 0; row < 3000; row++) counts.add(row, MINUTE + minute, 1 + ((row + minute) % 3));
    }
    counts.add(7, MINUTE + 5, 10);
    counts.add(7, MINUTE + 5, 20);
    const busiest = counts.busiest(3001);
    // Then row 7's peak is minute +5 with all its events; row 0's is its first minute with 3; row 3000 has none
    expect([busiest[14], busiest[15]]).toEqual([MINUTE + 5, 1 + ((7 + 5) % 3) + 30]);
    expect([busiest[0], busiest[1]]).toEqual([MINUTE + 2, 3]);
    expect(busiest[6001]).toBe(0);
    // and the table holds 120,000 minutes at 8 bytes a slot, at most 75 % full
    expect(counts.bytes / 120_000).toBeLessThan(8 / 0.59);
  });

  it('stays exact past what a slot holds: counts over 4,095, rows over a million, minutes before 1970', () => {
    const counts = new MinuteCounts();
    for (let run = 0; run < 5; run++) counts.add(1, MINUTE, 1000);
    counts.add(1, MINUTE + 1, 4999);
    counts.add(2_000_000, -3, 2);
    counts.add(2_000_000, -3, 5000);
    const busiest = counts.busiest(2_000_001);
    expect([busiest[2], busiest[3]]).toEqual([MINUTE, 5000]);
    expect([busiest[4_000_000], busiest[4_000_001]]).toEqual([-3, 5002]);
  });
});
