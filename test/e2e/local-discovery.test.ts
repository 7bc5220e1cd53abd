// End to end: `scan --local fixtures/agent-home --demo` finds the shared, unmanaged and human keys agents hold on disk,
// and no planted secret reaches any output format, the cache, or a snapshot.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedSecrets } from './plantedSecrets.js';
import { ROOT, removeTempDirs, runCli, tempDir } from './cli.js';

afterAll(removeTempDirs);

const HOME = path.join(ROOT, 'fixtures', 'agent-home');

interface Report {
  scan: { status: string; sources: { name: string; status: string; detail: string }[] };
  findings: {
    ruleId: string;
    resource: string;
    severity: string;
    reason: string;
    evidence: Record<string, unknown>;
  }[];
}

describe('agentaudit scan --local fixtures/agent-home --demo', () => {
  let cwd: string;
  let db: string;
  let scan: ReturnType<typeof runCli>;
  let report: Report;
  const planted = plantedSecrets(HOME);

  beforeAll(() => {
    // Given the demo estate and María's laptop with keys in her agents' configs
    cwd = tempDir();
    db = path.join(cwd, 'audit.db');
    // When she scans both
    scan = runCli(['scan', '--local', HOME, '--demo', '--format', 'json', '--db', db], cwd);
    report = JSON.parse(scan.stdout) as Report;
  });

  it('reads every source completely', () => {
    expect(scan.status).toBe(0);
    expect(report.scan.status).toBe('complete');
    expect(report.scan.sources.filter((source) => source.name.startsWith('local:'))).toEqual([
      { name: expect.stringMatching(/^local:/), status: 'ok', detail: expect.stringContaining('11 secrets') },
    ]);
  });

  it('reports the deploy key shared by Claude Desktop and Cursor, critical since two agents hold it', () => {
    const shared = report.findings.find(
      (finding) => finding.ruleId === 'local-secret-shared' && finding.resource === 'AKIANWRDDEPLOYKEY001',
    )!;
    expect(shared.severity).toBe('critical');
    expect(shared.reason).toContain('Claude Desktop');
    expect(shared.reason).toContain('Cursor');
    expect(shared.reason).toContain('github-actions-deploy');
  });

  it("reports María's own key in a Claude Code MCP server", () => {
    const human = report.findings.find((finding) => finding.ruleId === 'local-secret-human-identity')!;
    expect(human).toMatchObject({ resource: 'AKIANWRDMARIAGKEY002', severity: 'critical' });
    expect(human.reason).toContain('maria.gonzalez');
  });

  it('reports the key no identity of the AWS account has', () => {
    const unmanaged = report.findings.filter((finding) => finding.ruleId === 'local-secret-unmanaged');
    expect(unmanaged.map((finding) => finding.resource)).toEqual(['AKIANWRDORPHANKEY099']);
  });

  it('reports plaintext secrets, and passes the session credentials in CI', () => {
    const plaintext = report.findings.filter((finding) => finding.ruleId === 'local-secret-in-plaintext');
    expect(plaintext.length).toBeGreaterThanOrEqual(9);
    expect(plaintext.some((finding) => finding.resource.includes('ASIANWRDSESSIONKEY07'))).toBe(false);
  });

  it('keeps every planted secret out of every output format and the cache', () => {
    expect(planted.length).toBeGreaterThanOrEqual(9);
    const outputs = [scan.stdout, scan.stderr];
    for (const format of ['json', 'table', 'markdown', 'sarif']) {
      const out = runCli(['report', '--format', format, '--db', db], cwd);
      expect(out.status).toBe(0);
      outputs.push(out.stdout, out.stderr);
    }
    for (const file of [db, `${db}-wal`])
      if (fs.existsSync(file)) outputs.push(fs.readFileSync(file).toString('latin1'));
    for (const text of outputs) {
      for (const secret of planted) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(secret.slice(0, 20));
      }
    }
    // and the hints did reach the report, so the check looked where a secret would show
    expect(outputs[0]).toContain('…p9AA');
  });

  it('records the discovery as fingerprints in a snapshot and replays it with --from to the same findings', () => {
    const snapshot = path.join(cwd, 'snapshot');
    const collected = runCli(['collect', '--local', HOME, '--output', snapshot], cwd);
    expect(collected.status).toBe(0);
    expect(collected.stdout).toMatch(/^ok\s+local:/m);
    const files = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((entry) =>
          entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
        );
    for (const full of files(snapshot)) {
      expect(fs.statSync(full).mode & 0o777).toBe(0o600);
      const text = fs.readFileSync(full, 'utf8');
      for (const secret of planted) expect(text).not.toContain(secret);
    }
    const replay = runCli(
      ['scan', '--from', snapshot, '--demo', '--format', 'json', '--db', path.join(cwd, 'replay.db')],
      cwd,
    );
    expect(replay.status).toBe(0);
    const replayed = JSON.parse(replay.stdout) as Report;
    const local = (r: Report) =>
      r.findings
        .filter((finding) => finding.ruleId.startsWith('local-'))
        .map((finding) => `${finding.ruleId} ${finding.resource}`)
        .sort();
    expect(local(replayed)).toEqual(local(report));
  });

  it('looks in the usual places under the home folder when --local has no path', () => {
    // Given the fixture as the user's home folder
    const run = runCli(
      ['scan', '--local', '--demo', '--format', 'json', '--db', path.join(cwd, 'home.db')],
      cwd,
      {
        HOME,
        USERPROFILE: HOME,
      },
    );
    expect(run.status).toBe(0);
    const found = JSON.parse(run.stdout) as Report;
    // Then the agents' own configs were read: the shared deploy key is there, the project's compose file is not
    expect(
      found.findings.some(
        (finding) => finding.ruleId === 'local-secret-shared' && finding.resource === 'AKIANWRDDEPLOYKEY001',
      ),
    ).toBe(true);
    expect(found.findings.some((finding) => finding.resource.includes('docker-compose.yml'))).toBe(false);
    expect(found.findings.some((finding) => finding.resource.startsWith('~/.cursor/mcp.json#aws'))).toBe(
      true,
    );
  });
});
