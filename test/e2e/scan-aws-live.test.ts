// End to end: `agentaudit scan --aws` against a local AWS-compatible endpoint (AWS_ENDPOINT_URL) serving the demo account.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_AS_OF,
  DEMO_BUCKET,
  DEMO_DIR,
  demoEstate,
  demoTrailEvents,
  demoTrailObjects,
} from '../connectors/aws-live/demoEstate.js';
import { startFakeAws, type FakeAws, type RecordedCall } from '../connectors/aws-live/fakeAws.js';
import { removeTempDirs, ROOT, tempDir, type CliRun } from './cli.js';

afterAll(removeTempDirs);

const BIN = path.join(ROOT, 'bin', 'agentaudit.js');
const PEOPLE = path.join(DEMO_DIR, 'people.csv');
const POLICY = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'docs', 'agentaudit-readonly-policy.json'), 'utf8'),
) as {
  Statement: { Action: string[] }[];
};
const ALLOWED = new Set(POLICY.Statement.flatMap((statement) => statement.Action));

/**
 * The environment of a user pointed at the fake endpoint: dummy keys, no shared config files, no instance metadata,
 * and none of the machine's own AWS settings.
 */
function awsEnvironment(endpoint: string | null, withKeys = true): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
  return {
    ...env,
    CI: 'true',
    NO_COLOR: '',
    FORCE_COLOR: '0',
    AWS_CONFIG_FILE: path.join(ROOT, 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(ROOT, 'no-such-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    ...(endpoint ? { AWS_ENDPOINT_URL: endpoint } : {}),
    ...(withKeys
      ? {
          AWS_ACCESS_KEY_ID: 'AKIAAUDITOREXAMPLE01',
          AWS_SECRET_ACCESS_KEY: 'local-endpoint-dummy-secret-key-0000000',
        }
      : {}),
  };
}

/** Runs the built CLI without blocking this process, which serves the fake endpoint meanwhile. */
function runCliAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

interface JsonReport {
  scan: {
    id: number;
    status: string;
    sources: { name: string; status: string; detail: string }[];
    coverage: Record<string, Record<string, unknown>>;
  };
  findings: { ruleId: string; severity: string; resource: string; evidence: Record<string, unknown> }[];
}

/** Each finding as rule, severity and the identity it is about (key findings name their key differently live). */
const findingKeys = (report: JsonReport): string[] =>
  report.findings
    .map((f) => `${f.ruleId} ${f.severity} ${String(f.evidence['identity'] ?? f.resource)}`)
    .sort();

const mutating = (call: RecordedCall): boolean =>
  !/^(iam:(Get|List|Generate)|cloudtrail:LookupEvents$|s3:(ListBucket|GetObject)$)/.test(call.action);

describe('agentaudit scan --aws --cloudtrail s3://… against AWS_ENDPOINT_URL', () => {
  let aws: FakeAws;
  let cwd: string;
  let db: string;
  let run: CliRun;
  let report: JsonReport;
  let offline: JsonReport;

  beforeAll(async () => {
    // Given an AWS-compatible endpoint serving the demo account (authorization details in pages of 4 entities, a
    // credential report that takes two polls, access keys) and its trail bucket
    aws = await startFakeAws({
      ...demoEstate(),
      buckets: { [DEMO_BUCKET]: demoTrailObjects() },
      authorizationPageSize: 4,
      reportPollsBeforeComplete: 2,
      s3PageSize: 5,
    });
    cwd = tempDir();
    db = path.join(cwd, 'live.db');
    // When a user audits the account live, with the people directory, as of the demo's date
    run = await runCliAsync(
      [
        'scan',
        '--aws',
        '--cloudtrail',
        `s3://${DEMO_BUCKET}`,
        '--people',
        PEOPLE,
        '--as-of',
        DEMO_AS_OF,
        '--format',
        'json',
        '--db',
        db,
      ],
      cwd,
      awsEnvironment(aws.url),
    );
    report = JSON.parse(run.stdout) as JsonReport;
    // And the same account is scanned from its export files
    const demo = await runCliAsync(
      ['scan', '--demo', '--format', 'json', '--db', path.join(cwd, 'x.db')],
      cwd,
      awsEnvironment(null, false),
    );
    offline = JSON.parse(demo.stdout) as JsonReport;
  });
  afterAll(async () => aws.close());

  it('completes with every source ok', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(report.scan.status).toBe('complete');
    expect(report.scan.sources.map((s) => [s.name, s.status])).toEqual([
      ['aws', 'ok'],
      ['people', 'ok'],
      ['cloudtrail-s3', 'ok'],
      ['rules', 'ok'],
    ]);
  });

  it('inventories the users, keys, roles and policies of the account', () => {
    expect(report.scan.coverage['aws']).toMatchObject({
      users: 5,
      roles: 10,
      groups: 1,
      policies: 5,
      credentialRows: 6,
      accessKeys: 5,
      accessKeysMatchedToReport: 5,
      oidcProviders: 1,
      live: true,
      errors: [],
    });
    const cache = new Database(db, { readonly: true });
    try {
      const scan = report.scan.id;
      const kinds = cache
        .prepare('SELECT kind, count(*) AS n FROM identities WHERE scan_id = ? GROUP BY kind ORDER BY kind')
        .all(scan);
      expect(kinds).toEqual([
        { kind: 'aws-root', n: 1 },
        { kind: 'iam-role', n: 10 },
        { kind: 'iam-user', n: 5 },
      ]);
      const keys = cache
        .prepare(
          "SELECT key_id FROM credentials WHERE scan_id = ? AND kind = 'aws-access-key' AND key_id IS NOT NULL ORDER BY key_id",
        )
        .all(scan)
        .map((row) => (row as { key_id: string }).key_id);
      expect(keys).toEqual([
        'AKIANWRDARTIFACTS003',
        'AKIANWRDDEPLOYKEY001',
        'AKIANWRDLEGACYBKP004',
        'AKIANWRDLEGACYBKP005',
        'AKIANWRDMARIAGKEY002',
      ]);
      // Key-level usage joins by key id: the deploy key's CloudTrail events are on its credential.
      const keyUsage = cache
        .prepare(
          "SELECT sum(count) AS n FROM usage WHERE scan_id = ? AND credential_id = 'aws:access-key:AKIANWRDDEPLOYKEY001'",
        )
        .get(scan) as { n: number };
      expect(keyUsage.n).toBeGreaterThan(0);
      const grants = cache.prepare('SELECT count(*) AS n FROM grants WHERE scan_id = ?').get(scan) as {
        n: number;
      };
      expect(grants.n).toBeGreaterThan(0);
    } finally {
      cache.close();
    }
  });

  it('raises the same findings as scanning the export files', () => {
    expect(report.findings.length).toBeGreaterThan(10);
    expect(findingKeys(report)).toEqual(findingKeys(offline));
    // …and reads the trail's events as the local files are read
    expect(report.scan.coverage['cloudtrail']).toMatchObject({
      files: 79,
      events: 3980,
      duplicates: 65,
      unmapped: 0,
    });
  });

  it('made only read calls, every one of them inside the published read-only policy', () => {
    expect(aws.calls.length).toBeGreaterThan(0);
    expect(aws.calls.filter(mutating)).toEqual([]);
    expect(
      [...new Set(aws.calls.map((call) => call.action))].filter((action) => !ALLOWED.has(action)),
    ).toEqual([]);
    expect(aws.calls.every((call) => (call.action.startsWith('s3:') ? call.method === 'GET' : true))).toBe(
      true,
    );
  });

  it('pages through the authorization details and polls the credential report until it is ready', () => {
    const count = (action: string): number => aws.calls.filter((call) => call.action === action).length;
    // 5 users + 1 group + 10 roles + 5 policies = 21 entities, 4 a page
    expect(count('iam:GetAccountAuthorizationDetails')).toBe(6);
    expect(count('iam:GenerateCredentialReport')).toBe(3);
    expect(count('iam:GetCredentialReport')).toBe(1);
    expect(count('iam:ListAccessKeys')).toBe(5);
    expect(count('iam:GetAccessKeyLastUsed')).toBe(5);
  });

  it('lists only the day folders inside the evidence window, never the digests', () => {
    const prefixes = aws.calls
      .filter((call) => call.action === 's3:ListBucket')
      .map((call) => call.params['prefix']);
    expect(prefixes.some((prefix) => prefix?.includes('Digest'))).toBe(false);
    const days = prefixes.flatMap(
      (prefix) =>
        /\/(\d{4})\/(\d{2})\/(\d{2})\/$/
          .exec(prefix ?? '')
          ?.slice(1, 4)
          .join('-') ?? [],
    );
    // --since defaults to 90 days before --as-of: 2026-08-01 … 2026-10-30, in each of the two regions
    expect(new Set(days).size).toBe(91);
    expect(days.every((day) => day >= '2026-08-01' && day <= '2026-10-30')).toBe(true);
    // (each listed once, though in several pages of 5 keys: continuation tokens, not repeats)
    const pages = aws.calls.filter((call) => call.params['prefix']?.endsWith('/us-east-1/2026/10/28/'));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.filter((call) => !call.params['continuation-token'])).toHaveLength(1);
    expect([...new Set(prefixes.filter((prefix) => prefix?.endsWith('/2026/10/28/')))]).toEqual([
      'AWSLogs/210987654321/CloudTrail/eu-west-1/2026/10/28/',
      'AWSLogs/210987654321/CloudTrail/us-east-1/2026/10/28/',
    ]);
  });
});

