// CloudTrail ingestion of real log shapes: S3 delivery layout, arrays, JSONL, single objects, duplicates and bad input.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestCloudTrail } from '../../../src/usage/cloudtrail/ingest.js';
import {
  type CloudTrailEvent,
  FIXTURES,
  fixture,
  fixtureEvents,
  OTRF_FILE,
  stratus,
  temporaryFolder,
  writeFile,
  writeS3Delivery,
} from './corpus.js';

let folder: { path: string; remove: () => void };
beforeEach(() => {
  folder = temporaryFolder();
});
afterEach(() => folder.remove());

const ingest = (paths: string[], options: { since?: string; until?: string } = {}) =>
  ingestCloudTrail(paths, { concurrency: 1, ...options });

describe('reading the S3 delivery layout', () => {
  it('reads every .json.gz under AWSLogs, counts a re-delivered file once, and skips digests and other files', async () => {
    // Given two days of deliveries from real events, one of them delivered twice, plus a digest and a stray file
    const root = folder.path;
    const steal = stratus.stealInstanceCredentials();
    const ssm = stratus.ssmParameters();
    const delivery = { account: '111122223333', region: 'eu-west-1' };
    const first = writeS3Delivery(root, { ...delivery, day: '2024-08-02', name: '20240802T0820Z_a' }, steal);
    writeS3Delivery(root, { ...delivery, day: '2024-08-03', name: '20240803T1000Z_b' }, ssm);
    copyFileSync(first, first.replace('_a.json.gz', '_a-redelivered.json.gz'));
    writeFile(
      root,
      'AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/08/02/111122223333_CloudTrail-Digest_eu-west-1_x.json.gz',
      gzipSync('{"awsAccountId":"111122223333","digestStartTime":"2024-08-02T08:00:00Z"}'),
    );
    writeFile(root, 'AWSLogs/111122223333/README.txt', 'not a log');

    // When the folder is ingested
    const result = await ingest([root]);

    // Then the three deliveries are read, every event counted once, the copies as duplicates
    expect(result.coverage).toEqual({
      files: 3,
      events: steal.length + ssm.length,
      duplicates: steal.length,
      mapped: steal.length + ssm.length,
      unmapped: 0,
      errors: [],
    });
    expect(result.usage.reduce((sum, row) => sum + row.count, 0)).toBe(steal.length + ssm.length);
  });
});

describe('reading every shape CloudTrail exports come in', () => {
  it('reads bare arrays, single objects, empty arrays and .json.cloudtrail files (TrailDiscover)', async () => {
    // Given TrailDiscover's files as published: arrays, single objects, an empty array, two files holding one event
    const traildiscover = join(FIXTURES, 'traildiscover');

    // When the folder is ingested
    const result = await ingest([traildiscover]);

    // Then its 18 files give 17 events, of which 2 are the same events seen twice
    expect(result.coverage.files).toBe(18);
    expect(result.coverage.events).toBe(15);
    expect(result.coverage.duplicates).toBe(2);
    expect(result.coverage.errors).toEqual([]);
  });

  it("reads one event per line, with Logstash's @timestamp as the event time (OTRF)", async () => {
    // Given the OTRF export: JSONL whose events have @timestamp and @version instead of eventTime
    // When it is ingested
    const result = await ingest([OTRF_FILE]);

    // Then every line is an event, dated by @timestamp
    expect(result.coverage).toMatchObject({ files: 1, events: 103, duplicates: 0, errors: [] });
    expect(result.firstEventAt).toBe('2020-09-14T00:44:20.000Z');
    expect(result.lastEventAt! > result.firstEventAt!).toBe(true);
  });

  it('reads a gzip file whatever its name, and LookupEvents output whose events are JSON strings', async () => {
    // Given a gzip named .json and the `aws cloudtrail lookup-events` shape
    const events = stratus.federationToken();
    const gzipNamedJson = writeFile(folder.path, 'export.json', gzipSync(JSON.stringify(events)));
    const lookup = writeFile(
      folder.path,
      'lookup-events.json',
      JSON.stringify({
        Events: stratus.consoleLogin().map((event) => ({
          EventId: event.eventID,
          EventName: event.eventName,
          CloudTrailEvent: JSON.stringify(event),
        })),
      }),
    );

    // When both are ingested
    const result = await ingest([gzipNamedJson, lookup]);

    // Then both are read
    expect(result.coverage).toMatchObject({ files: 2, events: events.length + 1, errors: [] });
    expect(result.usage.map((row) => row.eventName).sort()).toEqual([
      'ConsoleLogin',
      'GetCallerIdentity',
      'GetFederationToken',
    ]);
  });

  it('gives the same result whether a file is pretty-printed, compact or split into lines', async () => {
    // Given the same real events written three ways in three folders
    const events = stratus.stealInstanceCredentials();
    const pretty = writeFile(folder.path, 'pretty/a.json', JSON.stringify(events, null, 4));
    const compact = writeFile(folder.path, 'compact/a.json', JSON.stringify({ Records: events }));
    const lines = writeFile(folder.path, 'lines/a.jsonl', events.map((e) => JSON.stringify(e)).join('\n'));

    // When each is ingested
    const results = await Promise.all([pretty, compact, lines].map((path) => ingest([path])));

    // Then the results are identical
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });
});

