// Reading a trail's S3 bucket: where the logs are, which day folders are listed, and what happens to bad or denied objects.
import { gzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallLog } from '../../../src/connectors/aws/live/callLog.js';
import {
  dayFoldersOf,
  parseTrailLocation,
  readTrailBucket,
} from '../../../src/connectors/aws/live/trailBucket.js';
import { UserError } from '../../../src/errors/errors.js';
import { CloudTrailEventIngest } from '../../../src/usage/cloudtrail/eventIngest.js';
import { stratus } from '../../usage/cloudtrail/corpus.js';
import { startFakeAws, type FakeAws } from './fakeAws.js';
import { demoEstate } from './demoEstate.js';

describe('parseTrailLocation', () => {
  it('reads a bucket, a prefix, and the delivery layout down to a region', () => {
    expect(parseTrailLocation('s3://trail')).toMatchObject({
      bucket: 'trail',
      root: 'AWSLogs/',
      organization: null,
      account: null,
      region: null,
    });
    expect(parseTrailLocation('s3://trail/team/logs/')).toMatchObject({ root: 'team/logs/AWSLogs/' });
    expect(
      parseTrailLocation('s3://trail/p/AWSLogs/o-abcdef1234/111122223333/CloudTrail/eu-west-1/'),
    ).toMatchObject({
      root: 'p/AWSLogs/',
      organization: 'o-abcdef1234',
      account: '111122223333',
      region: 'eu-west-1',
    });
    expect(parseTrailLocation('s3://trail/AWSLogs/111122223333')).toMatchObject({ account: '111122223333' });
  });

  it('refuses what is not a trail location, saying why', () => {
    expect(() => parseTrailLocation('s3://')).toThrow(UserError);
    const deep = (): unknown =>
      parseTrailLocation('s3://trail/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/10/');
    expect(deep).toThrow(/cannot read "2026\/10" as part of the CloudTrail delivery layout/);
    expect(() => parseTrailLocation('s3://trail/AWSLogs/not-an-account/')).toThrow(UserError);
  });
});

describe('dayFoldersOf', () => {
  it('lists every UTC day the evidence window touches', () => {
    expect(dayFoldersOf({ since: '2026-02-27T18:00:00Z', until: '2026-03-02T01:00:00Z' })).toEqual([
      '2026/02/27/',
      '2026/02/28/',
      '2026/03/01/',
      '2026/03/02/',
    ]);
    expect(dayFoldersOf({ since: '2026-03-02T00:00:00Z', until: '2026-03-01T00:00:00Z' })).toEqual([]);
  });
});

