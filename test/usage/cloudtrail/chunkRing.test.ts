// The shared chunk ring: chunks come out as they went in, in order, across the wrap at the ring's end; large ones are refused.
import { describe, expect, it } from 'vitest';
import {
  ChunkRingReader,
  ChunkRingWriter,
  chunkRingMemory,
} from '../../../src/usage/cloudtrail/chunkRing.js';

describe('chunk ring', () => {
  it('hands back every chunk byte for byte, aligned, many times around the ring', () => {
    // Given a ring shared by a writer and a reader, and chunks of uneven sizes (up to 300 KiB) that add up to 20 MiB
    const memory = chunkRingMemory();
    const writer = new ChunkRingWriter(memory);
    const reader = new ChunkRingReader(memory);
    let seed = 7;
    const sizes: number[] = [];
    for (let total = 0; total < 20 * 1024 * 1024; total += sizes[sizes.length - 1] as number) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      sizes.push(1 + (seed % (300 * 1024)));
    }
    // When each is written, then read back before the next is written
    const mismatches: number[] = [];
    const offsets = new Set<number>();
    sizes.forEach((size, n) => {
      const chunk = new Uint8Array(size).map((_, i) => (i * 31 + n) & 0xff);
      const placed = writer.write(chunk);
      if (!placed) throw new Error(`chunk ${n} of ${size} bytes refused`);
      offsets.add(placed.at % 8);
      reader.read(placed, (bytes) => {
        if (bytes.length !== size || bytes.some((b, i) => b !== ((i * 31 + n) & 0xff))) mismatches.push(n);
      });
    });
    // Then every chunk came back intact, at an 8-byte aligned offset
    expect(mismatches).toEqual([]);
    expect([...offsets]).toEqual([0]);
  });

  it('refuses a chunk larger than a quarter of the ring, so that it goes by message instead', () => {
    // Given a ring of 2 MiB
    const writer = new ChunkRingWriter(chunkRingMemory());
    // When a 1 MiB chunk is offered, Then it is refused; a 64 KiB one is taken
    expect(writer.write(new Uint8Array(1024 * 1024))).toBeNull();
    expect(writer.write(new Uint8Array(64 * 1024))).not.toBeNull();
  });
});
