// The pushed-down aggregation, run by an embedded engine (DuckDB) over the real corpora, gives local ingest's rows.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestCloudTrail, type CloudTrailIngestResult } from '../../../src/usage/cloudtrail/ingest.js';
import { loadActionCatalogue } from '../../../src/usage/cloudtrail/eventAction.js';
import type { AggregationScope } from '../../../src/usage/pushdown/dialects.js';
import { parseAggregateRows } from '../../../src/usage/pushdown/resultRows.js';
import { rebuildObservations, type PushdownObservations } from '../../../src/usage/pushdown/rebuild.js';
import { temporaryFolder } from '../cloudtrail/corpus.js';
import {
  aggregateOnDuckDb,
  eventsOfFile,
  logFiles,
  writeDeliveryFiles,
  type CloudTrailRecord,
} from './duckdb.js';

const CORPORA = fileURLToPath(new URL('../../../fixtures/cloudtrail-corpora/', import.meta.url));
const OPEN: AggregationScope = {
  since: '2000-01-01T00:00:00.000Z',
  until: '2100-01-01T00:00:00.000Z',
  accounts: [],
};
const folders: Array<{ remove: () => void }> = [];
afterAll(() => folders.forEach((folder) => folder.remove()));

function scratch(): string {
  const folder = temporaryFolder();
  folders.push(folder);
  return folder.path;
}

async function rebuilt(files: readonly string[], scope: AggregationScope): Promise<PushdownObservations> {
  const parsed = parseAggregateRows(await aggregateOnDuckDb(files, scope));
  expect(parsed.problems).toEqual([]);
  return rebuildObservations(parsed.rows, await loadActionCatalogue());
}

async function pushedDown(
  corpus: string,
  scope: AggregationScope,
  keep?: (event: CloudTrailRecord) => boolean,
): Promise<PushdownObservations> {
  const root = join(CORPORA, corpus);
  return rebuilt(writeDeliveryFiles(logFiles(root), root, scratch(), keep), scope);
}

/** The event times of a corpus, sorted. */
function eventTimes(corpus: string): string[] {
  return logFiles(join(CORPORA, corpus))
    .flatMap((file) => eventsOfFile(file))
    .map((event) => String(event.eventTime ?? event['@timestamp']))
    .sort();
}

function expectSameRows(pushdown: PushdownObservations, local: CloudTrailIngestResult): void {
  expect(pushdown.usage).toEqual(local.usage);
  expect(pushdown.clientActivity).toEqual(local.clientActivity);
  expect(pushdown.principals).toEqual(local.principals);
  expect(pushdown.accessKeys).toEqual(local.accessKeys.filter((key) => !key.temporary));
  expect(pushdown.firstEventAt).toBe(local.firstEventAt);
  expect(pushdown.lastEventAt).toBe(local.lastEventAt);
}

describe.each(['otrf', 'stratus-detonation-logs', 'traildiscover'])('the %s corpus', (corpus) => {
  it('gives the same usage, client activity, principals and keys as local ingest', async () => {
    // Given every file of the corpus, read by local ingest as shipped and by DuckDB as S3 delivery files
    const local = await ingestCloudTrail([join(CORPORA, corpus)], { concurrency: 1 });
    // When the aggregation is pushed down over an open window
    const pushdown = await pushedDown(corpus, OPEN);
    // Then every row agrees, and so do the counts
    expect(local.coverage.errors).toEqual([]);
    expectSameRows(pushdown, local);
    expect(pushdown).toMatchObject({
      events: local.coverage.events,
      mapped: local.coverage.mapped,
      unmapped: local.coverage.unmapped,
      peakLowerBounds: 0,
    });
  });
});

describe.each(['otrf', 'stratus-detonation-logs', 'traildiscover'])('the %s corpus in a window', (corpus) => {
  it('keeps only the events of the --since window, as local ingest does', async () => {
    // Given a window from the corpus' first quartile to its third
    const times = eventTimes(corpus);
    const since = new Date(Date.parse(times[Math.floor(times.length / 4)] as string) + 1).toISOString();
    const until = times[Math.floor((3 * times.length) / 4)] as string;
    const local = await ingestCloudTrail([join(CORPORA, corpus)], { concurrency: 1, since, until });
    // When the aggregation is pushed down over that window
    const pushdown = await pushedDown(corpus, { since, until, accounts: [] });
    // Then it holds the same rows, which are fewer than the corpus' events
    expectSameRows(pushdown, local);
    expect(pushdown.events).toBe(local.usage.reduce((sum, row) => sum + row.count, 0));
    expect(pushdown.events).toBeGreaterThan(0);
    expect(pushdown.events).toBeLessThan(local.coverage.events);
  });
});

describe('accounts in scope', () => {
  it('keeps only the events recorded for the accounts asked for', async () => {
    // Given the Stratus Red Team detonations, spread over accounts, and the account with the most events
    const account = '056392974792';
    const inAccount = (event: CloudTrailRecord): boolean => event.recipientAccountId === account;
    const root = join(CORPORA, 'stratus-detonation-logs');
    const onlyThatAccount = writeDeliveryFiles(logFiles(root), root, scratch(), inAccount);
    const local = await ingestCloudTrail(onlyThatAccount, { concurrency: 1 });
    // When the aggregation is limited to that account
    const pushdown = await pushedDown('stratus-detonation-logs', { ...OPEN, accounts: [account] });
    // Then it equals local ingest of that account's events alone
    expectSameRows(pushdown, local);
    expect(pushdown.events).toBe(56);
  });
});

