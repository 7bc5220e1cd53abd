// End to end in a real pseudo-terminal: a person triages the demo (move, filter, suppress with reasons), and CI honours it.
import fs from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { spawn, type IPty } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBaseline } from '../../src/baseline/baseline.js';
import { removeTempDirs, ROOT, runCliAsync, tempDir, type CliRun } from './cli.js';

afterAll(removeTempDirs);

const BIN = path.join(ROOT, 'bin', 'agentaudit.js');
const SEVERITY_RANK = ['critical', 'high', 'medium', 'low', 'info'];

interface JsonFinding {
  id: string;
  ruleId: string;
  severity: string;
  resource: string;
  reason: string;
  title: string;
}

/** The built CLI in a pseudo-terminal, with what it has drawn so far. */
class Terminal {
  private readonly pty: IPty;
  private raw = '';
  private mark = 0;
  readonly exited: Promise<number>;

  constructor(args: string[], cwd: string, size: { cols: number; rows: number }) {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && key !== 'CI' && key !== 'CONTINUOUS_INTEGRATION') env[key] = value;
    }
    this.pty = spawn(process.execPath, [BIN, ...args], {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      cwd,
      env: { ...env, TERM: 'xterm-256color', NO_COLOR: '1', FORCE_COLOR: '' },
    });
    this.pty.onData((data) => {
      this.raw += data;
    });
    this.exited = new Promise((resolve) => this.pty.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** Everything written, escape sequences included. */
  get output(): string {
    return this.raw;
  }

  /** Sends keys; what is drawn from now on is what `waitFor` looks at. */
  type(keys: string): void {
    this.mark = this.raw.length;
    this.pty.write(keys);
  }

  resize(cols: number, rows: number): void {
    this.mark = this.raw.length;
    this.pty.resize(cols, rows);
  }

  /** Waits until the text drawn since the last keys contains `expected` (escape sequences removed). */
  async waitFor(expected: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const drawn = stripVTControlCharacters(this.raw.slice(this.mark));
      if (drawn.includes(expected)) return drawn;
      if (Date.now() > deadline) {
        throw new Error(`"${expected}" never appeared; drawn since the last keys:\n${drawn.slice(-3000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }

  kill(): void {
    try {
      this.pty.kill();
    } catch {
      // already gone
    }
  }
}

describe('agentaudit triage in a terminal', () => {
  let cwd: string;
  let baselineFile: string;
  let critical: JsonFinding[];
  let all: JsonFinding[];
  let beforeTriage: CliRun;

  beforeAll(async () => {
    cwd = tempDir();
    baselineFile = path.join(cwd, 'agentaudit-baseline.json');
    // Given CI gating the demo on critical findings fails today
    beforeTriage = await runCliAsync(
      ['scan', '--demo', '--db', path.join(cwd, 'ci-before.db'), '--fail-on', 'critical', '--format', 'json'],
      cwd,
    );
    all = (JSON.parse(beforeTriage.stdout) as { findings: JsonFinding[] }).findings.sort(
      (a, b) =>
        SEVERITY_RANK.indexOf(a.severity) - SEVERITY_RANK.indexOf(b.severity) ||
        (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
        (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0),
    );
    critical = all.filter((f) => f.severity === 'critical');
  });

  it('says it needs a terminal when standard output is not one, and points to report', async () => {
    const piped = await runCliAsync(['triage', '--demo', '--db', path.join(cwd, 'piped.db')], cwd, {
      CI: '',
    });
    expect(piped.status).toBe(2);
    expect(piped.stderr).toContain('standard output is not a terminal');
    expect(piped.stderr).toContain('agentaudit report');
    expect(fs.existsSync(path.join(cwd, 'piped.db'))).toBe(false);
  });

  it('lets a person suppress the critical findings with reasons, and the CI gate then passes', async () => {
    expect(beforeTriage.status).toBe(1);
    // (the demo: 117 findings, 16 of them critical — 7 in the AWS account, 3 in the GitHub organization, 3 on
    // María's laptop, 1 in OpenAI and 2 agents that are confused deputies)
    expect(all).toHaveLength(117);
    expect(critical).toHaveLength(16);
    expect(critical.filter((f) => f.ruleId === 'agent-confused-deputy')).toHaveLength(2);
    expect(critical.filter((f) => f.ruleId.startsWith('github-'))).toHaveLength(3);
    expect(critical.filter((f) => f.ruleId.startsWith('local-'))).toHaveLength(3);
    const term = new Terminal(
      ['triage', '--demo', '--db', path.join(cwd, 'triage.db'), '--baseline', baselineFile],
      cwd,
      { cols: 80, rows: 24 },
    );
    try {
      // When the person opens triage on the demo (scanned into the cache first)
      const opened = await term.waitFor(`CRITICAL · ${critical.length} open`);
      expect(opened).toContain(`showing ${all.length} of ${all.length}`);
      expect(opened).not.toContain('s severity');
      // And the terminal grows: the screen follows (the wider status line has room for more keys)
      term.resize(100, 30);
      await term.waitFor('s severity');
      // And moves down one finding
      term.type('j');
      await term.waitFor(`› ${critical[1]!.ruleId.slice(0, 20)}`);
      // And filters by "root"
      term.type('/');
      await term.waitFor('/█');
      term.type('root');
      await term.waitFor('/root█');
      term.type('\r');
      const rooted = all.filter((f) =>
        [f.ruleId, f.title, f.resource, f.reason].join('\n').toLowerCase().includes('root'),
      );
      await term.waitFor(`showing ${rooted.length} of ${all.length}`);
      // And suppresses each root finding with a reason; the first with an expiry typed over the offered one
      for (const [index, finding] of rooted.entries()) {
        await suppress(term, `root key retired in INC-42 (${index + 1})`, index === 0 ? '2027-03-31' : null);
        await term.waitFor(`${index + 1} suppressed`);
        expect(finding.severity).toBe('critical');
        term.type('j');
        await term.waitFor('q quit');
      }
      // And clears the filter, raises the severity floor to critical, and suppresses the other critical findings
      term.type('\u001b');
      await term.waitFor('filter —');
      term.type('ssss');
      await term.waitFor(`showing ${critical.length} of ${all.length}`);
      // (the selection is still on the last root finding, the last critical one: Home goes to the first)
      term.type('\u001b[H');
      await term.waitFor(`› ${critical[0]!.ruleId.slice(0, 20)}`);
      let suppressed = rooted.length;
      for (const [index, finding] of critical.entries()) {
        if (index > 0) {
          term.type('j');
          await term.waitFor(`› ${finding.ruleId.slice(0, 20)}`);
        }
        if (rooted.some((r) => r.id === finding.id)) continue;
        await suppress(term, `accepted until the migration (${finding.ruleId})`, null);
        suppressed += 1;
        await term.waitFor(`${suppressed} suppressed`);
      }
      await term.waitFor(`critical 0 `);
      // And quits
      term.type('q');
      expect(await term.exited).toBe(0);
      expect(stripVTControlCharacters(term.output)).toContain(
        `triage of scan 1: ${critical.length} suppression(s) made`,
      );
      // NO_COLOR: nothing was coloured
      // eslint-disable-next-line no-control-regex -- looking for SGR colour codes is the point
      expect(term.output).not.toMatch(/\u001b\[(3[0-7]|9[0-7]|38;)[;\dm]/);
    } finally {
      term.kill();
    }

    // Then the baseline file accepts exactly the critical findings, each with its reason and expiry
    const baseline = readBaseline(baselineFile);
    expect(baseline.findings.map((f) => f.id).sort()).toEqual(critical.map((f) => f.id).sort());
    for (const entry of baseline.findings) {
      expect(entry.reason).toMatch(/^(root key retired in INC-42|accepted until the migration)/);
      expect(entry.expiresAt).toMatch(/^2027-0[13]-\d\dT00:00:00Z$/);
    }
    expect(baseline.findings.filter((f) => f.expiresAt === '2027-03-31T00:00:00Z')).toHaveLength(1);

    // And CI, on a fresh machine with only the baseline file, now passes the critical gate
    const [after, expired] = await Promise.all([
      runCliAsync(
        [
          'scan',
          '--demo',
          '--db',
          path.join(cwd, 'ci-after.db'),
          '--baseline',
          baselineFile,
          '--fail-on',
          'critical',
          '--format',
          'json',
        ],
        cwd,
      ),
      // (and once the suppressions expire, the gate fails again; the demo's GitHub recording holds usage for its own
      // window only, so a scan judged in 2027 is partial there, which --allow-partial accepts)
      runCliAsync(
        [
          'scan',
          '--demo',
          '--db',
          path.join(cwd, 'ci-expired.db'),
          '--baseline',
          baselineFile,
          '--fail-on',
          'critical',
          '--as-of',
          '2027-04-01',
          '--allow-partial',
          '--format',
          'json',
        ],
        cwd,
      ),
    ]);
    expect(after.status).toBe(0);
    const report = JSON.parse(after.stdout) as {
      summary: { bySeverity: Record<string, number>; hidden: { baselined: number } };
    };
    expect(report.summary.hidden.baselined).toBe(critical.length);
    expect(report.summary.bySeverity.critical).toBe(0);
    // (the high findings nobody accepted are still reported)
    expect(report.summary.bySeverity.high).toBe(all.filter((f) => f.severity === 'high').length);
    // And once the suppressions expire, the gate fails again on every critical finding
    expect(expired.status).toBe(1);
    const later = JSON.parse(expired.stdout) as {
      scan: { sources: { name: string; status: string; detail: string }[] };
      summary: { bySeverity: Record<string, number>; hidden: { baselined: number } };
    };
    expect(later.summary.hidden.baselined).toBe(0);
    // (11 of the 14: the shared deploy key, maria's agent-driven key and her console sign-ins that make the key in
    // her Claude Code config a person's rest on October's logs, outside a 2027 window)
    expect(later.summary.bySeverity.critical).toBe(11);
    // (and the recordings hold no usage for a 2027 window: the scan says it is partial, source by source)
    expect(later.scan.sources.filter((s) => s.status !== 'ok')).toEqual([
      {
        name: 'okta:northwind-robotics.okta.com',
        status: 'partial',
        detail: expect.stringMatching(
          /the snapshot holds no response for .*\/api\/v1\/logs\?since=2027-01-01/,
        ),
      },
      {
        name: 'anthropic',
        status: 'partial',
        detail: expect.stringMatching(/the snapshot holds no response for .*usage_report.*2027-04-01/),
      },
      {
        name: 'github:northwind-robotics',
        status: 'partial',
        detail: expect.stringMatching(/the snapshot holds no response for .*audit-log.*2027-04-01/),
      },
    ]);
  });
});

/** Presses x, types the reason, and accepts the offered expiry or types `expiry` over it. */
async function suppress(term: Terminal, reason: string, expiry: string | null): Promise<void> {
  term.type('x');
  await term.waitFor('Reason: █');
  term.type(reason);
  await term.waitFor(`Reason: ${reason}█`);
  term.type('\r');
  await term.waitFor('Expires (YYYY-MM-DD): 20');
  if (expiry) {
    term.type('\u0015');
    await term.waitFor('Expires (YYYY-MM-DD): █');
    term.type(expiry);
    await term.waitFor(`Expires (YYYY-MM-DD): ${expiry}█`);
  }
  term.type('\r');
  await term.waitFor('suppressed ');
}
