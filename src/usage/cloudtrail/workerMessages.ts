// The messages between the main thread and the CloudTrail reading workers.
import type { ChunkInRing } from './chunkRing.js';
import type { FileTask, ParsedFile } from './ingestFile.js';

/** Main thread → worker. */
export type MessageToWorker =
  /** Read these files (a worker is handed the next group before it finishes one, so it never waits for work). */
  | { type: 'files'; tasks: FileTask[] }
  /** No files left: once the files in hand are done, stop. */
  | { type: 'finish' };

/** Worker → main thread. */
export type MessageFromWorker =
  | { type: 'ready' }
  /** A digest chunk of a file being read (a large one sends several while it streams), before its `files-done`. */
  | { type: 'chunk'; id: number; chunk: Uint8Array }
  /** The same, written in the worker's shared ring (see chunkRing.ts). */
  | { type: 'ring-chunk'; id: number; chunk: ChunkInRing }
  | { type: 'files-done'; files: ParsedFile[] }
  | { type: 'finished' };
