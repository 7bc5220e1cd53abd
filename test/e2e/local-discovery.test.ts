// End to end: `scan --local fixtures/agent-home --demo` finds the shared, unmanaged and human keys agents hold on disk,
// and no planted secret reaches any output format, the cache, or a snapshot.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedSecrets } from './plantedSecrets.js';
import { ROOT, removeTempDirs, runCliAsync, tempDir, type CliRun } from './cli.js';

afterAll(removeTempDirs);

const HOME = path.join(ROOT, 'fixtures', 'agent-home');

/** Every file under `dir`, at any depth. */
const filesUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    );

interface Report {
  scan: { status: string; sources: { name: string; status: string; detail: string }[] };
  findings: {
    ruleId: string;
    resource: string;
    severity: string;
    reason: string;
    evidence: Record<string, unknown>;
  }[];
  rules: { ruleId: string; alarms: number; ok: number; skipped: number }[];
}

describe('agentaudit scan --local fixtures/agent-home --demo', () => {
  let cwd: string;
  let db: string;
  let scan: CliRun;
  let report: Report;
  const planted = plantedSecrets(HOME);

  beforeAll(async () => {
    // Given the demo estate and María's laptop with keys in her agents' configs
    cwd = tempDir();
    db = path.join(cwd, 'audit.db');
    // When she scans both
    scan = await runCliAsync(['scan', '--local', HOME, '--demo', '--format', 'json', '--db', db], cwd);
    report = JSON.parse(scan.stdout) as Report;
  });

  it('reads every source completely, this laptop instead of the one recorded in the demo', () => {
    expect(scan.status).toBe(0);
    expect(report.scan.status).toBe('complete');
    expect(report.scan.sources.filter((source) => source.name.startsWith('local:'))).toEqual([
      { name: expect.stringMatching(/^local:/), status: 'ok', detail: expect.stringContaining('11 secrets') },
    ]);
    expect(report.scan.sources.map((source) => source.name)).not.toContain('local:maria-mbp');
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

  it("reports María's own credentials in her agents' MCP servers: her AWS key and her GitHub classic PAT", () => {
    const human = report.findings.filter((finding) => finding.ruleId === 'local-secret-human-identity');
    expect(human.map((finding) => [finding.resource, finding.severity])).toEqual([
      ['AKIANWRDMARIAGKEY002', 'critical'],
      [expect.stringMatching(/^github ghp_…e0b7 \(sha256:[0-9a-f]{12}\)$/), 'critical'],
      // and the OpenAI key in a project's .env, her own (not an agent's config: high)
      [expect.stringMatching(/^openai sk-proj-\[REDACTED…fLt7\] \(sha256:[0-9a-f]{12}\)$/), 'high'],
    ]);
    // her IAM user signs in to the console (Claude Code's MCP server holds its key)
    expect(human[0]!.reason).toContain('maria.gonzalez signs in as a person');
    expect(human[0]!.reason).toContain('Claude Code');
    // the token in Claude Desktop ends like the classic PAT she authorized for the organization's SSO
    expect(human[1]!.evidence).toMatchObject({
      identity: 'github:classic-pat:northwind-robotics/161195001',
      owner: 'maria-gonzalez',
      matched_by: 'key-hint',
    });
    expect(human[1]!.reason).toBe(
      'maria-gonzalez/terraform-local acts with its owner maria-gonzalez\'s own permissions, and MCP server "github" in the Claude Desktop config holds it',
    );
  });

  it('reports the one key no identity of the estate has, and links the GitHub token to the organization', () => {
    const unmanaged = report.findings.filter((finding) => finding.ruleId === 'local-secret-unmanaged');
    expect(unmanaged.map((finding) => finding.resource)).toEqual(['AKIANWRDORPHANKEY099']);
    // (the other AWS keys, the GitHub token and the OpenAI and Anthropic keys are linked to the demo's inventories;
    // the session credentials and the Slack bot token are skipped: Slack's inventory keeps no fingerprint or hint of
    // a bot token to match it against)
    expect(report.rules.find((rule) => rule.ruleId === 'local-secret-unmanaged')).toMatchObject({
      alarms: 1,
      ok: 6,
      skipped: 2,
    });
  });

  it('reports plaintext secrets, and passes the session credentials in CI', () => {
    const plaintext = report.findings.filter((finding) => finding.ruleId === 'local-secret-in-plaintext');
    expect(plaintext.length).toBeGreaterThanOrEqual(9);
    expect(plaintext.some((finding) => finding.resource.includes('ASIANWRDSESSIONKEY07'))).toBe(false);
  });

  it('keeps every planted secret out of every output format and the cache', async () => {
    expect(planted.length).toBeGreaterThanOrEqual(9);
    const outputs = [scan.stdout, scan.stderr];
    for (const format of ['json', 'table', 'markdown', 'sarif']) {
      const out = await runCliAsync(['report', '--format', format, '--db', db], cwd);
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

  it('records the discovery as fingerprints in a snapshot and replays it with --from to the same findings', async () => {
    const snapshot = path.join(cwd, 'snapshot');
    const collected = await runCliAsync(['collect', '--local', HOME, '--output', snapshot], cwd);
    expect(collected.status).toBe(0);
    expect(collected.stdout).toMatch(/^ok\s+local:/m);
    for (const full of filesUnder(snapshot)) {
      expect(fs.statSync(full).mode & 0o777).toBe(0o600);
      const text = fs.readFileSync(full, 'utf8');
      for (const secret of planted) expect(text).not.toContain(secret);
    }
    const replay = await runCliAsync(
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

  it("keeps every planted secret out of the demo's own recording of the laptop", () => {
    // Given the snapshot folder the demo replays (recorded from this fixture by scripts/demo-saas.js)
    const recorded = path.join(ROOT, 'fixtures', 'demo', 'saas-laptop');
    const texts = filesUnder(recorded).map((file) => fs.readFileSync(file, 'utf8'));
    // Then it holds the laptop's findings as fingerprints and hints, and no secret value
    expect(texts.some((text) => text.includes('"host": "maria-mbp"'))).toBe(true);
    for (const text of texts) for (const secret of planted) expect(text).not.toContain(secret);
  });

  it('looks in the usual places under the home folder when --local has no path', async () => {
    // Given the fixture as the user's home folder
    const run = await runCliAsync(
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
