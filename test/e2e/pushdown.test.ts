// End to end: `scan --cloudtrail-lake` / `--athena` as a user runs them, against a local engine endpoint, and --dry-run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateOnDuckDb, logFiles } from '../usage/pushdown/duckdb.js';
import { FAKE_QUERY_ID, startFakeAws, type FakeAws } from '../usage/pushdown/fakeAws.js';
import { ROOT, removeTempDirs, runCli, tempDir, type CliRun } from './cli.js';

const DEMO = path.join(ROOT, 'fixtures', 'demo');
const AS_OF = (JSON.parse(fs.readFileSync(path.join(DEMO, 'demo.json'), 'utf8')) as { asOf: string }).asOf;
const SINCE = '2026-10-01T00:00:00Z';
const EDS_ARN =
  'arn:aws:cloudtrail:eu-west-1:210987654321:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE';
const INVENTORY = [
  ['--aws-authz', path.join(DEMO, 'aws', 'authorization-details.json')],
  ['--aws-credential-report', path.join(DEMO, 'aws', 'credential-report.csv')],
  ['--people', path.join(DEMO, 'people.csv')],
  ['--as-of', AS_OF],
  ['--since', SINCE],
].flat();

/** Like runCli, but without blocking this process, so that the local endpoint can answer the CLI. */
function runCliAsync(args: string[], cwd: string, env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'agentaudit.js'), ...args], {
      cwd,
      env: { ...process.env, CI: 'true', NO_COLOR: '', FORCE_COLOR: '0', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

interface JsonReport {
  scan: {
    status: string;
    sources: { name: string; status: string; detail: string }[];
    coverage: Record<string, Record<string, unknown>>;
  };
  findings: {
    id: string;
    ruleId: string;
    resource: string;
    severity: string;
    reason: string;
    evidence: object;
  }[];
}

afterAll(removeTempDirs);

describe('agentaudit scan --cloudtrail-lake', () => {
  let fake: FakeAws;
  let cwd: string;
  let local: JsonReport;
  let pushed: CliRun;
  let report: JsonReport;

  beforeAll(async () => {
    // Given the demo estate's exports, and its CloudTrail aggregated by an engine (DuckDB over the same S3 files)
    const files = logFiles(path.join(DEMO, 'cloudtrail')).filter((file) =>
      file.includes(`${path.sep}CloudTrail${path.sep}`),
    );
    const rows = await aggregateOnDuckDb(files, { since: SINCE, until: AS_OF, accounts: [] });
    fake = await startFakeAws({
      states: ['RUNNING', 'FINISHED'],
      rows,
      pageSize: 50,
      bytesScanned: 1_234_567_890,
    });
    cwd = tempDir();
    const localRun = runCli(
      [
        'scan',
        ...INVENTORY,
        '--cloudtrail',
        path.join(DEMO, 'cloudtrail'),
        '--format',
        'json',
        '--db',
        'local.db',
      ],
      cwd,
    );
    local = JSON.parse(localRun.stdout) as JsonReport;
    // When a user scans with the usage aggregated in CloudTrail Lake instead of read from files
    pushed = await runCliAsync(
      ['scan', ...INVENTORY, '--cloudtrail-lake', EDS_ARN, '--format', 'json', '--db', 'lake.db'],
      cwd,
      {
        AWS_ENDPOINT_URL_CLOUDTRAIL: fake.url,
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
    );
    report = JSON.parse(pushed.stdout) as JsonReport;
  });
  afterAll(() => fake.close());

  it('gives the same findings as reading the files locally', () => {
    expect(pushed.status).toBe(0);
    expect(report.scan.status).toBe('complete');
    expect(report.findings.length).toBeGreaterThan(5);
    expect(report.findings).toEqual(local.findings);
  });

  it('says which engine produced the evidence, what it scanned and the query id', () => {
    const source = report.scan.sources.find((s) => s.name === 'cloudtrail-lake');
    expect(source).toMatchObject({ status: 'ok' });
    expect(source?.detail).toContain(`(query ${FAKE_QUERY_ID}), 1.2 GB scanned`);
    expect(report.scan.coverage.pushdown).toMatchObject({
      engine: 'cloudtrail-lake',
      target: EDS_ARN,
      queryIds: [FAKE_QUERY_ID],
      bytesScanned: 1_234_567_890,
      events: local.scan.coverage.cloudtrail?.events,
    });
    // The query covered the evidence window, over the event data store's id
    const sql = String(fake.calls.find((call) => call.operation === 'StartQuery')?.body.QueryStatement);
    expect(sql).toContain('FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE');
    expect(sql).toContain("eventTime >= TIMESTAMP '2026-10-01 00:00:00.000'");
  });

  it('names the engine in the table and Markdown reports too', () => {
    const table = runCli(['report', '--db', 'lake.db', '--format', 'table'], cwd);
    expect(table.stdout).toContain(
      `Usage aggregated by CloudTrail Lake (${EDS_ARN}): ${Number(local.scan.coverage.cloudtrail?.events).toLocaleString('en-US')} events, `,
    );
    expect(table.stdout).toContain(`1.2 GB scanned, query ${FAKE_QUERY_ID}`);
    const markdown = runCli(['report', '--db', 'lake.db', '--format', 'markdown'], cwd);
    expect(markdown.stdout).toContain(`- **Usage aggregated by CloudTrail Lake** (${EDS_ARN}): `);
  });
});

describe('agentaudit scan --athena', () => {
  it('exits 3 with a partial report naming the engine’s message when the query fails', async () => {
    // Given an Athena endpoint that fails the query
    const fake = await startFakeAws({
      states: ['FAILED'],
      errorMessage: 'HIVE_CURSOR_ERROR: Row is not a valid JSON Object',
    });
    try {
      const cwd = tempDir();
      const run = await runCliAsync(
        ['scan', ...INVENTORY, '--athena', 'security.cloudtrail_logs', '--format', 'json', '--db', 'a.db'],
        cwd,
        {
          AWS_ENDPOINT_URL_ATHENA: fake.url,
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        },
      );
      // Then the gate says partial, and the source says what Athena said
      expect(run.status).toBe(3);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.scan.status).toBe('partial');
      expect(report.scan.sources.find((s) => s.name === 'athena')).toMatchObject({
        status: 'partial',
        detail: expect.stringContaining('HIVE_CURSOR_ERROR: Row is not a valid JSON Object'),
      });
    } finally {
      await fake.close();
    }
  });
});

describe('agentaudit scan --dry-run', () => {
  it('prints the SQL for a security team to review, and scans nothing', () => {
    // Given an Athena table and a 30-day window
    const cwd = tempDir();
    const run = runCli(
      [
        'scan',
        '--athena',
        'security.cloudtrail_logs',
        '--athena-output',
        's3://athena-results-210987654321/agentaudit/',
        '--pushdown-account',
        '210987654321',
        '--as-of',
        '2026-06-01',
        '--since',
        '30d',
        '--dry-run',
      ],
      cwd,
    );
    // Then it exits 0 with the statement over the window's partitions, and no cache was created
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      '-- agentaudit scan --dry-run: evidence window 2026-05-02T00:00:00Z to 2026-06-01T00:00:00Z',
    );
    expect(run.stdout).toContain('FROM "security"."cloudtrail_logs"');
    expect(run.stdout).toContain(`"timestamp" BETWEEN '2026/05/01' AND '2026/06/02'`);
    expect(run.stdout).toContain("recipientaccountid IN ('210987654321')");
    expect(fs.existsSync(path.join(cwd, '.agentaudit'))).toBe(false);
  });
});
