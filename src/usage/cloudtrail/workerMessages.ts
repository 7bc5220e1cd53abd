// The messages between the main thread and the CloudTrail parsing workers.
import type { FileOutcome, FileTask } from './ingestFile.js';
import type { AggregateState } from './aggregateState.js';
import type { EvidenceWindow } from './usageAggregator.js';

/** What a worker is started with (`workerData`). */
export interface WorkerSetup {
  window: EvidenceWindow;
}

/** Main thread → worker. */
export type MessageToWorker =
  /** Read this file (a worker is handed the next one before it finishes, so it never waits for work). */
  | { type: 'file'; task: FileTask }
  /** The answer to a `dedupe` request: one byte per event, 1 when it was new. */
  | { type: 'unique'; id: number; fresh: Uint8Array }
  /** No files left: once the files in hand are done, send the aggregated state and stop. */
  | { type: 'finish' };

/** Worker → main thread. */
export type MessageFromWorker =
  | { type: 'ready' }
  /** Which of these events (eventID hashes, two lanes each) are new across all files and workers? */
  | { type: 'dedupe'; id: number; hashes: Uint32Array }
  | { type: 'file-done'; outcome: FileOutcome }
  | { type: 'state'; state: AggregateState };
