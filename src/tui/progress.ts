// Pure views of scan progress: the per-source board a terminal shows, and plain text lines for dumb terminals.
import { formatCount } from '../report/text.js';
import type { ProgressEvent } from '../scan/progress.js';
import { clean } from './text.js';

/** Where one source stands, from its events so far. */
export interface ProgressRow {
  source: string;
  phase: ProgressEvent['phase'];
  message: string;
  counts: Readonly<Record<string, number>>;
  /** Scan time (ms) of the source's first event. */
  startedMs: number;
  /** Scan time (ms) of its latest event. */
  lastMs: number;
}

/** The board after `event`: the source's row updated (counts merged), or a new row after the others. */
export function applyProgress(rows: readonly ProgressRow[], event: ProgressEvent): ProgressRow[] {
  const index = rows.findIndex((row) => row.source === event.source);
  const previous = index >= 0 ? rows[index]! : undefined;
  const row: ProgressRow = {
    source: event.source,
    phase: event.phase,
    message: event.message || previous?.message || '',
    counts: { ...previous?.counts, ...event.counts },
    // The scan's own row counts from the scan's start: its events' times are its elapsed time.
    startedMs:
      event.source === 'scan'
        ? 0
        : event.phase === 'start' || !previous
          ? event.elapsedMs
          : previous.startedMs,
    lastMs: event.elapsedMs,
  };
  return index >= 0 ? rows.map((r, i) => (i === index ? row : r)) : [...rows, row];
}

/** Seconds with one decimal: `1.2s`. */
export function formatElapsed(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

/** Counts as `files 12 · events 48,210`. */
export function formatCounts(counts: Readonly<Record<string, number>> | undefined): string {
  return Object.entries(counts ?? {})
    .map(([name, value]) => `${clean(name)} ${formatCount(value)}`)
    .join(' · ');
}

/** A source's time: from its start to its end when done, else to `nowMs` (scan time now). */
export function rowElapsed(row: ProgressRow, nowMs: number): number {
  return (row.phase === 'done' ? row.lastMs : Math.max(row.lastMs, nowMs)) - row.startedMs;
}

/** One event as a plain line, for terminals that cannot redraw: `[  1.2s] cloudtrail: reading … (files 12)`. */
export function formatProgressLine(event: ProgressEvent): string {
  const counts = formatCounts(event.counts);
  const phase = event.phase === 'done' ? ' done' : event.phase === 'start' ? ' started' : '';
  const time = formatElapsed(event.elapsedMs).padStart(7);
  return `[${time}] ${clean(event.source)}${phase}: ${clean(event.message)}${counts ? ` (${counts})` : ''}`;
}
