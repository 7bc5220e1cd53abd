// A shared-memory ring through which a reading worker hands digest chunks to the aggregating thread without a copy per message.

/** Ring size per worker: the digests of a group or two of small files, or a few chunks of a large file. */
const RING_BYTES = 2 * 1024 * 1024;
/** Chunks larger than this go by message instead (a copy), so that one never waits for the whole ring. */
const LARGEST_IN_RING = RING_BYTES / 4;
/** How long a writer waits for the reader at a time before looking again (ms). */
const WAIT_MS = 100;

/** What the two threads share: the bytes, and how far the reader has consumed them (a running byte count). */
export interface ChunkRingMemory {
  bytes: SharedArrayBuffer;
  consumed: SharedArrayBuffer;
}

/** Where a chunk was written, for the reader. */
export interface ChunkInRing {
  at: number;
  length: number;
  /** The running byte count once the reader is done with it (padding before it included). */
  end: number;
}

/** The memory of a new ring, made by the reader and passed to the writer's thread. */
export function chunkRingMemory(): ChunkRingMemory {
  return { bytes: new SharedArrayBuffer(RING_BYTES), consumed: new SharedArrayBuffer(8) };
}

/**
 * The writing side (a worker). Chunks are written in order at 8-byte aligned offsets (typed-array views of a chunk
 * need it), wrapping to the start when one does not fit before the end; the writer waits (Atomics.wait, allowed in a
 * worker) while the reader has not consumed enough. The aggregating thread so reads every chunk in place, allocates
 * nothing per chunk, and the memory in flight is bounded by the ring.
 */
export class ChunkRingWriter {
  private readonly bytes: Uint8Array;
  private readonly consumed: BigInt64Array;
  /** Running count of bytes written, padding included. */
  private written = 0;

  constructor(memory: ChunkRingMemory) {
    this.bytes = new Uint8Array(memory.bytes);
    this.consumed = new BigInt64Array(memory.consumed);
  }

  /** Copies `chunk` into the ring and says where, or returns null when it is too large for the ring (send it whole). */
  write(chunk: Uint8Array): ChunkInRing | null {
    if (chunk.length > LARGEST_IN_RING) return null;
    const size = this.bytes.length;
    const length = align(chunk.length);
    let at = this.written % size;
    let start = this.written;
    if (at + length > size) {
      start += size - at;
      at = 0;
    }
    const end = start + length;
    for (;;) {
      const consumed = Atomics.load(this.consumed, 0);
      if (end - Number(consumed) <= size) break;
      Atomics.wait(this.consumed, 0, consumed, WAIT_MS);
    }
    this.bytes.set(chunk, at);
    this.written = end;
    return { at, length: chunk.length, end };
  }
}

/** The reading side (the aggregating thread). */
export class ChunkRingReader {
  private readonly bytes: SharedArrayBuffer;
  private readonly consumed: BigInt64Array;

  constructor(memory: ChunkRingMemory) {
    this.bytes = memory.bytes;
    this.consumed = new BigInt64Array(memory.consumed);
  }

  /** Passes the chunk to `use` (a view valid only during the call), then frees its room for the writer. */
  read(chunk: ChunkInRing, use: (bytes: Uint8Array) => void): void {
    try {
      use(new Uint8Array(this.bytes, chunk.at, chunk.length));
    } finally {
      Atomics.store(this.consumed, 0, BigInt(chunk.end));
      Atomics.notify(this.consumed, 0);
    }
  }
}

const align = (bytes: number): number => (bytes + 7) & ~7;
