// LookupEvents' two-requests-a-second limit, on a fake clock: the token bucket, and the real client over HTTP with retries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallLog } from '../../../src/connectors/aws/live/callLog.js';
import { connectAws } from '../../../src/connectors/aws/live/clients.js';
import { readLookupEvents } from '../../../src/connectors/aws/live/lookupEvents.js';
import { TokenBucket, type Clock } from '../../../src/connectors/aws/live/requestRate.js';
import { CloudTrailEventIngest } from '../../../src/usage/cloudtrail/eventIngest.js';
import { DEMO_AS_OF, demoEstate, demoTrailEvents } from './demoEstate.js';
import { startFakeAws, type FakeAws } from './fakeAws.js';

/** A clock that only moves when slept on. */
function fakeClock(start = 0): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** The largest number of `times` (ms) inside any one-second window. */
function busiestSecond(times: number[]): number {
  return Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length));
}

describe('TokenBucket', () => {
  it('grants two a second, one at a time, in the order asked', async () => {
    // Given a bucket of 2 a second on a fake clock
    const clock = fakeClock();
    const bucket = new TokenBucket(2, 1, clock);
    const granted: number[] = [];
    // When six callers ask at once
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        bucket.take().then(() => granted.push(clock.now() + index / 1000)),
      ),
    );
    // Then they are served every 500 ms, in order, never more than 2 in a second
    expect(granted.map(Math.floor)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(granted).toEqual([...granted].sort((a, b) => a - b));
    expect(busiestSecond(granted.map(Math.floor))).toBe(2);
  });

  it('does not save up more than its burst while idle', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(2, 1, clock);
    await bucket.take();
    await clock.sleep(10_000);
    const before = clock.now();
    await bucket.take();
    await bucket.take();
    // after ten idle seconds, one grant at once and the next 500 ms later
    expect(clock.now() - before).toBe(500);
  });
});

describe('LookupEvents through the live client', () => {
  let aws: FakeAws;
  const saved = { ...process.env };
  const events = demoTrailEvents('/us-east-1/2026/10/30/').slice(0, 150);
  const arrivals: number[] = [];
  const clock = fakeClock(1_000_000);

  beforeAll(async () => {
    // Given an endpoint whose LookupEvents holds 150 events (3 pages) and throttles the first request
    aws = await startFakeAws({
      ...demoEstate(),
      lookupEvents: events,
      throttleOnce: ['cloudtrail:LookupEvents'],
    });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: aws.url,
      AWS_ACCESS_KEY_ID: 'AKIAAUDITOREXAMPLE01',
      AWS_SECRET_ACCESS_KEY: 'local-endpoint-dummy-secret-key-0000000',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    const originalPush = aws.calls.push.bind(aws.calls);
    aws.calls.push = (...calls) => {
      for (const call of calls) if (call.action === 'cloudtrail:LookupEvents') arrivals.push(clock.now());
      return originalPush(...calls);
    };
  });
  afterAll(async () => {
    process.env = saved;
    await aws.close();
  });

  it('sends every attempt, retries included, at most two a second', async () => {
    // When LookupEvents is read through the client connectAws builds, on a fake clock
    const clients = await connectAws({ region: 'us-east-1' }, {}, clock);
    const ingest = new CloudTrailEventIngest({ since: '2026-10-23T12:00:00Z', until: DEMO_AS_OF });
    const log = new CallLog();
    try {
      const outcome = await readLookupEvents(
        clients.cloudtrail,
        { since: '2026-10-23T12:00:00Z', until: DEMO_AS_OF },
        ingest,
        log,
        clients.region,
      );
      // Then all three pages were read (the throttled request retried by the SDK)…
      expect(outcome).toEqual({ items: 150, pages: 3, complete: true });
      expect(log.errors()).toEqual([]);
    } finally {
      clients.destroy();
    }
    // …and the four requests the endpoint saw were let through 500 ms apart on the fake clock
    expect(arrivals.map((t) => t - 1_000_000)).toEqual([0, 500, 1000, 1500]);
    expect(busiestSecond(arrivals)).toBe(2);
    const trail = await ingest.finish();
    expect(trail.coverage.events).toBe(new Set(events.map((event) => event['eventID'])).size);
  });
});
