// End to end: `agentaudit scan --github` against a local GitHub server, every github- rule raised, coverage of what a
// plan cannot read, the GitHub OIDC ↔ AWS join on the demo, and `rightsize` for a PAT, an installation and a workflow.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, startFakeGithub, type FakeGithub } from '../connectors/github/server.js';
import { removeTempDirs, ROOT, tempDir, type CliRun } from './cli.js';

const TOKEN = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0'.repeat(2).slice(0, 36);
const AWS_AUTHZ = path.join(ROOT, 'fixtures', 'demo', 'aws', 'authorization-details.json');
const AS_OF = '2026-10-30T12:00:00Z';

/** Runs the built CLI without blocking this process, so the local server can answer it. */
function runCliAsync(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'agentaudit.js'), ...args], {
      cwd,
      env: {
        ...process.env,
        CI: 'true',
        FORCE_COLOR: '0',
        GITHUB_TOKEN: '',
        GH_TOKEN: '',
        GITHUB_API_URL: '',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

interface OrgCoverage {
  counts: Record<string, number | null>;
  unavailable: { endpoint: string; reason: string }[];
  errors: unknown[];
}

interface JoinEvidence {
  trust_policy: { Statement: { Principal: { Federated: string } }[] };
  job_subjects: string[];
}

interface Report {
  scan: {
    status: string;
    sources: { name: string; status: string; detail: string }[];
    coverage: Record<string, OrgCoverage>;
  };
  findings: { ruleId: string; resource: string; severity: string; reason: string; evidence: JoinEvidence }[];
  rules: { ruleId: string; alarms: number; ok: number; skipped: number }[];
}

const GITHUB_RULES = fs
  .readdirSync(path.join(ROOT, 'rules'))
  .filter((file) => file.startsWith('github-'))
  .map((file) => file.replace(/\.yaml$/, ''))
  .sort();

let github: FakeGithub;
afterAll(async () => {
  await github?.close();
  removeTempDirs();
});

describe('agentaudit scan --github against a local GitHub server', () => {
  let cwd: string;
  let db: string;
  let run: CliRun;
  let report: Report;

  beforeAll(async () => {
    github = await startFakeGithub();
    cwd = tempDir();
    db = path.join(cwd, 'audit.db');
    // Given the demo organization served on 127.0.0.1 and the matching AWS account's export
    // When a user scans it with a token
    run = await runCliAsync(
      [
        'scan',
        '--github',
        DEMO_ORG,
        '--github-api-url',
        github.url,
        '--aws-authz',
        AWS_AUTHZ,
        '--as-of',
        AS_OF,
        '--format',
        'json',
        '--db',
        db,
      ],
      cwd,
      { GITHUB_TOKEN: TOKEN },
    );
    report = JSON.parse(run.stdout) as Report;
  });

  it('reads every endpoint, completes, and keeps no token', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const source = report.scan.sources.find((s) => s.name === `github:${DEMO_ORG}`)!;
    expect(source.status).toBe('ok');
    for (const kind of [
      'github-app-installation',
      'fine-grained-pat',
      'fine-grained-pat-request',
      'classic-pat',
      'ssh-key',
      'deploy-key',
      'actions-secret',
      'webhook',
      'github-workflow',
      'outside-collaborator',
    ]) {
      expect(source.detail).toContain(kind);
    }
    const coverage = report.scan.coverage[`github:${DEMO_ORG}`]!;
    expect(coverage.counts).toMatchObject({ members: 5, repositories: 4, workflowJobs: 5, runnerGroups: 2 });
    expect(coverage.unavailable).toEqual([]);
    expect(run.stdout).not.toContain(TOKEN);
    expect(fs.readFileSync(db).includes(TOKEN)).toBe(false);
  });

  it('raises every github- rule at least once, and passes each at least once', () => {
    const raised = new Set(report.findings.map((f) => f.ruleId));
    expect(GITHUB_RULES.filter((rule) => !raised.has(rule))).toEqual([]);
    const passed = new Set(report.rules.filter((r) => r.ok > 0).map((r) => r.ruleId));
    expect(GITHUB_RULES.filter((rule) => !passed.has(rule))).toEqual([]);
    expect(GITHUB_RULES.length).toBe(17);
  });

  it('right-sizes a fine-grained PAT, an App installation and a workflow', async () => {
    // Given the cache of that scan
    // When the release PAT, the claude installation and the website workflow are right-sized
    const pat = JSON.parse(
      (await runCliAsync(['rightsize', 'release-automation', '--db', db, '--format', 'json'], cwd, {}))
        .stdout,
    );
    const app = await runCliAsync(['rightsize', 'claude', '--db', db], cwd, {});
    const workflow = await runCliAsync(
      ['rightsize', 'website/.github/workflows/deploy.yml', '--db', db],
      cwd,
      {},
    );
    // Then each shows granted vs used and a suggestion
    expect(pat.suggested).toEqual({ contents: 'write', metadata: 'read', pull_requests: 'read' });
    expect(
      pat.permissions
        .filter((p: { action: string }) => p.action === 'remove')
        .map((p: { key: string }) => p.key),
    ).toEqual(['actions', 'issues']);
    expect(app.status).toBe(0);
    expect(app.stdout).toMatch(/workflows\s+write\s+-\s+remove/);
    // And the claude App, an agent, comes with its posture scorecard: scoped fails on its breadth findings and on
    // reading public issues while it can push (the confused deputy)
    expect(app.stdout).toMatch(/^agent posture:$/m);
    expect(app.stdout).toMatch(
      /^ {2}✗ scoped {7}3 findings of agent-confused-deputy, github-app-all-repositories, github-app-unused-write-permissions$/m,
    );
    expect(pat.posture).toBeUndefined();
    expect(app.stdout).toMatch(/issues\s+write\s+read\s+read \(downgrade\)/);
    expect(app.stdout).toContain('"pull_requests": "write"');
    expect(workflow.status).toBe(0);
    expect(workflow.stdout).toContain(
      'jobs:\n  deploy:\n    permissions:\n      contents: read\n      id-token: write',
    );
  });
});

describe('agentaudit scan --github on a plan without Enterprise Cloud', () => {
  it('says what it could not read, and why: a partial scan, not an error and not a clean result', async () => {
    // Given an organization whose plan has no audit log, SAML SSO or API Insights
    github.reset();
    const notFound = {
      status: 404,
      body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
    };
    github.inject(/\/audit-log$/, notFound);
    github.inject(/\/credential-authorizations$/, notFound);
    github.inject(/\/insights\/api\//, notFound);
    const cwd = tempDir();
    // When it is scanned
    const run = await runCliAsync(
      [
        'scan',
        '--github',
        DEMO_ORG,
        '--github-api-url',
        github.url,
        '--as-of',
        AS_OF,
        '--format',
        'json',
        '--db',
        path.join(cwd, 'a.db'),
      ],
      cwd,
      { GITHUB_TOKEN: TOKEN },
    );
    const report = JSON.parse(run.stdout) as Report;
    // Then the scan is partial (exit 3) with no error, coverage lists each endpoint with its reason, and usage rules
    // skip rather than pass
    expect(run.status).toBe(3);
    const source = report.scan.sources.find((s) => s.name === `github:${DEMO_ORG}`)!;
    expect(source.status).toBe('partial');
    expect(report.scan.coverage[`github:${DEMO_ORG}`]!.errors).toEqual([]);
    const unavailable = report.scan.coverage[`github:${DEMO_ORG}`]!.unavailable;
    expect(unavailable.map((u) => u.endpoint)).toEqual(
      expect.arrayContaining(['GET /orgs/{org}/audit-log', 'GET /orgs/{org}/credential-authorizations']),
    );
    expect(unavailable[0]!.reason).toMatch(/needs/);
    const unusedApps = report.rules.find((r) => r.ruleId === 'github-app-unused-write-permissions')!;
    expect(unusedApps).toMatchObject({ alarms: 0, ok: 0 });
    expect(unusedApps.skipped).toBeGreaterThan(0);
    const table = await runCliAsync(['report', '--db', path.join(cwd, 'a.db')], cwd);
    expect(table.stdout).toMatch(/PARTIAL SCAN/);
    expect(table.stdout).toMatch(/not readable with this plan or token: .*audit log \(404\)/);
  });
});

describe('agentaudit collect --github, then scan --from DIR offline', () => {
  it('records the organization read as a GitHub App, and replays it with no key, token or server to the live findings', async () => {
    // Given the demo organization on its own local server, and a GitHub App's private key
    const server = await startFakeGithub();
    const cwd = tempDir();
    const keyFile = path.join(cwd, 'app.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }));
    const app = ['--github', DEMO_ORG, '--github-api-url', server.url, '--github-app-id', '424242'];
    const snapshot = path.join(cwd, 'snapshot');
    // When a user collects it into a snapshot folder, and (for comparison) scans it live
    const [collected, live] = await Promise.all([
      runCliAsync(
        ['collect', ...app, '--github-private-key', keyFile, '--as-of', AS_OF, '--output', snapshot],
        cwd,
        {},
      ),
      runCliAsync(
        [
          'scan',
          ...app,
          '--github-private-key',
          keyFile,
          '--as-of',
          AS_OF,
          '--format',
          'json',
          '--db',
          path.join(cwd, 'live.db'),
        ],
        cwd,
        {},
      ),
    ]);
    // And later replays the snapshot, the server gone and the key deleted
    await server.close();
    fs.rmSync(keyFile);
    const replay = await runCliAsync(
      ['scan', '--from', snapshot, '--format', 'json', '--db', path.join(cwd, 'replay.db')],
      cwd,
      {},
    );
    // Then the collection was complete, and its manifest plans the same organization without the App's flags
    expect(collected.status, collected.stderr).toBe(0);
    expect(collected.stdout).toMatch(new RegExp(`^ok +github:${DEMO_ORG}: `, 'm'));
    const manifest = JSON.parse(fs.readFileSync(path.join(snapshot, 'snapshot.json'), 'utf8')) as {
      asOf: string;
      sources: unknown[];
    };
    expect(manifest.asOf).toBe(AS_OF);
    expect(manifest.sources).toEqual([
      {
        id: 'github',
        values: { github: [DEMO_ORG], githubApiUrl: server.url },
        env: {},
        results: [expect.objectContaining({ name: `github:${DEMO_ORG}`, status: 'ok' })],
      },
    ]);
    // And no credential was written: not the installation token, not the key
    const files = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((entry) =>
          entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
        );
    const written = files(snapshot).map((file) => fs.readFileSync(file, 'utf8'));
    expect(written.length).toBeGreaterThan(50);
    for (const text of written) {
      expect(text).not.toContain(server.installationToken);
      expect(text).not.toContain('PRIVATE KEY');
    }
    // And the replay reads only the snapshot, judged as of its collection, to the findings of the live scan
    expect(live.status, live.stderr).toBe(0);
    expect(replay.status, replay.stderr).toBe(0);
    const liveReport = JSON.parse(live.stdout) as Report;
    const replayed = JSON.parse(replay.stdout) as Report;
    expect(replayed.scan.sources.map((s) => [s.name, s.status])).toEqual([
      [`github:${DEMO_ORG}`, 'ok'],
      ['rules', 'ok'],
    ]);
    const keys = (report: Report): string[] =>
      report.findings.map((f) => `${f.ruleId} ${f.severity} ${f.resource}`).sort();
    expect(keys(replayed).length).toBeGreaterThan(20);
    expect(keys(replayed)).toEqual(keys(liveReport));
  });
});

describe('the GitHub OIDC ↔ AWS join on the demo', () => {
  it('raises one critical finding naming the workflow, the role and its trust policy', async () => {
    // Given the demo: website/.github/workflows/deploy.yml assumes ci/website-deploy, whose trust has no sub condition
    const cwd = tempDir();
    // When the demo is scanned
    const run = await runCliAsync(
      ['scan', '--demo', '--format', 'json', '--db', path.join(cwd, 'a.db')],
      cwd,
    );
    const report = JSON.parse(run.stdout) as Report;
    // Then exactly one join finding alarms, critical, naming both sides, and the pinned Terraform role passes
    const joined = report.findings.filter((f) => f.ruleId === 'github-workflow-assumes-wildcard-aws-role');
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({
      severity: 'critical',
      resource: `${DEMO_ORG}/website/.github/workflows/deploy.yml#deploy -> arn:aws:iam::210987654321:role/ci/website-deploy`,
    });
    expect(joined[0]!.reason).toMatch(/any repository on GitHub can assume it/);
    expect(joined[0]!.evidence.trust_policy.Statement[0]!.Principal.Federated).toMatch(
      /token\.actions\.githubusercontent\.com$/,
    );
    expect(joined[0]!.evidence.job_subjects).toContain(`repo:${DEMO_ORG}/website:pull_request`);
    expect(report.rules.find((r) => r.ruleId === 'github-workflow-assumes-wildcard-aws-role')).toMatchObject({
      alarms: 1,
      ok: 1,
    });
    expect(report.scan.sources.every((s) => s.status === 'ok')).toBe(true);
  });
});
