// Returns the memory of large typed arrays that ingestion has outgrown to the system soon, instead of after 64 MiB of them.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Outgrown table bytes after which a full collection is run. */
const COLLECT_AFTER_BYTES = 16 * 1024 * 1024;

let released = 0;
let collect: (() => void) | null | undefined;

/**
 * Records that typed arrays of `bytes` were dropped (a hash table segment replaced by a larger one). V8 frees an
 * ArrayBuffer's memory only when a full collection finds it dead, and starts one for external memory only once it
 * has grown 64 MiB — for the eventID set and the per-minute counts, which outgrow their tables many times, that is
 * tens of MiB of resident memory holding nothing. Every 16 MiB dropped, this runs a full collection (tens of ms,
 * about a dozen times for 2 million events). The collector comes from V8's `gc` extension, enabled from inside the
 * process (`--expose-gc` read when a context is made); when it cannot be had, nothing is collected early.
 */
export function releasedTableBytes(bytes: number): void {
  released += bytes;
  if (released < COLLECT_AFTER_BYTES) return;
  released = 0;
  if (collect === undefined) collect = garbageCollector();
  collect?.();
}

function garbageCollector(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}
