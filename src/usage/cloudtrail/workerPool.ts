// Runs CloudTrail file reading on worker threads: hands out groups of files, feeds what comes back to the aggregating side.
import { Worker } from 'node:worker_threads';
import { chunkRingMemory, ChunkRingReader } from './chunkRing.js';
import type { FileIngestion } from './fileIngestion.js';
import type { MessageFromWorker, MessageToWorker } from './workerMessages.js';
import { keepYoungGenerationSmall } from './youngGeneration.js';

/** Groups of files each worker holds at once, so that it never waits for the next one. */
const GROUPS_IN_HAND = 2;

/**
 * Young-generation size of a reading worker (MiB). V8's default lets each thread's nursery grow to tens of MiB;
 * reading makes short-lived garbage only, which a small nursery collects just as well, and the peak memory of the
 * process stays flat.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * Reads the files of `ingestion` on `workerCount` worker threads running `workerScript`: each worker turns files into
 * digests of their events; the main thread deduplicates and aggregates them as they arrive (`ingestion.chunk`,
 * `ingestion.done`). Rejects only if a worker itself fails (a bug): bad input is reported per file.
 */
export function readFilesInWorkers(
  ingestion: FileIngestion,
  workerCount: number,
  workerScript: URL,
): Promise<void> {
  const workers: Worker[] = [];
  const finished = new Set<Worker>();
  const told = new Set<Worker>();
  let settled = false;

  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const send = (worker: Worker, message: MessageToWorker): void => worker.postMessage(message);
    const handOut = (worker: Worker): void => {
      if (told.has(worker)) return;
      const group = ingestion.nextGroup();
      if (group) {
        send(worker, { type: 'files', tasks: group });
      } else {
        told.add(worker);
        send(worker, { type: 'finish' });
      }
    };

    for (let i = 0; i < workerCount; i++) {
      const ring = chunkRingMemory();
      const ringReader = new ChunkRingReader(ring);
      const worker = new Worker(workerScript, {
        workerData: { ring },
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
      workers.push(worker);
      // A worker's start resets V8's flags, the main thread's young-generation limit among them.
      worker.once('online', keepYoungGenerationSmall);
      worker.on('message', (message: MessageFromWorker) => {
        if (settled) return;
        try {
          switch (message.type) {
            case 'ready':
              for (let n = 0; n < GROUPS_IN_HAND; n++) handOut(worker);
              break;
            case 'chunk':
              ingestion.chunk(message.id, message.chunk);
              break;
            case 'ring-chunk':
              ringReader.read(message.chunk, (chunk) => ingestion.chunk(message.id, chunk));
              break;
            case 'files-done':
              for (const file of message.files) ingestion.done(file);
              handOut(worker);
              break;
            case 'finished':
              finished.add(worker);
              void worker.terminate();
              if (finished.size === workerCount) {
                settled = true;
                resolve();
              }
              break;
          }
        } catch (error) {
          fail(error);
        }
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!settled && !finished.has(worker))
          fail(new Error(`CloudTrail worker thread exited (code ${code}) before finishing`));
      });
    }
  });
}
