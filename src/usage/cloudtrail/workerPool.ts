// Runs CloudTrail file ingestion on worker threads: hands files out two at a time, answers eventID dedup requests, merges results.
import { Worker } from 'node:worker_threads';
import type { EventIdSet } from './eventIdSet.js';
import type { FileTasks } from './fileTasks.js';
import type { FileOutcome } from './ingestFile.js';
import type { EvidenceWindow, UsageAggregator } from './usageAggregator.js';
import type { MessageFromWorker, MessageToWorker, WorkerSetup } from './workerMessages.js';

/**
 * Files each worker holds at once: while one waits for the main thread's dedup answer, the worker reads the other,
 * so it never sits idle on a round trip (the many small files of the S3 layout make one per file).
 */
const FILES_IN_HAND = 2;

/**
 * Ingests the files of `tasks` on `workerCount` worker threads running `workerScript`. Each worker aggregates what it
 * reads; the main thread owns the one set of seen eventIDs (so a duplicate delivery is skipped whichever worker reads
 * it) and merges every worker's state into `aggregator` at the end. Rejects only if a worker itself fails (a bug):
 * bad input is reported per file in the outcomes.
 */
export function ingestFilesInWorkers(
  tasks: FileTasks,
  workerCount: number,
  workerScript: URL,
  window: EvidenceWindow,
  aggregator: UsageAggregator,
  seen: EventIdSet,
): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  const workers: Worker[] = [];
  const done = new Set<Worker>();
  const finished = new Set<Worker>();
  let settled = false;

  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const send = (worker: Worker, message: MessageToWorker, transfer: ArrayBuffer[] = []): void =>
      worker.postMessage(message, transfer);
    const handOut = (worker: Worker): void => {
      if (finished.has(worker)) return;
      const task = tasks.next();
      if (task) {
        send(worker, { type: 'file', task });
      } else {
        finished.add(worker);
        send(worker, { type: 'finish' });
      }
    };

    const setup: WorkerSetup = { window };
    for (let i = 0; i < workerCount; i++) {
      const worker = new Worker(workerScript, { workerData: setup });
      workers.push(worker);
      worker.on('message', (message: MessageFromWorker) => {
        if (settled) return;
        switch (message.type) {
          case 'ready':
            for (let n = 0; n < FILES_IN_HAND; n++) handOut(worker);
            break;
          case 'dedupe': {
            const fresh = seen.addAll(message.hashes);
            send(worker, { type: 'unique', id: message.id, fresh }, [fresh.buffer as ArrayBuffer]);
            break;
          }
          case 'file-done':
            outcomes.push(tasks.done(message.outcome));
            handOut(worker);
            break;
          case 'state':
            aggregator.merge(message.state);
            done.add(worker);
            void worker.terminate();
            if (done.size === workerCount) {
              settled = true;
              resolve(outcomes);
            }
            break;
        }
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!settled && !done.has(worker))
          fail(new Error(`CloudTrail worker thread exited (code ${code}) before finishing`));
      });
    }
  });
}