describe('agentaudit scan --aws with LookupEvents', () => {
  let aws: FakeAws;
  let run: CliRun;
  let report: JsonReport;
  const events = demoTrailEvents('/us-east-1/2026/10/30/').slice(0, 120);

  beforeAll(async () => {
    // Given the demo account whose LookupEvents serves 120 events, and which throttles its first LookupEvents and
    // ListAccessKeys requests
    aws = await startFakeAws({
      ...demoEstate(),
      lookupEvents: events,
      throttleOnce: ['cloudtrail:LookupEvents', 'iam:ListAccessKeys'],
    });
    const cwd = tempDir();
    // When a user audits it live without --cloudtrail
    run = await runCliAsync(
      [
        'scan',
        '--aws',
        '--as-of',
        DEMO_AS_OF,
        '--since',
        '7d',
        '--format',
        'json',
        '--db',
        path.join(cwd, 'a.db'),
      ],
      cwd,
      awsEnvironment(aws.url),
    );
    report = JSON.parse(run.stdout) as JsonReport;
  });
  afterAll(async () => aws.close());

  it('reads every page of LookupEvents over the window, the SDK retrying the throttled requests', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(report.scan.sources.map((s) => [s.name, s.status])).toEqual([
      ['aws', 'ok'],
      ['cloudtrail:lookup-events', 'ok'],
      ['rules', 'ok'],
    ]);
    const unique = new Set(events.map((event) => event['eventID'])).size;
    expect(report.scan.coverage['cloudtrail']).toMatchObject({
      files: 0,
      events: unique,
      unmapped: 0,
      errors: [],
    });
    expect(report.scan.coverage['lookupEvents']).toEqual({
      region: 'us-east-1',
      requests: 3,
      complete: true,
    });
    const lookups = aws.calls.filter((call) => call.action === 'cloudtrail:LookupEvents');
    // three pages of 50, one of them throttled once and retried
    expect(lookups).toHaveLength(4);
    expect(aws.calls.filter((call) => call.action === 'iam:ListAccessKeys')).toHaveLength(6);
    expect(aws.calls.filter(mutating)).toEqual([]);
  });
});