describe('bad input', () => {
  it('reports a truncated gzip by file with the events read before the cut, and still reads the other files', async () => {
    // Given a delivery cut in the middle, next to a good one
    const events = stratus.stealInstanceCredentials();
    const whole = gzipSync(JSON.stringify({ Records: events }));
    const truncated = writeFile(
      folder.path,
      'cut.json.gz',
      whole.subarray(0, Math.floor(whole.length * 0.6)),
    );
    const good = writeFile(folder.path, 'good.json', JSON.stringify(stratus.ssmParameters()));

    // When both are ingested
    const result = await ingest([truncated, good]);

    // Then the cut file is named with what happened, and its first events are kept
    expect(result.coverage.errors).toHaveLength(1);
    const [error] = result.coverage.errors;
    expect(error!.file).toBe(truncated);
    expect(error!.message).toMatch(/^unexpected end of gzip data after \d+ events/);
    const kept = Number(/after (\d+) events/.exec(error!.message)![1]);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(events.length);
    expect(result.coverage.events).toBe(kept + stratus.ssmParameters().length);
  });

  it('reports invalid JSON with its byte position, and keeps the events before it', async () => {
    // Given an array of real events followed by garbage
    const events = stratus.ssmParameters();
    const text = `${JSON.stringify(events).slice(0, -1)},}`;
    const broken = writeFile(folder.path, 'broken.json', text);

    // When it is ingested
    const result = await ingest([broken]);

    // Then the error names the file and the byte of the stray brace
    expect(result.coverage.errors).toEqual([
      {
        file: broken,
        message: `invalid JSON at byte ${(text.length - 1).toLocaleString('en-US')}: unexpected '}' (after ${events.length} events)`,
      },
    ]);
    expect(result.coverage.events).toBe(events.length);
  });

  it('reports a value that is not valid JSON inside an event and skips only that event', async () => {
    // Given a JSONL file whose second event has a broken userIdentity
    const [a, b, c] = stratus.stealInstanceCredentials();
    const lines = [
      JSON.stringify(a),
      JSON.stringify(b).replace('"userIdentity":{', '"userIdentity":{NOPE'),
      JSON.stringify(c),
    ];
    const file = writeFile(folder.path, 'events.jsonl', lines.join('\n'));

    // When it is ingested
    const result = await ingest([file]);

    // Then the error gives the byte of the bad token, and the two other events are read
    const offset = lines[0]!.length + 1 + lines[1]!.indexOf('NOPE');
    expect(result.coverage.errors).toEqual([
      {
        file,
        message: expect.stringMatching(
          new RegExp(`^invalid JSON at byte ${offset.toLocaleString('en-US')}: `),
        ),
      },
    ]);
    expect(result.coverage.events).toBe(2);
  });

  it('reports JSON that is not CloudTrail, text files, and paths that do not exist', async () => {
    // Given a package.json, a licence file named explicitly, and a missing path
    const notCloudTrail = writeFile(folder.path, 'package.json', '{"name":"x","version":"1.0.0"}');
    const licence = fixture('traildiscover', 'LICENSE');
    const missing = join(folder.path, 'nowhere.json.gz');

    // When they are ingested with a good file
    const result = await ingest([notCloudTrail, licence, missing, OTRF_FILE]);

    // Then each is named with a clear reason and the good file is still read
    expect(result.coverage.errors).toEqual(
      [
        {
          file: licence,
          message: "invalid JSON at byte 0: unexpected 'A': expected '{' or '[' (after 0 events)",
        },
        { file: missing, message: 'no such file or directory' },
        {
          file: notCloudTrail,
          message:
            'not a CloudTrail file: no CloudTrail events found (1 JSON value without eventSource, eventName, eventTime or eventID)',
        },
      ].sort((x, y) => (x.file < y.file ? -1 : 1)),
    );
    expect(result.coverage.events).toBe(103);
    expect(result.coverage.files).toBe(3);
  });

  it('reports a folder without any log file, most likely a wrong path', async () => {
    writeFile(folder.path, 'logs/notes.txt', 'nothing here');
    const result = await ingest([join(folder.path, 'logs')]);
    expect(result.coverage.errors).toEqual([
      {
        file: join(folder.path, 'logs'),
        message: 'no CloudTrail log files (*.json, *.jsonl, their .gz, *.cloudtrail) in it',
      },
    ]);
  });

  it('counts events without eventSource or eventName as unmapped, and undated events without aggregating them', async () => {
    // Given a real event stripped of its name, and one stripped of its time
    const [event] = stratus.consoleLogin();
    const { eventName: _name, ...nameless } = event!;
    const anotherEvent: CloudTrailEvent = { ...event!, eventID: 'another-id' };
    const { eventTime: _time, ...timeless } = anotherEvent;
    const file = writeFile(folder.path, 'partial.json', JSON.stringify([nameless, timeless]));

    // When it is ingested
    const result = await ingest([file]);

    // Then both count; the nameless one is unmapped; the timeless one is reported and not aggregated
    expect(result.coverage).toMatchObject({ events: 2, mapped: 1, unmapped: 1 });
    expect(result.coverage.errors).toEqual([
      { file, message: '1 event without a valid eventTime: counted but not aggregated' },
    ]);
    expect(result.usage).toHaveLength(1);
    expect(result.usage[0]).toMatchObject({ eventName: '', permission: null, count: 1 });
  });
});

