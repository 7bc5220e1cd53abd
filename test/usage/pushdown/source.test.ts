// The pushdown source through the real AWS SDK clients against a local CloudTrail Lake / Athena endpoint.
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CollectContext, SourceResult } from '../../../src/connectors/contract.js';
import { awsLiveSource } from '../../../src/connectors/aws/live/source.js';
import { UserError } from '../../../src/errors/errors.js';
import type { Inventory } from '../../../src/model/types.js';
import { memoryHttpCache } from '../../../src/store/httpCache.js';
import { ingestCloudTrail, type CloudTrailIngestResult } from '../../../src/usage/cloudtrail/ingest.js';
import type { EngineRow } from '../../../src/usage/pushdown/resultRows.js';
import { cloudtrailPushdownSource } from '../../../src/usage/pushdown/source.js';
import { temporaryFolder } from '../cloudtrail/corpus.js';
import { aggregateOnDuckDb, logFiles, writeDeliveryFiles } from './duckdb.js';
import { FAKE_QUERY_ID, startFakeAws, type EngineScript, type FakeAws } from './fakeAws.js';

const CORPUS = fileURLToPath(
  new URL('../../../fixtures/cloudtrail-corpora/stratus-detonation-logs/', import.meta.url),
);
const WINDOW = { since: '2024-01-01T00:00:00.000Z', until: '2026-06-01T00:00:00.000Z' };
const EDS_ARN =
  'arn:aws:cloudtrail:eu-west-1:123456789012:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE';
const EMPTY: Inventory = {
  identities: [],
  credentials: [],
  grants: [],
  usage: [],
  clientActivity: [],
  people: [],
  edges: [],
};

