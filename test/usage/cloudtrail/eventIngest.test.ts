// CloudTrail events that arrive from APIs (LookupEvents items, S3 object bodies) aggregate exactly as the same events read from files.
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CloudTrailEventIngest } from '../../../src/usage/cloudtrail/eventIngest.js';
import { ingestCloudTrail, type CloudTrailIngestResult } from '../../../src/usage/cloudtrail/ingest.js';
import {
  DEMO_AS_OF,
  DEMO_TRAIL_DIR,
  demoTrailEvents,
  demoTrailObjects,
} from '../../connectors/aws-live/demoEstate.js';

const WINDOW = { since: '2026-10-27T00:00:00Z', until: DEMO_AS_OF };

/** Everything but the file count, which differs by construction between files and single events. */
const rows = (result: CloudTrailIngestResult) => ({
  usage: result.usage,
  clientActivity: result.clientActivity,
  accessKeys: result.accessKeys,
  principals: result.principals,
  firstEventAt: result.firstEventAt,
  lastEventAt: result.lastEventAt,
  coverage: { ...result.coverage, files: null },
});

describe('CloudTrailEventIngest', () => {
  it('gives the same usage rows from single events (LookupEvents) as from the trail’s files', async () => {
    // Given the demo trail read from its files over a window
    const fromFiles = await ingestCloudTrail([DEMO_TRAIL_DIR], { ...WINDOW, concurrency: 1 });
    // When the same events arrive one by one as JSON text, newest first (as LookupEvents pages them), each
    // re-delivered copy included
    const ingest = new CloudTrailEventIngest(WINDOW);
    const events = demoTrailEvents('/CloudTrail/').reverse();
    for (const event of events) ingest.addEvent(JSON.stringify(event), 'cloudtrail:LookupEvents (us-east-1)');
    const fromEvents = await ingest.finish();
    // Then the aggregated rows and coverage are identical
    expect(fromEvents.usage.length).toBeGreaterThan(10);
    expect(rows(fromEvents)).toEqual(rows(fromFiles));
    expect(fromEvents.coverage.files).toBe(0);
  });

  it('gives the same result from object bodies (S3) as from the same files on disk', async () => {
    const fromFiles = await ingestCloudTrail([DEMO_TRAIL_DIR], { ...WINDOW, concurrency: 1 });
    const ingest = new CloudTrailEventIngest(WINDOW);
    for (const [key, bytes] of Object.entries(demoTrailObjects())) {
      if (!key.includes('/CloudTrail/')) continue;
      // bodies arrive in small chunks, as over a socket
      const chunks = Array.from({ length: Math.ceil(bytes.length / 1000) }, (_, i) =>
        bytes.subarray(i * 1000, (i + 1) * 1000),
      );
      await ingest.addLogStream(`s3://northwind-trail/${key}`, Readable.from(chunks));
    }
    const fromObjects = await ingest.finish();
    expect(fromObjects.coverage.files).toBe(fromFiles.coverage.files);
    expect(rows(fromObjects)).toEqual(rows(fromFiles));
  });

  it('gives the same result when object bodies are read concurrently, their chunks interleaved', async () => {
    const fromFiles = await ingestCloudTrail([DEMO_TRAIL_DIR], { ...WINDOW, concurrency: 1 });
    const ingest = new CloudTrailEventIngest(WINDOW);
    // When the objects stream at once, as the bucket reader's day folders do — plain JSON a few hundred bytes a turn,
    // each starting while others are half-read
    const slowly = async function* (bytes: Buffer): AsyncGenerator<Buffer> {
      for (let at = 0; at < bytes.length; at += 300) {
        await nextTurn();
        yield bytes.subarray(at, at + 300);
      }
    };
    const objects = Object.entries(demoTrailObjects()).filter(([key]) => key.includes('/CloudTrail/'));
    expect(objects.length).toBeGreaterThan(3);
    await Promise.all(
      objects.map(async ([key, bytes], index) => {
        for (let turn = 0; turn < index * 3; turn++) await nextTurn();
        await ingest.addLogStream(`s3://northwind-trail/${key}`, Readable.from(slowly(gunzipSync(bytes))));
      }),
    );
    const fromObjects = await ingest.finish();
    // Then no object's events are mixed with, lost to or counted for another's
    expect(fromObjects.coverage.files).toBe(fromFiles.coverage.files);
    expect(rows(fromObjects)).toEqual(rows(fromFiles));
  });

  it('reads a plain (not gzip) body, and names the object of a truncated one (an empty one is empty, as a file)', async () => {
    const events = demoTrailEvents('/us-east-1/2026/10/30/').slice(0, 5);
    const ingest = new CloudTrailEventIngest();
    await ingest.addLogStream(
      's3://b/plain.json',
      Readable.from([Buffer.from(JSON.stringify({ Records: events }))]),
    );
    await ingest.addLogStream(
      's3://b/cut.json',
      Readable.from([Buffer.from('{"Records": [{"eventID": "x"')]),
    );
    await ingest.addLogStream('s3://b/empty.json', Readable.from([]));
    const result = await ingest.finish();
    expect(result.coverage.events).toBe(5);
    expect(result.coverage.errors.map((error) => error.file)).toEqual(['s3://b/cut.json']);
    expect(result.coverage.files).toBe(3);
  });

  it('counts bad items per origin instead of dropping them silently', async () => {
    const ingest = new CloudTrailEventIngest();
    const origin = 'cloudtrail:LookupEvents (eu-west-1)';
    ingest.addEvent('{"eventID": "a", "eventTime": ', origin);
    ingest.addEvent('{"eventID": "b", "eventTime": ', origin);
    ingest.addEvent('[1, 2]', origin);
    ingest.addEvent(undefined, origin);
    ingest.addEvent({ eventID: 'c', eventSource: 's3.amazonaws.com', eventName: 'GetObject' }, origin);
    ingest.addEvent({ eventID: 'c', eventSource: 's3.amazonaws.com', eventName: 'GetObject' }, origin);
    const result = await ingest.finish();
    expect(result.coverage).toMatchObject({ events: 1, duplicates: 1, mapped: 1, unmapped: 0 });
    expect(result.coverage.errors).toEqual([
      { file: origin, message: '1 event without a valid eventTime: counted but not aggregated' },
      {
        file: origin,
        message: expect.stringMatching(/^2 events with invalid JSON skipped \(first: .+\)$/),
      },
      { file: origin, message: '2 values that are not CloudTrail events skipped' },
    ]);
  });
});
