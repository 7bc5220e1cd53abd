// The messages between the main thread and the CloudTrail parsing workers.
import type { FileOutcome } from './ingestFile.js';
import type { AggregateState } from './aggregateState.js';
import type { EvidenceWindow } from './usageAggregator.js';

/** What a worker is started with (`workerData`). */
export interface WorkerSetup {
  window: EvidenceWindow;
}

/** Main thread → worker. */
export type MessageToWorker =
  /** Read this file next. */
  | { type: 'file'; file: string }
  /** The answer to a `dedupe` request: one byte per event, 1 when it was new. */
  | { type: 'unique'; id: number; fresh: Uint8Array }
  /** No files left: send the aggregated state and stop. */
  | { type: 'finish' };

/** Worker → main thread. */
export type MessageFromWorker =
  | { type: 'ready' }
  /** Which of these events (eventID hashes, two lanes each) are new across all files and workers? */
  | { type: 'dedupe'; id: number; hashes: Uint32Array }
  | { type: 'file-done'; outcome: FileOutcome }
  | { type: 'state'; state: AggregateState };
