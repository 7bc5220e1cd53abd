// What file ingest and event-by-event ingest share: the evidence window from options, and the result they return.
import { UserError } from '../../errors/errors.js';
import type { InputError } from '../../model/types.js';
import type { AggregateSummary } from './aggregateState.js';
import type { CloudTrailIngestResult } from './ingest.js';
import type { EvidenceWindow } from './usageAggregator.js';

/** The evidence window of `since`/`until` (ISO date-times; open when absent). Throws a UserError for a non-date. */
export function evidenceWindow(options: { since?: string; until?: string }): EvidenceWindow {
  return {
    since: instant(options.since, 'since', -Infinity),
    until: instant(options.until, 'until', Infinity),
  };
}

/** What was read, for `coverage` beside the summary's mapped and unmapped counts. */
export interface IngestCounts {
  files: number;
  events: number;
  duplicates: number;
  /** Files replayed from a kept digest; only when a file cache was given. */
  reused?: number;
}

/** The ingest result: the summary's rows, the counts, and the errors sorted by file then message. */
export function ingestResult(
  summary: AggregateSummary,
  counts: IngestCounts,
  errors: readonly InputError[],
  reusedFromScans: readonly number[],
): CloudTrailIngestResult {
  return {
    coverage: {
      files: counts.files,
      events: counts.events,
      duplicates: counts.duplicates,
      mapped: summary.mapped,
      unmapped: summary.unmapped,
      ...(counts.reused === undefined ? {} : { reused: counts.reused }),
      errors: [...errors].sort((a, b) => compare(a.file, b.file) || compare(a.message, b.message)),
    },
    usage: summary.usage,
    clientActivity: summary.clientActivity,
    accessKeys: summary.accessKeys,
    principals: summary.principals,
    firstEventAt: summary.firstEventAt,
    lastEventAt: summary.lastEventAt,
    reusedFromScans: [...reusedFromScans].sort((a, b) => a - b),
  };
}

function instant(value: string | undefined, name: string, open: number): number {
  if (value === undefined || value === '') return open;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new UserError(
      `--${name} "${value}" is not a date`,
      'Give an ISO date or date-time, e.g. 2025-01-31T00:00:00Z.',
    );
  }
  return ms;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
