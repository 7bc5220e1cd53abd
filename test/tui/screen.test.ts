// The triage components and keys through Ink (ink-testing-library): a real cache of the demo, the real controller.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBaseline } from '../../src/baseline/baseline.js';
import { demoScanRequest } from '../../src/cli/demoEstate.js';
import { runScan } from '../../src/scan/service.js';
import { TriageSession } from '../../src/triage/service.js';
import { TriageScreen } from '../../src/tui/components/TriageScreen.js';
import { TriageController } from '../../src/tui/controller.js';
import { initialState } from '../../src/tui/state.js';
import { TriageApp } from '../../src/tui/TriageApp.js';
import { FAKE_SECRETS } from '../report/fixtures.js';
import { sampleData } from './data.js';

let dir: string;
let dbPath: string;

beforeAll(async () => {
  // Given the demo estate scanned into a fresh cache
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-tui-'));
  dbPath = path.join(dir, 'cache.db');
  await runScan(demoScanRequest(dbPath));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Polls the last frame until `predicate` holds (Ink renders asynchronously). */
async function frameWhere(
  app: ReturnType<typeof render>,
  predicate: (frame: string) => boolean,
): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const frame = stripVTControlCharacters(app.lastFrame() ?? '');
    if (predicate(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`the screen never matched; last frame:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Lines of a frame, with the selected one (marked ›). */
const selectedLine = (frame: string): string | undefined =>
  frame.split('\n').find((line) => line.startsWith('› '));

function expectFits(frame: string, columns: number, rows: number): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(rows - 1);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
}

function openDemo(baselineFile: string | null, size = { columns: 80, rows: 24 }) {
  const session = new TriageSession({ dbPath, baselineFile, user: 'tester' });
  const controller = new TriageController(session, initialState(session.current(), size));
  const app = render(createElement(TriageApp, { controller, color: false }));
  return { session, controller, app };
}

describe('the triage screen on the demo', () => {
  it('fits 80×24 with the counts in the header and the findings grouped by severity', async () => {
    const { app, session } = openDemo(null);
    const frame = await frameWhere(app, (f) => f.includes('CRITICAL'));
    const data = session.current();
    const critical = data.findings.filter((f) => f.severity === 'critical').length;
    expect(frame).toContain(`critical ${critical}`);
    expect(frame).toContain(`showing ${data.findings.length} of ${data.findings.length}`);
    expect(frame).toContain(`CRITICAL · ${critical} open`);
    expect(frame).toContain('? keys  q quit');
    expectFits(frame, 80, 24);
    app.unmount();
  });

  it('moves, filters, opens the details, and suppresses with a reason and an expiry', async () => {
    const baselineFile = path.join(dir, 'baseline.json');
    const { app, controller, session } = openDemo(baselineFile);
    const first = selectedLine(await frameWhere(app, (f) => f.includes('CRITICAL')));
    // When the user presses j
    app.stdin.write('j');
    // Then another finding is selected
    const second = selectedLine(await frameWhere(app, (f) => selectedLine(f) !== first));
    expect(second).toBeDefined();
    // When the user filters by "legacy"
    app.stdin.write('/');
    app.stdin.write('legacy');
    app.stdin.write('\r');
    const filtered = await frameWhere(app, (f) => f.includes('filter “legacy”') && !f.includes('/legacy█'));
    // Then the 117 demo findings narrow to the 7 of the IAM user legacy-backup, the one of the GitHub App
    // installation nwr-legacy-ci (matched by its identity's name, cut at 80 columns) and the 4 of the Okta token
    // legacy-hr-sync, legacy-backup's selected
    const data = session.current();
    expect(data.findings).toHaveLength(117);
    const legacy = data.findings.filter((f) => f.resource.includes('legacy-backup'));
    expect(legacy).toHaveLength(7);
    expect(filtered).toContain('showing 12 of 117');
    expect(filtered).toMatch(/identity-without-owner +52100003 +github-app-installation nwr-l/);
    expect(selectedLine(filtered)).toContain('legacy-backup');
    // When the user opens the details
    app.stdin.write('\r');
    const details = await frameWhere(app, (f) => f.includes('Reason') && f.includes('Remediation'));
    expect(details).toContain(legacy[0]!.ruleId);
    expect(details).toContain('fingerprint');
    // And scrolls down to the identity: owner, last use and credentials
    for (let i = 0; i < 40; i += 1) app.stdin.write('j');
    const identity = await frameWhere(app, (f) => f.includes('Credentials'));
    expect(identity).toContain('owner');
    expect(identity).toContain('last used');
    app.stdin.write('\u001b');
    await frameWhere(app, (f) => f.includes('q quit'));
    // When the user suppresses the selected finding with a reason and accepts the offered expiry
    app.stdin.write('x');
    await frameWhere(app, (f) => f.includes('Reason: █'));
    app.stdin.write('decommissioned in TICKET-9');
    await frameWhere(app, (f) => f.includes('Reason: decommissioned in TICKET-9█'));
    app.stdin.write('\r');
    await frameWhere(app, (f) => f.includes('Expires (YYYY-MM-DD): 2027-01-28█'));
    app.stdin.write('\r');
    // Then the row shows it suppressed until then, the header counts it, and the baseline file holds it
    const suppressed = await frameWhere(app, (f) => f.includes('1 suppressed'));
    expect(selectedLine(suppressed)).toContain('suppressed until 2027-01-28');
    await controller.idle();
    expect(readBaseline(baselineFile).findings).toMatchObject([
      { id: legacy[0]!.id, reason: 'decommissioned in TICKET-9', expiresAt: '2027-01-28T00:00:00Z' },
    ]);
    // When the user presses u
    app.stdin.write('u');
    // Then it is open again and out of the baseline file
    await frameWhere(app, (f) => f.includes('0 suppressed'));
    expect(readBaseline(baselineFile).findings).toEqual([]);
    app.unmount();
  });

  it('shows granted vs used for the identity as a diff with the suggested policy', async () => {
    const { app, controller } = openDemo(null);
    await frameWhere(app, (f) => f.includes('CRITICAL'));
    app.stdin.write('/');
    app.stdin.write('github-actions-deploy can do anything');
    app.stdin.write('\r');
    await frameWhere(app, (f) => f.includes('showing 1 of'));
    app.stdin.write('g');
    await controller.idle();
    const frame = await frameWhere(app, (f) => f.includes('--- granted now'));
    expect(frame).toContain('Granted vs used github-actions-deploy');
    expect(frame).toMatch(/- Allow \* on \* via arn:aws:iam::aws:policy\/AdministratorAccess/);
    expect(frame).toMatch(/\+ [a-z0-9-]+:[A-Za-z]+ +\d+×/);
    expectFits(frame, 80, 24);
    app.unmount();
  });

  it('lists the identities on Tab, with owners and last use', async () => {
    const { app, session } = openDemo(null);
    await frameWhere(app, (f) => f.includes('CRITICAL'));
    app.stdin.write('\t');
    const frame = await frameWhere(app, (f) => f.includes('[Identities]'));
    const identities = session.current().identities;
    expect(frame).toContain(`${identities.length} identities`);
    expect(frame).toMatch(/· \d+ owner departed/);
    expectFits(frame, 80, 24);
    app.unmount();
  });

  it('shows the agents’ posture scorecard on the third Tab, and the findings behind a failure on Enter', async () => {
    const { app, session } = openDemo(null);
    await frameWhere(app, (f) => f.includes('CRITICAL'));
    // When the user tabs to the agents
    app.stdin.write('\t');
    await frameWhere(app, (f) => f.includes('[Identities]'));
    app.stdin.write('\t');
    const frame = await frameWhere(app, (f) => f.includes('[Agents]'));
    const agents = session.current().agents;
    // Then the header counts the agents failing each property and the list has a column per property
    expect(frame).toMatch(new RegExp(`${agents.length} agents · failing: distinct \\d+ · scoped \\d+`));
    expect(frame).toMatch(/agent +kind +dist\. scope short obs\. +owner purp\. exp\.$/m);
    expect(frame).toMatch(/^› support-agent +anthropic ap… ✗ 1 +\? +✓/m);
    // When the user moves to the shared deploy user and opens it
    const index = agents.findIndex((a) => a.name === 'github-actions-deploy');
    app.stdin.write('j'.repeat(index));
    await frameWhere(app, (f) => selectedLine(f)?.includes('github-actions-deploy') === true);
    app.stdin.write('\r');
    const pane = await frameWhere(app, (f) => f.includes('Agent posture: github-actions-deploy'));
    // Then the failed scoped property lists the findings of the rules behind it
    expect(pane).toMatch(/✗ scoped +fail/);
    expect(pane).toContain('aws-nhi-over-privileged');
    expectFits(frame, 80, 24);
    expectFits(pane, 80, 24);
    app.unmount();
  });

  it('exports the view as filtered, as JSON, to a file named at the prompt', async () => {
    const { app, controller } = openDemo(null);
    await frameWhere(app, (f) => f.includes('CRITICAL'));
    // When the user raises the floor to high and exports as JSON to the offered file name (in a temp folder)
    app.stdin.write('sss');
    await frameWhere(app, (f) => f.includes('severity ≥ high'));
    app.stdin.write('e');
    await frameWhere(app, (f) => f.includes('(m) Markdown or (j) JSON'));
    app.stdin.write('j');
    await frameWhere(app, (f) => f.includes('Export to: agentaudit-findings.json█'));
    const file = path.join(dir, 'exports', 'high.json');
    app.stdin.write('\u0015');
    app.stdin.write(file);
    app.stdin.write('\r');
    await frameWhere(app, (f) => f.includes(`exported the findings view to ${file.slice(0, 30)}`));
    await controller.idle();
    // Then the file holds the critical and high findings only, with the filters that made it
    const exported = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      filters: { floor: string };
      findings: { severity: string }[];
      shown: number;
      total: number;
    };
    expect(exported.filters.floor).toBe('high');
    expect(new Set(exported.findings.map((f) => f.severity))).toEqual(new Set(['critical', 'high']));
    expect(exported.shown).toBe(exported.findings.length);
    expect(exported.total).toBeGreaterThan(exported.shown);
    app.unmount();
  });

  it('lists every key on ?', async () => {
    const { app } = openDemo(null);
    await frameWhere(app, (f) => f.includes('CRITICAL'));
    app.stdin.write('?');
    const frame = await frameWhere(app, (f) => f.includes('Keys'));
    for (const key of ['Enter', '/', 's', 'p', 'Tab', 'g', 'x', 'u', 'e', 'q']) {
      expect(frame).toMatch(new RegExp(`^ ${key.replace(/[/?]/g, '\\$&')} `, 'm'));
    }
    app.unmount();
  });

  it('follows a resize: the screen is redrawn to the new size', async () => {
    const { app, controller } = openDemo(null);
    await frameWhere(app, (f) => f.includes('CRITICAL'));
    controller.resize(60, 14);
    const frame = await frameWhere(app, (f) => f.split('\n').length <= 13 && f.includes('CRITICAL'));
    expectFits(frame, 60, 14);
    controller.resize(30, 8);
    const small = await frameWhere(app, (f) => f.includes('needs at'));
    expect(small.replace(/\s+/g, ' ')).toContain('needs at least 40×10');
    expectFits(small, 30, 8);
    app.unmount();
  });
});

describe('the screen as a function of its props', () => {
  it('draws no colour with color off (NO_COLOR), and colours severities with color on', () => {
    const level = chalk.level;
    chalk.level = 1;
    try {
      const state = initialState(sampleData(), { columns: 80, rows: 24 });
      const plain = render(createElement(TriageScreen, { state, color: false }));
      // eslint-disable-next-line no-control-regex -- looking for SGR colour codes is the point
      const colour = /\u001b\[(3[0-7]|9[0-7]|38;)/;
      expect(plain.lastFrame()).not.toMatch(colour);
      plain.unmount();
      const coloured = render(createElement(TriageScreen, { state, color: true }));
      expect(coloured.lastFrame()).toMatch(colour);
      coloured.unmount();
    } finally {
      chalk.level = level;
    }
  });

  it('masks a secret and neutralises escape sequences in text from the cache', () => {
    // Given a finding whose reason carries a token and a terminal escape (an old cache, a hostile tag)
    const data = sampleData();
    data.findings[0]!.reason = `token ${FAKE_SECRETS.githubToken} \u001b[2J in a tag`;
    const state = initialState(data, { columns: 120, rows: 24 });
    const app = render(createElement(TriageScreen, { state, color: false }));
    const frame = app.lastFrame() ?? '';
    expect(frame).not.toContain(FAKE_SECRETS.githubToken);
    expect(frame).toContain('ghp_[REDACTED…WXYZ]');
    expect(frame).not.toContain('\u001b[2J');
    app.unmount();
  });
});
