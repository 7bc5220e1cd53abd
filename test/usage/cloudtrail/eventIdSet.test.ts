// The eventID set: every eventID is new once and a duplicate after, however large the set grows, in bounded memory.
import { describe, expect, it } from 'vitest';
import { EventIdSet, hashEventId, type EventIdHash } from '../../../src/usage/cloudtrail/eventIdSet.js';

const hashOf = (eventId: string | null): EventIdHash => {
  const hash = { idHash1: 0, idHash2: 0 };
  hashEventId(eventId, hash);
  return hash;
};

describe('EventIdSet', () => {
  it('says new once and duplicate after, for 300,000 eventIDs added twice in another order', () => {
    // Given a set that starts small, so that every segment grows many times
    const set = new EventIdSet(16);
    const ids = Array.from(
      { length: 300_000 },
      (_, n) => `${n.toString(16).padStart(8, '0')}-4b1e-9c1d-event`,
    );
    // When every eventID is added, then every one again, backwards
    const firsts = ids.map((id) => {
      const { idHash1, idHash2 } = hashOf(id);
      return set.addOne(idHash1, idHash2);
    });
    const seconds = ids.reverse().map((id) => {
      const { idHash1, idHash2 } = hashOf(id);
      return set.addOne(idHash1, idHash2);
    });
    // Then each was new the first time only, and the tables hold them at 8 bytes a slot, 60–75 % full
    expect(firsts.every(Boolean)).toBe(true);
    expect(seconds.some(Boolean)).toBe(false);
    expect(set.size).toBe(300_000);
    expect(set.bytes / set.size).toBeGreaterThan(8 / 0.76);
    expect(set.bytes / set.size).toBeLessThan(8 / 0.59);
  });

  it('never takes an event without an eventID for a duplicate, and is empty once released', () => {
    const set = new EventIdSet();
    const none = hashOf(null);
    expect([set.addOne(none.idHash1, none.idHash2), set.addOne(none.idHash1, none.idHash2)]).toEqual([
      true,
      true,
    ]);
    const one = hashOf('e1');
    expect(set.addOne(one.idHash1, one.idHash2)).toBe(true);
    set.release();
    expect(set.size).toBe(0);
    expect(set.addOne(one.idHash1, one.idHash2)).toBe(true);
  });
});
