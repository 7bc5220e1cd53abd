// End to end on the bundled demo: the JSON contract, the CI gate, the cache, report and baseline, as a user runs them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, removeTempDirs, runCliAsync, tempDir, type CliRun } from './cli.js';

afterAll(removeTempDirs);

interface JsonReport {
  scan: {
    id: number;
    startedAt: string;
    finishedAt: string;
    sources: { name: string; status: string; detail: string }[];
    coverage: {
      cloudtrail: {
        files: number;
        events: number;
        duplicates: number;
        mapped: number;
        unmapped: number;
        errors: unknown[];
      };
    };
  };
  summary: {
    checked: number;
    alarms: number;
    bySeverity: Record<string, number>;
    agents: {
      identity: string;
      name: string;
      provider: string;
      kind: string;
      properties: Record<string, { status: string; reason: string; findings: string[] }>;
    }[];
  };
  findings: {
    id: string;
    ruleId: string;
    title: string;
    severity: string;
    category: string;
    resource: string;
    status: string;
    reason: string;
    evidence: object;
    remediation: string;
    references: unknown[];
  }[];
}

describe('agentaudit scan --demo', () => {
  let cwd: string;
  let db: string;
  let first: CliRun;
  let report: JsonReport;

  beforeAll(async () => {
    // Given a fresh working folder and the bundled demo estate
    cwd = tempDir();
    db = path.join(cwd, 'cache', 'audit.db');
    // When a user scans it as JSON
    first = await runCliAsync(['scan', '--demo', '--format', 'json', '--db', db], cwd);
    report = JSON.parse(first.stdout) as JsonReport;
  });

  it('prints the documented JSON contract and exits 0 without --fail-on', () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(report.scan).toMatchObject({
      id: expect.any(Number),
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
    expect(report.scan.sources.map((source) => source.status)).toEqual(report.scan.sources.map(() => 'ok'));
    expect(Object.keys(report.summary.bySeverity).sort()).toEqual([
      'critical',
      'high',
      'info',
      'low',
      'medium',
    ]);
    expect(report.summary.alarms).toBe(report.findings.length);
    expect(report.summary.checked).toBeGreaterThan(report.summary.alarms);
    const trail = report.scan.coverage.cloudtrail;
    expect(trail.events).toBeGreaterThan(1000);
    expect(trail.duplicates).toBeGreaterThan(0);
    expect(trail.mapped + trail.unmapped).toBe(trail.events);
    for (const finding of report.findings) {
      expect(finding).toMatchObject({ status: 'alarm', id: expect.stringMatching(/^[0-9a-f]{20}$/) });
      expect(finding.references.length).toBeGreaterThan(0);
    }
  });

  it('alarms in every category the foundation promises', () => {
    const categories = new Set(report.findings.map((finding) => finding.category));
    for (const category of [
      'shared-credential',
      'long-lived-secret',
      'orphaned-identity',
      'over-privilege',
      'human-credential',
    ]) {
      expect(categories).toContain(category);
    }
  });

  it('raises a confused deputy on the agent that reads public issues and pushes code, not on the read-only one', () => {
    // Then the App claude, which reads issues of the public website repository and pushes code, alarms critical
    // (the logs show both), and the finding names the read path and the write path
    const deputies = report.findings.filter((f) => f.ruleId === 'agent-confused-deputy');
    const claude = deputies.find((f) => f.resource === 'github:github-app-installation:52100001');
    expect(claude?.severity).toBe('critical');
    expect(claude?.reason).toContain('reads issues and comments via issues:write on');
    expect(claude?.reason).toContain('northwind-robotics/website (public');
    expect(claude?.reason).toContain('pushes code via contents:write (used: 192 calls)');
    expect(claude?.evidence).toMatchObject({
      untrusted_reads: expect.arrayContaining([
        expect.objectContaining({ capability: 'github-reads-outsider-issues', used: true }),
      ]),
      consequential_writes: expect.arrayContaining([
        expect.objectContaining({ capability: 'github-pushes-code', used: true }),
      ]),
    });
    // And the support agent, which reads customer tickets and sends email, alarms critical too
    const support = deputies.find((f) => f.resource.endsWith(':role/agents/support-agent'));
    expect(support?.severity).toBe('critical');
    expect(support?.reason).toMatch(/northwind-support-tickets.*sends email/);
    // And the Slack app, which holds both halves but was not seen using them, is only medium
    expect(deputies.find((f) => f.resource === 'slack:app:A0CLAUDEAPP')?.severity).toBe('medium');
    // But the issue-triage agent, which reads the same public issues with read-only permissions, raises none
    expect(deputies.map((f) => f.resource)).not.toContain('github:github-app-installation:52100004');
  });

  it('scores every agent identity on the posture properties in summary.agents', () => {
    // Then every agent of the demo has a scorecard with all seven properties
    const agents = report.summary.agents;
    expect(agents.length).toBeGreaterThanOrEqual(10);
    expect(agents.map((a) => a.name)).toEqual(
      expect.arrayContaining(['support-agent', 'claude', 'github-actions-deploy']),
    );
    const ids = new Set(report.findings.map((f) => f.id));
    const statuses = new Set<string>();
    for (const agent of agents) {
      expect(Object.keys(agent.properties).sort()).toEqual([
        'distinct',
        'expiry',
        'observable',
        'owner',
        'purpose',
        'scoped',
        'shortLived',
      ]);
      for (const check of Object.values(agent.properties)) {
        statuses.add(check.status);
        expect(['pass', 'fail', 'unknown']).toContain(check.status);
        expect(check.reason.length).toBeGreaterThan(5);
        // A property that lists findings fails, and each finding is one of the report's
        if (check.findings.length > 0) expect(check.status).toBe('fail');
        for (const id of check.findings) expect(ids.has(id)).toBe(true);
      }
    }
    expect(statuses).toEqual(new Set(['pass', 'fail', 'unknown']));
    // And the shared deploy key fails distinct and scoped with the findings of the rules tagged so
    const deploy = agents.find((a) => a.name === 'github-actions-deploy')!;
    const ruleOf = new Map(report.findings.map((f) => [f.id, f.ruleId]));
    expect(deploy.properties.distinct!.findings.map((id) => ruleOf.get(id))).toContain(
      'aws-access-key-shared',
    );
    expect(deploy.properties.scoped!.findings.map((id) => ruleOf.get(id))).toContain(
      'aws-nhi-over-privileged',
    );
    // And the role's actions are in the CloudTrail read, while the Slack app's reach no log that was read
    const role = agents.find((a) => a.kind === 'iam-role' && a.name === 'support-agent')!;
    expect(role.properties.observable).toMatchObject({
      status: 'pass',
      reason: expect.stringMatching(/CloudTrail read/),
    });
    expect(role.properties.shortLived!.status).toBe('pass');
    const slack = agents.find((a) => a.provider === 'slack')!;
    expect(slack.properties.observable!.status).toBe('fail');
  });

  it('creates the cache readable by its owner only', () => {
    expect(fs.statSync(db).mode & 0o777).toBe(0o600);
  });

  it('gates CI: --fail-on critical exits 1 and --fail-on none exits 0', async () => {
    expect(
      (await runCliAsync(['scan', '--demo', '--format', 'json', '--db', db, '--fail-on', 'critical'], cwd))
        .status,
    ).toBe(1);
    expect(
      (await runCliAsync(['scan', '--demo', '--format', 'json', '--db', db, '--fail-on', 'none'], cwd))
        .status,
    ).toBe(0);
  });

  it('gives the same findings the same ids on a re-scan', async () => {
    const again = JSON.parse(
      (await runCliAsync(['scan', '--demo', '--format', 'json', '--db', db], cwd)).stdout,
    ) as JsonReport;
    expect(again.findings.map((f) => f.id).sort()).toEqual(report.findings.map((f) => f.id).sort());
  });

  it('renders the last scan again from the cache with `report`', async () => {
    const rendered = await runCliAsync(['report', '--format', 'json', '--db', db], cwd);
    expect(rendered.status).toBe(0);
    const cached = JSON.parse(rendered.stdout) as JsonReport;
    expect(cached.findings.map((f) => f.id).sort()).toEqual(report.findings.map((f) => f.id).sort());
    // And the posture scorecard is computed again from the cache, the same
    expect(cached.summary.agents).toEqual(report.summary.agents);
    const listed = await runCliAsync(['report', '--list', '--db', db], cwd);
    expect(listed.stdout).toMatch(/complete/);
  });

  it('stops quietly when the reader closes the pipe early (`report | head`)', async () => {
    // Given a JSON report (larger than a pipe's buffer) read through a shell pipe by a reader that stops at once
    const bin = JSON.stringify(path.join(ROOT, 'bin', 'agentaudit.js'));
    const script = `"${process.execPath}" ${bin} report --format json --db ${JSON.stringify(db)} | head -c 10 >/dev/null; echo "status=\${PIPESTATUS[0]}" >&2`;
    const child = spawn('bash', ['-c', script], { cwd, env: { ...process.env, CI: 'true' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    await new Promise((resolve) => child.on('close', resolve));
    // Then agentaudit exits 0 without a stack trace
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(stderr).toContain('status=0');
  });

  it('renders table, markdown and SARIF', async () => {
    const table = await runCliAsync(['report', '--db', db], cwd);
    expect(table.stdout).toMatch(/CRITICAL/i);
    // The table and Markdown reports show the agent posture scorecard, one row per agent
    expect(table.stdout).toContain(`AGENT POSTURE (${report.summary.agents.length} agents)`);
    expect(table.stdout).toMatch(
      /^agent +distinct {2}scoped {2}short-lived {2}observable {2}owner {2}purpose {2}expiry$/m,
    );
    expect(table.stdout).toMatch(/^github-actions-deploy \(aws iam-user\) +✗ 2 +✗ 4 /m);
    expect(table.stdout.includes('\u001b[')).toBe(false);
    const markdown = await runCliAsync(['report', '--format', 'markdown', '--db', db], cwd);
    expect(markdown.stdout).toMatch(/^#/m);
    expect(markdown.stdout).toContain(`### Agent posture (${report.summary.agents.length} agents)`);
    expect(markdown.stdout).toContain(
      '| Agent | distinct | scoped | short-lived | observable | owner | purpose | expiry |',
    );
    expect(markdown.stdout).toContain(
      '| github-actions-deploy <sub>aws iam-user</sub> | ✗ 2 | ✗ 4 | ✗ 2 | ✓ |',
    );
    const sarifFile = path.join(cwd, 'out', 'agentaudit.sarif');
    expect(
      (await runCliAsync(['report', '--format', 'sarif', '--output', sarifFile, '--db', db], cwd)).status,
    ).toBe(0);
    const sarif = JSON.parse(fs.readFileSync(sarifFile, 'utf8')) as {
      version: string;
      runs: { results: unknown[]; properties: { agents: unknown[] } }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.properties.agents).toEqual(report.summary.agents);
    expect(sarif.runs[0]!.results).toHaveLength(report.findings.length);
  });

  it('accepts the current findings with `baseline`, after which the gate passes', async () => {
    const baseline = path.join(cwd, 'baseline.json');
    expect((await runCliAsync(['baseline', '--output', baseline, '--db', db], cwd)).status).toBe(0);
    const gated = await runCliAsync(
      ['scan', '--demo', '--format', 'json', '--db', db, '--baseline', baseline, '--fail-on', 'low'],
      cwd,
    );
    expect(gated.status).toBe(0);
    const json = JSON.parse(gated.stdout) as JsonReport & { summary: { hidden: { baselined: number } } };
    expect(json.findings).toHaveLength(0);
    expect(json.summary.hidden.baselined).toBe(report.findings.length);
    // And a baselined finding fails no posture property: the scorecard lists no finding
    expect(
      json.summary.agents.flatMap((a) => Object.values(a.properties).flatMap((p) => p.findings)),
    ).toEqual([]);
    const deploy = json.summary.agents.find((a) => a.name === 'github-actions-deploy')!;
    expect(deploy.properties.scoped).toMatchObject({
      status: 'pass',
      reason: expect.stringMatching(/^accepted: /),
    });
  });
});

describe('agentaudit rules', () => {
  it('lists, shows and self-tests the catalogue', async () => {
    const cwd = tempDir();
    const list = await runCliAsync(['rules', 'list'], cwd);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/aws-access-key-shared\s+high\s+shared-credential/);
    const show = await runCliAsync(['rules', 'show', 'aws-root-access-key'], cwd);
    expect(show.stdout).toMatch(/OWASP-NHI/);
    expect(show.stdout).toMatch(/ {3}posture: short-lived {3}/);
    const selfTest = await runCliAsync(['rules', 'test'], cwd);
    expect(selfTest.status).toBe(0);
    expect(selfTest.stdout).toMatch(/^\d+ passed, 0 failed/m);
  });

  it('lists the capability catalogue, with a user folder’s additions, and names a bad catalogue file', async () => {
    // Given a rules folder of the user's whose capabilities/ adds a ticket queue and holds one broken file
    const cwd = tempDir();
    const mine = path.join(cwd, 'my-rules', 'capabilities');
    fs.mkdirSync(mine, { recursive: true });
    fs.writeFileSync(
      path.join(mine, 'queues.yaml'),
      'provider: aws\ncapabilities:\n  - id: acme-reads-zendesk-queue\n    kind: untrusted-read\n' +
        '    title: receives Zendesk ticket events\n    description: Zendesk posts every ticket here\n' +
        "    permissions: [sqs:ReceiveMessage]\n    resources: ['arn:aws:sqs:*:*:zendesk-events']\n",
    );
    fs.writeFileSync(path.join(mine, 'broken.yaml'), 'provider: aws\ncapabilities: []\n');
    // When the user lists the catalogue with their folder
    const listed = await runCliAsync(['rules', 'capabilities', '--rules', path.join(cwd, 'my-rules')], cwd);
    // Then the built-in capabilities and theirs are listed, the broken file is named, and the exit code says so
    expect(listed.stdout).toMatch(/^github-pushes-code +github +consequential-write +pushes code$/m);
    expect(listed.stdout).toMatch(
      /^acme-reads-zendesk-queue +aws +untrusted-read +receives Zendesk ticket events$/m,
    );
    expect(listed.stdout).toContain('sqs:ReceiveMessage on arn:aws:sqs:*:*:zendesk-events');
    expect(listed.stderr).toContain(`${path.join(mine, 'broken.yaml')}: field "capabilities"`);
    expect(listed.status).toBe(2);
    // And the JSON form is the catalogue itself
    const json = await runCliAsync(['rules', 'capabilities', '--format', 'json'], cwd);
    const capabilities = JSON.parse(json.stdout) as { id: string; kind: string; provider: string }[];
    expect(capabilities.find((c) => c.id === 'aws-passes-roles')).toMatchObject({
      kind: 'consequential-write',
      provider: 'aws',
    });
    expect(json.status).toBe(0);
  });
});
