// Reads the management events of the evidence window through CloudTrail LookupEvents into the CloudTrail ingestion.
import { LookupEventsCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EvidenceWindow } from '../../contract.js';
import type { CloudTrailEventIngest } from '../../../usage/cloudtrail/eventIngest.js';
import type { CallLog } from './callLog.js';

/** LookupEvents' largest page. */
const PAGE_SIZE = 50;

/** What LookupEvents gave. */
export interface LookupEventsOutcome {
  /** Items received (before eventID deduplication). */
  items: number;
  pages: number;
  /** False when a request failed before the last page. */
  complete: boolean;
}

/**
 * Pages through LookupEvents over `window` (all pages, 50 events each) and hands each item's `CloudTrailEvent` — the
 * event exactly as a trail would have delivered it — to `ingest`, so usage rows are the same as from the trail's
 * files. The client paces the requests (see clients.ts: two a second, retries included). A failed request is recorded
 * in `log` under `cloudtrail:LookupEvents (<region>)`; what was read before it is kept.
 */
export async function readLookupEvents(
  cloudtrail: CloudTrailClient,
  window: EvidenceWindow,
  ingest: CloudTrailEventIngest,
  log: CallLog,
  region: string,
  options: {
    /** Stops paging (the rest of the audit failed). */
    signal?: AbortSignal;
    progress?: (message: string, counts: Record<string, number>) => void;
  } = {},
): Promise<LookupEventsOutcome> {
  const progress = options.progress ?? (() => undefined);
  const call = 'cloudtrail:LookupEvents';
  const origin = `${call} (${region})`;
  let nextToken: string | undefined;
  let items = 0;
  let pages = 0;
  do {
    if (options.signal?.aborted) return { items, pages, complete: false };
    log.request(call);
    let page;
    try {
      page = await cloudtrail.send(
        new LookupEventsCommand({
          StartTime: new Date(window.since),
          EndTime: new Date(window.until),
          MaxResults: PAGE_SIZE,
          NextToken: nextToken,
        }),
        options.signal ? { abortSignal: options.signal } : {},
      );
    } catch (error) {
      if (options.signal?.aborted) return { items, pages, complete: false };
      log.failure(call, pages > 0 ? `${region}, after ${items} events` : region, error);
      return { items, pages, complete: false };
    }
    pages++;
    for (const item of page.Events ?? []) {
      items++;
      ingest.addEvent(item.CloudTrailEvent, origin);
    }
    nextToken = page.NextToken || undefined;
    progress(`${items} events from LookupEvents in ${region}`, { requests: pages, events: items });
  } while (nextToken);
  return { items, pages, complete: true };
}
