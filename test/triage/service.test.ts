// The triage service over a real cache of the demo: findings linked to identities, suppressions in the cache and the baseline file, exports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBaseline } from '../../src/baseline/baseline.js';
import { demoAsOf, demoScanRequest } from '../../src/cli/demoEstate.js';
import { loadRules, BUILT_IN_RULES_DIR } from '../../src/rules/load.js';
import { loadReportInput } from '../../src/scan/reportData.js';
import { runScan } from '../../src/scan/service.js';
import { openDatabaseReadOnly } from '../../src/store/database.js';
import { listSuppressions } from '../../src/store/reads.js';
import { renderExport } from '../../src/triage/export.js';
import { latestScanJudgedAsOf, TriageSession } from '../../src/triage/service.js';

let dir: string;
let dbPath: string;
let scanId: number;
const demo = { asOf: demoAsOf() };
const NOW = new Date('2026-10-31T09:00:00Z');

beforeAll(async () => {
  // Given the demo estate scanned into a fresh cache
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-triage-'));
  dbPath = path.join(dir, 'cache.db');
  const outcome = await runScan(demoScanRequest(dbPath));
  scanId = outcome.scanId;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const session = (baselineFile: string | null) =>
  new TriageSession({ dbPath, baselineFile, user: 'ana', now: () => NOW });

describe('loading a scan for triage', () => {
  it('finds the demo scan by its date, and links every finding to the identity it is about', () => {
    expect(latestScanJudgedAsOf(dbPath, demo.asOf)).toBe(scanId);
    expect(latestScanJudgedAsOf(dbPath, '2001-01-01T00:00:00Z')).toBeNull();
    expect(latestScanJudgedAsOf(path.join(dir, 'missing.db'), demo.asOf)).toBeNull();
    const data = session(null).current();
    expect(data.scan.id).toBe(scanId);
    expect(data.findings.length).toBeGreaterThan(0);
    // Every demo finding names an identity of the scan (an ARN, or an ARN#slot for a key)
    const ids = new Set(data.identities.map((i) => i.id));
    for (const finding of data.findings) {
      expect(finding.identityId, finding.resource).not.toBeNull();
      expect(ids.has(finding.identityId!)).toBe(true);
      expect(finding.state).toBe('open');
    }
    // A key finding (`…:root#1`) belongs to the root user, whose credentials come along without secrets
    const rootKey = data.findings.find((f) => f.resource.endsWith(':root#1'))!;
    const root = data.identities.find((i) => i.id === rootKey.identityId)!;
    expect(root.kind).toBe('aws-root');
    expect(root.credentials.map((c) => c.id)).toContain(`aws:access-key:${rootKey.resource}`);
    expect(root.findingIds).toContain(rootKey.id);
  });

  it("reads the owner's status from the people directory", () => {
    const data = session(null).current();
    const departed = data.findings.find((f) => f.ruleId === 'identity-owner-departed')!;
    const identity = data.identities.find((i) => i.id === departed.identityId)!;
    expect(identity.owner).toBeTruthy();
    expect(identity.ownerStatus).toBe('departed');
  });
});

describe('suppressing and undoing', () => {
  it('keeps the suppression in the cache and the baseline file, and the report of the scan hides it', () => {
    const baselineFile = path.join(dir, 'baseline-a.json');
    const triage = session(baselineFile);
    const target = triage.current().findings.find((f) => f.severity === 'critical')!;
    // When the person suppresses it with a reason until the end of the year
    const { data, message } = triage.suppress(target.id, '  accepted by the CISO  ', '2026-12-31T00:00:00Z');
    // Then the triage shows it suppressed, with who and why
    const after = data.findings.find((f) => f.id === target.id)!;
    expect(after.state).toBe('suppressed');
    expect(after.acceptance).toMatchObject({
      reason: 'accepted by the CISO',
      expiresAt: '2026-12-31T00:00:00Z',
      createdBy: 'ana',
      createdAt: '2026-10-31T09:00:00Z',
    });
    expect(message).toContain(baselineFile);
    // And the baseline file accepts it with the reason and the expiry, for CI
    expect(readBaseline(baselineFile).findings).toEqual([
      {
        id: target.id,
        ruleId: target.ruleId,
        resource: target.resource,
        reason: 'accepted by the CISO',
        expiresAt: '2026-12-31T00:00:00Z',
      },
    ]);
    // And the cache holds it, so the next scan hides it, and this scan's report already does
    const db = openDatabaseReadOnly(dbPath);
    try {
      expect(listSuppressions(db).map((s) => s.fingerprint)).toContain(target.id);
      const report = loadReportInput(db, {
        scanId,
        baseline: null,
        rules: loadRules([BUILT_IN_RULES_DIR]).rules,
        color: false,
        tool: { version: 'test' },
      });
      expect(report.hidden.suppressed).toBe(1);
      expect(report.findings.map((f) => f.id)).not.toContain(target.id);
    } finally {
      db.close();
    }
    expect(triage.changes).toEqual({ suppressed: 1, unsuppressed: 0 });

    // When the person undoes it
    const undone = triage.unsuppress(target.id);
    // Then it is open again, gone from the cache and from the baseline file
    expect(undone.data.findings.find((f) => f.id === target.id)!.state).toBe('open');
    expect(undone.message).toContain('open again');
    expect(readBaseline(baselineFile).findings).toEqual([]);
    const db2 = openDatabaseReadOnly(dbPath);
    try {
      expect(listSuppressions(db2).map((s) => s.fingerprint)).not.toContain(target.id);
    } finally {
      db2.close();
    }
  });

  it('keeps a suppression in the cache only when no baseline file is configured, and says so', () => {
    const triage = session(null);
    const target = triage.current().findings.find((f) => f.severity === 'high')!;
    const { message, data } = triage.suppress(target.id, 'known', '2027-01-01T00:00:00Z');
    expect(message).toContain('cache only');
    expect(message).toContain('CI will not see it');
    expect(data.findings.find((f) => f.id === target.id)!.state).toBe('suppressed');
    triage.unsuppress(target.id);
  });

  it('shows a finding the baseline file accepts as baselined, and u removes the entry', () => {
    const baselineFile = path.join(dir, 'baseline-b.json');
    const target = session(null)
      .current()
      .findings.find((f) => f.severity === 'medium')!;
    fs.writeFileSync(
      baselineFile,
      JSON.stringify({
        version: 1,
        generatedAt: '2026-10-01T00:00:00Z',
        findings: [{ id: target.id, ruleId: target.ruleId, resource: target.resource, reason: 'legacy' }],
      }),
    );
    const triage = session(baselineFile);
    expect(triage.current().findings.find((f) => f.id === target.id)).toMatchObject({
      state: 'baselined',
      acceptance: { reason: 'legacy' },
    });
    const { data } = triage.unsuppress(target.id);
    expect(data.findings.find((f) => f.id === target.id)!.state).toBe('open');
    expect(readBaseline(baselineFile).findings).toEqual([]);
  });

  it('refuses a suppression without a reason', () => {
    const triage = session(null);
    expect(() => triage.suppress(triage.current().findings[0]!.id, '   ', '2027-01-01T00:00:00Z')).toThrow(
      'a suppression needs a reason',
    );
  });
});

describe('granted vs used', () => {
  it("shows the admin deploy user's grants as written against the actions its logs show", async () => {
    const triage = session(null);
    const admin = triage
      .current()
      .findings.find((f) => f.ruleId === 'aws-admin-equivalent-nhi' && f.severity === 'critical')!;
    const view = await triage.grantedVsUsed(admin.identityId!);
    expect(view.identity.id).toBe(admin.identityId);
    expect(view.grantsAsWritten.some((g) => g.permission === '*' && g.effect === 'allow')).toBe(true);
    expect(view.used.length).toBeGreaterThan(0);
    expect(view.granted).toBeGreaterThan(view.used.length);
    const policy = JSON.parse(view.policyJson) as { Statement: { Action: string[] }[] };
    const suggested = policy.Statement.flatMap((s) => s.Action).sort();
    expect(suggested).toEqual(view.used.map((u) => u.action).sort());
  });
});

describe('exports', () => {
  it('writes the findings as JSON and Markdown, private to the user', () => {
    const triage = session(null);
    const data = triage.current();
    const context = {
      scan: data.scan,
      filters: { floor: 'info' as const, provider: null, text: '' },
      exportedAt: 'now',
    };
    const json = JSON.parse(
      renderExport({ kind: 'findings', rows: data.findings, total: data.findings.length }, 'json', context),
    ) as { findings: { id: string; state: string }[]; shown: number };
    expect(json.shown).toBe(data.findings.length);
    expect(json.findings.map((f) => f.id)).toEqual(data.findings.map((f) => f.id));
    const markdown = renderExport(
      { kind: 'findings', rows: data.findings.slice(0, 2), total: 18 },
      'markdown',
      context,
    );
    expect(markdown).toContain(`2 of 18 findings shown`);
    const file = path.join(dir, 'out', 'findings.md');
    expect(triage.writeExport(file, markdown)).toBe(file);
    expect(fs.readFileSync(file, 'utf8')).toBe(markdown);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