describe('the evidence window', () => {
  it('counts events outside --since/--until in coverage but does not aggregate them', async () => {
    // Given the OTRF events, which span 2020-09-14T00:44 to later that night
    // When only the first ten minutes are kept
    const all = await ingest([OTRF_FILE]);
    const window = await ingest([OTRF_FILE], {
      since: '2020-09-14T00:44:00Z',
      until: '2020-09-14T00:54:00Z',
    });

    // Then coverage still counts every event, and usage only those inside
    expect(window.coverage).toEqual(all.coverage);
    const counted = window.usage.reduce((sum, row) => sum + row.count, 0);
    expect(counted).toBeGreaterThan(0);
    expect(counted).toBeLessThan(103);
    expect(window.firstEventAt! >= '2020-09-14T00:44:00.000Z').toBe(true);
    expect(window.lastEventAt! <= '2020-09-14T00:54:00.000Z').toBe(true);
  });

  it('refuses a --since that is not a date', async () => {
    await expect(ingest([OTRF_FILE], { since: 'last tuesday' })).rejects.toThrow(/not a date/);
  });
});

describe('streaming', () => {
  it('reads a large single delivery with bounded memory', async () => {
    // Given one gzip file holding ~120 MB of JSON: 80,000 copies of real events with distinct ids
    const templates = [...stratus.stealInstanceCredentials(), ...stratus.bedrock()];
    const total = 80_000;
    const parts: string[] = [];
    for (let i = 0; i < total; i++) {
      const template = templates[i % templates.length]!;
      parts.push(JSON.stringify({ ...template, eventID: `event-${i}`, padding: 'x'.repeat(600) }));
    }
    const json = `{"Records":[${parts.join(',')}]}`;
    const file = writeFile(folder.path, 'big.json.gz', gzipSync(json, { level: 1 }));
    const jsonBytes = Buffer.byteLength(json);
    parts.length = 0;

    // When it is ingested, sampling the heap as it goes
    let peak = 0;
    const before = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }, 2);
    const result = await ingest([file]);
    clearInterval(sampler);

    // Then every event is read, and the heap grew by a fraction of the file's size
    expect(result.coverage.events).toBe(total);
    expect(jsonBytes).toBeGreaterThan(100 * 1024 * 1024);
    expect(peak).toBeLessThan(jsonBytes / 4);
  });
});

describe('determinism', () => {
  it('gives the same result whatever the order of the paths', async () => {
    const paths = [OTRF_FILE, join(FIXTURES, 'traildiscover'), join(FIXTURES, 'stratus-detonation-logs')];
    const forward = await ingest(paths);
    const backward = await ingest([...paths].reverse());
    expect(backward).toEqual(forward);
    expect(readFileSync(OTRF_FILE).length).toBeGreaterThan(0);
    expect(fixtureEvents('otrf', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json')).toHaveLength(103);
  });
});
