// Keeps the V8 young generation of the thread that aggregates CloudTrail at its initial size, so that peak memory follows live data.
import { setFlagsFromString } from 'node:v8';

/**
 * Stops V8 from growing the young generation (semi-spaces) of the main thread beyond its initial 1 MiB each. Under
 * the allocation rate of ingestion V8 otherwise grows them to 16 MiB each: 32 MiB resident that aggregation (short-
 * lived strings, digest chunks) does not need — a small nursery collects them as well, and frees young ArrayBuffers
 * sooner. `--max-semi-space-size` has no effect once the heap exists, the growth factor is read at every resize, so
 * this works from inside the process. It is a process-wide V8 flag, and starting a worker thread resets V8's flags:
 * call it again once a worker is online. Worker threads have their own limit (`resourceLimits`). Harmless to repeat.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