describe('bounds: evidence samples and per-minute peaks, on real events replayed', () => {
  // A real IAM user event from the Stratus detonations, replayed with an SDK's per-API user agents.
  const template = eventsOfFile(
    join(CORPORA, 'stratus-detonation-logs', 'aws.persistence.iam-create-admin-user.json'),
  )[0] as CloudTrailRecord;
  const sdk = (api: string): string =>
    `aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/${api}#1.34.3`;
  const minute = (n: number): number => Date.parse('2024-08-01T13:00:00Z') + n * 60_000;
  /** `counts[i]` events in minute `start + i`, all from `userAgent`. */
  const burst = (userAgent: string, start: number, counts: number[]): CloudTrailRecord[] =>
    counts.flatMap((count, i) =>
      Array.from({ length: count }, (_, k) => ({
        ...template,
        eventID: `${userAgent.slice(-12)}-${start + i}-${k}`,
        eventTime: new Date(minute(start + i) + k * 1000).toISOString().replace('.000Z', 'Z'),
        userAgent,
      })),
    );
  const peakOf = (rows: PushdownObservations | CloudTrailIngestResult): number[] =>
    rows.clientActivity.map((row) => row.peakPerMinute);

  async function bothWays(events: CloudTrailRecord[]) {
    const file = join(scratch(), 'events.json.gz');
    writeFileSync(file, gzipSync(JSON.stringify({ Records: events })));
    const local = await ingestCloudTrail([file], { concurrency: 1 });
    return { local, pushdown: await rebuilt([file], OPEN) };
  }

  it('keeps the same 20 of 30 user agents, addresses and session names as local ingest', async () => {
    // Given one role session per event, each from its own client and address, some not ASCII (even astral)
    const role = eventsOfFile(
      join(CORPORA, 'stratus-detonation-logs', 'aws.credential-access.ec2-steal-instance-credentials.json'),
    ).find(
      (event) => (event.userIdentity as { type?: string } | undefined)?.type === 'AssumedRole',
    ) as CloudTrailRecord;
    const identity = role.userIdentity as { arn: string };
    const events = Array.from({ length: 30 }, (_, i) => ({
      ...role,
      eventID: `sample-${i}`,
      eventTime: new Date(minute(i)).toISOString().replace('.000Z', 'Z'),
      userAgent: `${sdk('s3')} app/tool-${i}${i % 7 === 0 ? '-\u00e9t\u00e9-\u{1F916}' : ''}`,
      sourceIPAddress: `198.51.${i}.${100 + i}`,
      userIdentity: { ...identity, arn: identity.arn.replace(/[^/]+$/, `session-${i}\u00df`) },
    }));
    // When both ways aggregate them
    const { local, pushdown } = await bothWays(events);
    // Then the bounded samples are the same (chosen by the same hash), as are the principal's session names
    const [row] = local.usage;
    expect(row?.userAgents).toHaveLength(20);
    expect(row?.sourceAddresses).toHaveLength(20);
    expect(row?.sessionNames).toHaveLength(20);
    expect(pushdown.usage).toEqual(local.usage);
    expect(pushdown.principals).toEqual(local.principals);
  });

  it('finds the exact peak of a client family that sends several user agents', async () => {
    // Given one user calling two APIs through the Go SDK (two user agents, one client family) for 15 minutes,
    // with a shared burst that no single user agent shows as its peak
    const events = [
      ...burst(sdk('iam'), 0, [2, 1, 1, 3, 1, 1, 1, 6, 1, 1, 1, 1, 1, 1, 1]),
      ...burst(sdk('sts'), 0, [1, 1, 1, 1, 1, 1, 1, 7, 2, 1, 1, 1, 1, 1, 1]),
    ];
    // When both ways aggregate them
    const { local, pushdown } = await bothWays(events);
    // Then the client row is one (sdk-go) with a peak of 13 events in a minute, exactly
    expect(peakOf(local)).toEqual([13]);
    expect(pushdown.clientActivity).toEqual(local.clientActivity);
    expect(pushdown.peakLowerBounds).toBe(0);
  });

  // AWS Copilot (the ECS CLI) rides on the Go SDK: agentaudit sees sdk-go, the engine's rougher family hint sees the
  // copilot agent, so the family row cannot be used and the peak comes from each user agent's busiest minutes.
  const copilot = `aws-copilot/1.34.0 ${sdk('ecs')}`;

  it('settles the peak from the busiest minutes when the family hint splits a family', async () => {
    // Given one user's Go SDK and AWS Copilot calls, with a shared burst
    const events = [
      ...burst(sdk('iam'), 0, [2, 1, 1, 3, 1, 1, 1, 6, 1, 1, 1, 1, 1, 1, 1]),
      ...burst(copilot, 0, [1, 1, 1, 1, 1, 1, 1, 7, 2, 1, 1, 1, 1, 1, 1]),
    ];
    const { local, pushdown } = await bothWays(events);
    // Then both are sdk-go, and the busiest minutes of each settle the peak exactly
    expect(local.clientActivity.map((row) => row.clientFamily)).toEqual(['sdk-go']);
    expect(pushdown.clientActivity).toEqual(local.clientActivity);
    expect(pushdown.peakLowerBounds).toBe(0);
  });

  it('reports a lower bound, and says so, when nothing settles the peak', async () => {
    // Given the same two clients, each steady at 3 events a minute for 12 minutes, overlapping in one
    const events = [...burst(sdk('iam'), 0, Array(12).fill(3)), ...burst(copilot, 11, Array(12).fill(3))];
    // When both ways aggregate them
    const { local, pushdown } = await bothWays(events);
    // Then local ingest sees 6 in the shared minute; the pushed-down peak is a lower bound, counted as such
    expect(peakOf(local)).toEqual([6]);
    expect(peakOf(pushdown)[0]).toBeLessThan(6);
    expect(pushdown.peakLowerBounds).toBe(1);
    expect(pushdown.usage).toEqual(local.usage);
  });
});