describe('readTrailBucket', () => {
  let aws: FakeAws;
  let s3: S3Client;
  const events = stratus.stealInstanceCredentials();
  const organizationPrefix = 'org/AWSLogs/o-abcdef1234';
  const records = (events: unknown[]): Buffer => gzipSync(JSON.stringify({ Records: events }));
  const key = (account: string, region: string, day: string, name: string): string =>
    `${organizationPrefix}/${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${name}.json.gz`;

  beforeAll(async () => {
    // Given an organization trail bucket: two member accounts, two regions, days inside and outside the window,
    // a digest folder, a truncated object and one the auditor may not read
    const objects: Record<string, Buffer> = {
      [key('111122223333', 'us-east-1', '2026/10/29', 'a')]: records(events.slice(0, 3)),
      [key('111122223333', 'eu-west-1', '2026/10/30', 'b')]: records(events.slice(3)),
      [key('444455556666', 'us-east-1', '2026/10/30', 'c')]: records(events.slice(0, 2)),
      [key('444455556666', 'us-east-1', '2026/09/01', 'old')]: records(events),
      [key('444455556666', 'us-east-1', '2026/10/30', 'truncated')]: records(events).subarray(0, 40),
      [key('444455556666', 'us-east-1', '2026/10/30', 'denied')]: records(events),
      [`${organizationPrefix}/444455556666/CloudTrail-Digest/us-east-1/2026/10/30/digest.json.gz`]: records(
        [],
      ),
    };
    aws = await startFakeAws({
      ...demoEstate(),
      buckets: { trail: objects },
      denyKeys: [key('444455556666', 'us-east-1', '2026/10/30', 'denied')],
      s3PageSize: 2,
    });
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: aws.url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAAUDITOREXAMPLE01', secretAccessKey: 'dummy' },
    });
  });
  afterAll(async () => {
    s3.destroy();
    await aws.close();
  });

  it('finds the member accounts and regions, lists only the window’s days, and streams each object in', async () => {
    const deniedKey = key('444455556666', 'us-east-1', '2026/10/30', 'denied');
    const callsBefore = aws.calls.length;
    const window = { since: '2026-10-28T00:00:00Z', until: '2026-10-30T12:00:00Z' };
    const ingest = new CloudTrailEventIngest(window);
    const log = new CallLog();
    // When the bucket is read over a three-day window
    const outcome = await readTrailBucket(s3, parseTrailLocation('s3://trail/org/'), window, ingest, log);
    const trail = await ingest.finish();
    // Then both accounts and all three region folders were found, and only their 3 days listed
    expect(outcome).toMatchObject({ accounts: 2, regions: 3, dayFolders: 9 });
    const listed = aws.calls
      .slice(callsBefore)
      .filter((call) => call.action === 's3:ListBucket')
      .map((call) => call.params['prefix']);
    expect(listed.some((prefix) => prefix?.includes('/2026/09/'))).toBe(false);
    expect(listed.some((prefix) => prefix?.includes('Digest'))).toBe(false);
    // every object of the window was fetched, the old one never
    const fetched = aws.calls
      .slice(callsBefore)
      .filter((call) => call.action === 's3:GetObject')
      .map((call) => decodeURIComponent(call.path));
    expect(fetched.some((path) => path.includes('_old.json.gz'))).toBe(false);
    expect(fetched).toHaveLength(5);
    expect(outcome.objects).toBe(4);
    // the denied object is an error naming the call and its URL
    expect(log.errors()).toEqual([
      {
        file: `s3:GetObject (s3://trail/${deniedKey})`,
        message: expect.stringMatching(/^AccessDenied: User is not authorized to perform: s3:GetObject/),
      },
    ]);
    // the truncated object is an error naming its s3:// URL; the events of the others are read, duplicates once
    expect(trail.coverage.errors).toContainEqual({
      file: `s3://trail/${key('444455556666', 'us-east-1', '2026/10/30', 'truncated')}`,
      message: expect.stringMatching(/unexpected end of gzip data|truncated/),
    });
    expect(trail.coverage.events).toBe(events.length);
    expect(trail.coverage.files).toBe(4);
  });

  it('records a denied listing with the prefix it could not list, and reads nothing else', async () => {
    const denied = await startFakeAws({ ...demoEstate(), buckets: { trail: {} }, deny: ['s3:ListBucket'] });
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: denied.url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAAUDITOREXAMPLE01', secretAccessKey: 'dummy' },
    });
    try {
      const window = { since: '2026-10-28T00:00:00Z', until: '2026-10-30T12:00:00Z' };
      const log = new CallLog();
      const outcome = await readTrailBucket(
        client,
        parseTrailLocation('s3://trail'),
        window,
        new CloudTrailEventIngest(window),
        log,
      );
      expect(outcome.objects).toBe(0);
      expect(log.errors()).toEqual([
        {
          file: 's3:ListBucket (s3://trail/AWSLogs/)',
          message: expect.stringMatching(/^AccessDenied: .*not authorized to perform: s3:ListBucket/),
        },
      ]);
    } finally {
      client.destroy();
      await denied.close();
    }
  });

  it('says so when the window holds no log objects', async () => {
    const window = { since: '2026-01-01T00:00:00Z', until: '2026-01-02T00:00:00Z' };
    const log = new CallLog();
    await readTrailBucket(
      s3,
      parseTrailLocation('s3://trail/org/AWSLogs/o-abcdef1234/111122223333/CloudTrail/us-east-1'),
      window,
      new CloudTrailEventIngest(window),
      log,
    );
    expect(log.errors()).toEqual([
      {
        file: 's3://trail/org/AWSLogs/o-abcdef1234/111122223333/CloudTrail/us-east-1',
        message: 'no CloudTrail log objects in the 2 day folders of the evidence window',
      },
    ]);
  });
});