describe('agentaudit scan --aws when a call is denied or there are no credentials', () => {
  let aws: FakeAws;
  beforeAll(async () => {
    aws = await startFakeAws({ ...demoEstate(), deny: ['iam:ListAccessKeys', 'cloudtrail:LookupEvents'] });
  });
  afterAll(async () => aws.close());

  it('reports AccessDenied as partial coverage naming the call, and exits 3', async () => {
    // Given an account that denies ListAccessKeys and LookupEvents
    const cwd = tempDir();
    // When it is audited live
    const run = await runCliAsync(
      ['scan', '--aws', '--as-of', DEMO_AS_OF, '--format', 'json', '--db', path.join(cwd, 'a.db')],
      cwd,
      awsEnvironment(aws.url),
    );
    // Then the scan is partial, says what could not be read and why, and still reports what it could read
    expect(run.status).toBe(3);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.scan.status).toBe('partial');
    const sources = Object.fromEntries(report.scan.sources.map((s) => [s.name, s]));
    expect(sources['aws']?.status).toBe('partial');
    expect(sources['aws']?.detail).toMatch(
      /iam:ListAccessKeys \(user [^)]+\): AccessDenied: .*not authorized.*and 4 more/,
    );
    expect(sources['cloudtrail:lookup-events']?.status).toBe('failed');
    expect(sources['cloudtrail:lookup-events']?.detail).toMatch(
      /AccessDeniedException: .*not authorized to perform: cloudtrail:LookupEvents/,
    );
    expect(report.scan.coverage['aws']).toMatchObject({ users: 5, roles: 10, accessKeys: 0 });
    expect(report.findings.some((finding) => finding.ruleId === 'aws-role-trust-too-broad')).toBe(true);
  });

  it('turns a credential chain that finds nothing into a usage error with a next step', async () => {
    // Given no credentials anywhere the SDK looks
    const cwd = tempDir();
    const callsBefore = aws.calls.length;
    // When a live audit is asked for
    const run = await runCliAsync(
      ['scan', '--aws', '--db', path.join(cwd, 'a.db')],
      cwd,
      awsEnvironment(aws.url, false),
    );
    // Then it stops with exit 2, naming the problem and what to do
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/no AWS credentials could be found/);
    expect(run.stderr).toMatch(/aws sso login/);
    expect(run.stderr).toMatch(/--profile/);
    expect(aws.calls.length).toBe(callsBefore);
  });
});