let engineRows: EngineRow[];
let local: CloudTrailIngestResult;
const scratch = temporaryFolder();
beforeAll(async () => {
  // The rows an engine returns for the Stratus Red Team corpus: the aggregation run by DuckDB on the same events.
  const files = writeDeliveryFiles(logFiles(CORPUS), CORPUS, scratch.path);
  engineRows = await aggregateOnDuckDb(files, { ...WINDOW, accounts: [] });
  local = await ingestCloudTrail([CORPUS], { concurrency: 1, ...WINDOW });
});
afterAll(() => scratch.remove());

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function context(url: string): CollectContext {
  return {
    asOf: WINDOW.until,
    window: WINDOW,
    concurrency: 1,
    progress: () => undefined,
    httpCache: memoryHttpCache(),
    env: {
      AWS_ENDPOINT_URL_CLOUDTRAIL: url,
      AWS_ENDPOINT_URL_ATHENA: url,
      AWS_REGION: 'us-east-2',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
  };
}

async function collect(flags: Record<string, unknown>, script: EngineScript): Promise<SourceResult> {
  fake = await startFakeAws(script);
  const planned = cloudtrailPushdownSource.plan(flags, {});
  if (!planned) throw new Error('the source was not planned');
  const [result] = await planned.collect(context(fake.url));
  return result as SourceResult;
}

const operations = (): string[] => (fake?.calls ?? []).map((call) => call.operation);

describe('CloudTrail Lake', () => {
  it('starts the query, polls until it finishes, pages through the results and rebuilds local ingest’s rows', async () => {
    // Given an event data store whose query is queued, then running, then finished, with its rows in pages of 25
    const result = await collect(
      { cloudtrailLake: EDS_ARN, pushdownTimeout: '20s' },
      {
        states: ['QUEUED', 'RUNNING', 'FINISHED'],
        rows: engineRows,
        pageSize: 25,
        bytesScanned: 3_456_789_012,
      },
    );
    // Then the SQL went to the store's region, over its id and the evidence window
    const [start] = fake?.calls ?? [];
    const sql = String(start?.body.QueryStatement);
    expect(sql).toContain('FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE');
    expect(sql).toContain("eventTime >= TIMESTAMP '2024-01-01 00:00:00.000'");
    expect(sql.length).toBeLessThan(10_000); // StartQuery's limit on QueryStatement
    expect(start?.authorization).toContain('/eu-west-1/cloudtrail/aws4_request');
    // And it polled three times, then read every page, each with the previous page's token
    expect(operations()).toEqual([
      'StartQuery',
      ...Array(3).fill('DescribeQuery'),
      ...Array(Math.ceil(engineRows.length / 25)).fill('GetQueryResults'),
    ]);
    expect(
      fake?.calls.filter((call) => call.operation === 'GetQueryResults').map((call) => call.body.NextToken),
    ).toEqual([
      undefined,
      ...Array.from({ length: Math.ceil(engineRows.length / 25) - 1 }, (_, i) => String(25 * (i + 1))),
    ]);
    // And the usage is what local ingest of the same files produces, with the engine named in the report
    expect(result.errors).toEqual([]);
    const linked = result.link?.(EMPTY);
    expect(linked?.usage).toEqual(local.usage);
    expect(linked?.clientActivity).toEqual(local.clientActivity);
    expect(result.name).toBe('cloudtrail-lake');
    expect(result.coverage.pushdown).toMatchObject({
      engine: 'cloudtrail-lake',
      target: EDS_ARN,
      queryIds: [FAKE_QUERY_ID],
      bytesScanned: 3_456_789_012,
      eventsScanned: 9_876,
      rows: engineRows.length,
      events: local.coverage.events,
      mapped: local.coverage.mapped,
    });
    expect(result.detail).toBe(
      `CloudTrail Lake ${EDS_ARN}: 310 events aggregated by the engine into ${engineRows.length} rows ` +
        `(query ${FAKE_QUERY_ID}), 3.5 GB scanned, 100.0% mapped to IAM actions`,
    );
  });

  it('reports a failed query as partial coverage, with the engine’s message', async () => {
    // Given a query the engine fails
    const result = await collect(
      { cloudtrailLake: 'EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE' },
      { states: ['RUNNING', 'FAILED'], errorMessage: 'Query failed: Column userIdentity.foo not found' },
    );
    // Then the source is partial (not silently empty), naming the store, the query and the engine's words
    expect(result.failed).toBeUndefined();
    expect(result.errors).toEqual([
      {
        file: 'CloudTrail Lake event data store EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE',
        message: `query ${FAKE_QUERY_ID} failed: Query failed: Column userIdentity.foo not found`,
      },
    ]);
    expect(result.coverage.pushdown).toMatchObject({ queryIds: [FAKE_QUERY_ID], rows: 0, events: 0 });
    expect(result.detail).toBe(
      `CloudTrail Lake EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE: no usage aggregated (query ${FAKE_QUERY_ID})`,
    );
    expect(operations()).not.toContain('GetQueryResults');
  });

  it('gives up after --pushdown-timeout and says the query may still be running', async () => {
    // Given a query that never finishes, and one second to wait
    const started = Date.now();
    const result = await collect({ cloudtrailLake: EDS_ARN, pushdownTimeout: '1s' }, { states: ['RUNNING'] });
    // Then the scan stops waiting after about a second, with a partial source that says why
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toMatch(
      new RegExp(
        `^query ${FAKE_QUERY_ID} did not finish within 1 s \\(still RUNNING\\); it may still be running`,
      ),
    );
    expect(operations().filter((operation) => operation === 'DescribeQuery').length).toBeGreaterThan(1);
  });

  it('skips result rows it cannot read, names them, and keeps the rest', async () => {
    // Given a result in which one row's key is not JSON
    const [first, ...rest] = engineRows;
    const result = await collect(
      { cloudtrailLake: EDS_ARN },
      { states: ['FINISHED'], rows: [{ ...first, row_key: '["IAMUser", "arn:aws:iam::1:user/x"' }, ...rest] },
    );
    // Then the source is partial, saying how many rows were skipped and why, and the others are used
    expect(result.errors).toEqual([
      {
        file: `CloudTrail Lake event data store ${EDS_ARN}`,
        message: '1 result row(s) skipped: row_key is not JSON',
      },
    ]);
    expect(result.coverage.pushdown).toMatchObject({ rows: engineRows.length });
    expect(result.link?.(EMPTY).usage.length).toBeGreaterThan(0);
  });

  it('refuses a result that is not this aggregation’s', async () => {
    const result = await collect(
      { cloudtrailLake: EDS_ARN },
      { states: ['FINISHED'], rows: [{ eventName: 'ListBuckets', count: '3' }] },
    );
    expect(result.errors.map((error) => error.message)).toEqual([
      "the result has no row_kind column: it is not this aggregation's",
    ]);
    expect(result.link?.(EMPTY).usage).toEqual([]);
  });

  it('reports a refused query with the exception the engine named', async () => {
    // Given an engine that refuses the statement
    const result = await collect(
      { cloudtrailLake: EDS_ARN },
      {
        states: [],
        startError: { type: 'InvalidQueryStatementException', message: 'Query statement is invalid' },
      },
    );
    // Then nothing was polled and the error carries the engine's exception and message
    expect(operations()).toEqual(['StartQuery']);
    expect(result.errors).toEqual([
      {
        file: `CloudTrail Lake event data store ${EDS_ARN}`,
        message: 'InvalidQueryStatementException: Query statement is invalid',
      },
    ]);
  });
});

describe('Athena', () => {
  it('runs in the workgroup and database, skips the header row, pages, and rebuilds local ingest’s rows', async () => {
    // Given an Athena table and a query that succeeds after running a while
    const result = await collect(
      {
        athena: 'security.cloudtrail_logs',
        athenaWorkgroup: 'audit',
        athenaOutput: 's3://athena-results-123456789012/agentaudit/',
        athenaAccountPartition: 'account',
        pushdownAccount: ['056392974792'],
      },
      { states: ['QUEUED', 'RUNNING', 'SUCCEEDED'], rows: engineRows, pageSize: 40, bytesScanned: 987_654 },
    );
    // Then it started in the workgroup, with the database and output location, over the pruned partitions
    const start = fake?.calls[0];
    expect(start?.operation).toBe('StartQueryExecution');
    expect(start?.body).toMatchObject({
      WorkGroup: 'audit',
      QueryExecutionContext: { Database: 'security' },
      ResultConfiguration: { OutputLocation: 's3://athena-results-123456789012/agentaudit/' },
    });
    const sql = String(start?.body.QueryString);
    expect(sql).toContain('FROM "security"."cloudtrail_logs"');
    expect(sql).toContain(`"timestamp" BETWEEN '2023/12/31' AND '2026/06/02'`);
    expect(sql).toContain(`"account" IN ('056392974792')`);
    expect(start?.authorization).toContain('/us-east-2/athena/aws4_request');
    expect(operations()).toEqual([
      'StartQueryExecution',
      ...Array(3).fill('GetQueryExecution'),
      ...Array(Math.ceil(engineRows.length / 40)).fill('GetQueryResults'),
    ]);
    // And the rows (served here for every account) rebuild local ingest's, the header row not taken for data
    expect(result.errors).toEqual([]);
    expect(result.link?.(EMPTY).usage).toEqual(local.usage);
    expect(result.name).toBe('athena');
    expect(result.coverage.pushdown).toMatchObject({
      engine: 'athena',
      target: 'security.cloudtrail_logs',
      queryIds: [FAKE_QUERY_ID],
      bytesScanned: 987_654,
      rows: engineRows.length,
      accounts: ['056392974792'],
    });
    expect(result.detail).toContain(', 988 kB scanned,');
  });

  it('reports a failed query as partial coverage, with the engine’s message', async () => {
    const result = await collect(
      { athena: 'cloudtrail_logs', athenaOutput: 's3://athena-results-123456789012/' },
      {
        states: ['RUNNING', 'FAILED'],
        errorMessage:
          "TABLE_NOT_FOUND: line 21:10: Table 'awsdatacatalog.default.cloudtrail_logs' does not exist",
      },
    );
    expect(fake?.calls[0]?.body).toMatchObject({
      QueryExecutionContext: { Database: 'default' },
      WorkGroup: 'primary',
    });
    expect(result.errors).toEqual([
      {
        file: 'Athena table default.cloudtrail_logs',
        message:
          `query ${FAKE_QUERY_ID} failed: TABLE_NOT_FOUND: line 21:10: ` +
          "Table 'awsdatacatalog.default.cloudtrail_logs' does not exist",
      },
    ]);
  });

  it("runs in the --region given, with the scan's credentials", async () => {
    await collect(
      { athena: 'cloudtrail_logs', region: 'ap-southeast-2' },
      { states: ['SUCCEEDED'], rows: [] },
    );
    expect(fake?.calls[0]?.authorization).toContain('AKIAIOSFODNN7EXAMPLE/');
    expect(fake?.calls[0]?.authorization).toContain('/ap-southeast-2/athena/aws4_request');
  });

  it('gives up after --pushdown-timeout', async () => {
    const result = await collect(
      { athena: 'cloudtrail_logs', pushdownTimeout: '1s' },
      { states: ['QUEUED'] },
    );
    expect(result.errors[0]?.message).toMatch(/did not finish within 1 s \(still QUEUED\)/);
  });
});

describe('planning', () => {
  const plan = (flags: Record<string, unknown>) => () => cloudtrailPushdownSource.plan(flags, {});

  it('is not asked for without an engine, and refuses engine flags without one', () => {
    expect(cloudtrailPushdownSource.plan({}, {})).toBeNull();
    expect(plan({ athenaOutput: 's3://b/p' })).toThrow(UserError);
    expect(plan({ pushdownAccount: ['123456789012'] })).toThrow(
      /--pushdown-account needs --cloudtrail-lake or --athena/,
    );
  });

  it('shares --profile and --region with the live AWS sources', () => {
    const values = { cloudtrailLake: EDS_ARN, profile: 'audit', region: 'eu-west-1' };
    expect(cloudtrailPushdownSource.plan(values, {})).not.toBeNull();
    expect(awsLiveSource.plan(values, {})).toBeNull();
  });

  it('refuses two engines at once, Athena flags for Lake, and bad values', () => {
    expect(plan({ cloudtrailLake: EDS_ARN, athena: 't' })).toThrow(/not both/);
    expect(plan({ cloudtrailLake: EDS_ARN, athenaWorkgroup: 'w' })).toThrow(/applies to --athena/);
    expect(plan({ cloudtrailLake: 'arn:aws:s3:::bucket' })).toThrow(/not an event data store/);
    expect(plan({ athena: 'drop table; --' })).toThrow(/not a table name/);
    expect(plan({ athena: 't', athenaOutput: 'https://example.com' })).toThrow(/not an s3:\/\/ location/);
    expect(plan({ athena: 't', pushdownAccount: ['1234'] })).toThrow(/not a 12-digit/);
    expect(plan({ athena: 't', pushdownTimeout: 'soon' })).toThrow(/not a duration/);
    // CloudTrail Lake takes statements of up to 10,000 characters; Athena's limit is far higher
    const accounts = Array.from({ length: 250 }, (_, i) => String(100000000000 + i));
    expect(plan({ cloudtrailLake: EDS_ARN, pushdownAccount: accounts })).toThrow(/over StartQuery's 10000/);
    expect(plan({ athena: 't', pushdownAccount: accounts })).not.toThrow();
  });
});

describe('dry run', () => {
  it('prints the SQL it would run over the window and accounts, without calling anything', () => {
    // Given a planned Lake source
    const planned = cloudtrailPushdownSource.plan(
      { cloudtrailLake: EDS_ARN, pushdownAccount: ['123456789012'] },
      {},
    );
    // When it is asked for a dry run
    const text = planned?.dryRun?.({ asOf: WINDOW.until, window: WINDOW }) ?? '';
    // Then it names the store, the window and the accounts, and prints a complete statement
    expect(text.split('\n')[0]).toBe(
      `-- CloudTrail Lake event data store ${EDS_ARN}; events from ${WINDOW.since} to ${WINDOW.until}, accounts 123456789012`,
    );
    expect(text).toContain("recipientAccountId IN ('123456789012')");
    expect(text.trimEnd().endsWith('ORDER BY row_kind, row_key;')).toBe(true);
  });
});
