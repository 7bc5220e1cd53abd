// Structured progress of a scan, for a person at a terminal: per source, what is being read, counts, elapsed time.

/** One progress update from a source of a scan (or from the scan itself, source `scan`). Never carries a secret. */
export interface ProgressEvent {
  /** The source id (`aws-exports`, `cloudtrail`, `github`, …) or `scan` for the scan's own phases. */
  source: string;
  /** `start` when the source begins, `update` while it reads, `done` when it finished (ok or not). */
  phase: 'start' | 'update' | 'done';
  /** What is being read right now, for people: "AWSLogs/…/2026/10/03 (12 of 306 files)". */
  message: string;
  /** Running counts the source chooses to show: `{ files: 12, events: 48210 }`. */
  counts?: Readonly<Record<string, number>>;
  /** Milliseconds since the scan started. */
  elapsedMs: number;
}

/** Receives progress events; the CLI decides whether to show them (terminal) or not (CI, piped output). */
export type ProgressListener = (event: ProgressEvent) => void;
