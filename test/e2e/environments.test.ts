// End to end through the CLI: a CloudTrail key of a non-prod account assuming a prod role, and one secret in a prod and a non-prod .env file, raise credential-crosses-environments; prod-only keys do not.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runCliAsync, tempDir, type CliRun } from './cli.js';

afterAll(removeTempDirs);

const RULE = 'credential-crosses-environments';

/** A fake OpenAI project key in the format the detector knows, made here so no key-shaped literal sits in the source. */
function fakeOpenAiKey(tag: string, last4: string): string {
  const name = `envIso${tag}`.padEnd(17, 'K').slice(0, 17);
  return `sk-proj-FAKE${name}KeyNotRealXX${'x'.repeat(41)}T3BlbkFJFAKE${name}KeyNotRealYY${'y'.repeat(37)}${last4}`;
}

interface Report {
  findings: { ruleId: string; resource: string; severity: string; reason: string }[];
  rules: { ruleId: string; alarms: number; ok: number; skipped: number }[];
}

/** A CloudTrail AssumeRole record of an IAM user's access key, as the trail delivers it (the role in `resources`). */
function assumeRole(user: string, account: string, keyId: string, roleArn: string, second: number) {
  return {
    eventVersion: '1.10',
    userIdentity: {
      type: 'IAMUser',
      principalId: `AIDAEXAMPLE${second}`,
      arn: `arn:aws:iam::${account}:user/${user}`,
      accountId: account,
      accessKeyId: keyId,
      userName: user,
    },
    eventTime: `2026-05-30T10:00:${String(second).padStart(2, '0')}Z`,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.17.0',
    requestParameters: { roleArn, roleSessionName: `${user}-${second}` },
    resources: [{ accountId: roleArn.split(':')[4], type: 'AWS::IAM::Role', ARN: roleArn }],
    responseElements: null,
    requestID: `request-${second}`,
    eventID: `event-${second}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  };
}

describe('agentaudit scan --cloudtrail --config with environments', () => {
  let scan: CliRun;
  let report: Report;

  beforeAll(async () => {
    // Given the prod account's trail: a staging account's key and a prod key each assumed the prod deploy role,
    // and a config that says which account is which
    const cwd = tempDir();
    fs.mkdirSync(path.join(cwd, 'trail'));
    const role = 'arn:aws:iam::111122223333:role/deploy';
    fs.writeFileSync(
      path.join(cwd, 'trail', 'events.json'),
      JSON.stringify({
        Records: [
          assumeRole('deploy', '444455556666', 'AKIAEXAMPLESTG000001', role, 1),
          assumeRole('release', '111122223333', 'AKIAEXAMPLEPRD000001', role, 2),
        ],
      }),
    );
    const config = path.join(cwd, 'agentaudit.config.yaml');
    fs.writeFileSync(
      config,
      "environments:\n  accounts:\n    '111122223333': prod\n    '444455556666': nonprod\n",
    );
    // When the trail is scanned with the config
    scan = await runCliAsync(
      [
        'scan',
        '--cloudtrail',
        path.join(cwd, 'trail'),
        '--config',
        config,
        '--as-of',
        '2026-06-01T00:00:00Z',
        '--since',
        '2026-05-01',
        '--format',
        'json',
        '--db',
        path.join(cwd, 'audit.db'),
      ],
      cwd,
    );
    report = JSON.parse(scan.stdout) as Report;
  });

  it('raises the finding on the staging key that assumed the prod role, naming both accounts and why', () => {
    // Then exactly that key alarms, with both environments and their evidence
    expect(scan.status).toBe(0);
    const findings = report.findings.filter((f) => f.ruleId === RULE);
    expect(findings.map((f) => [f.resource, f.severity, f.reason])).toEqual([
      [
        'AKIAEXAMPLESTG000001',
        'high',
        'AKIAEXAMPLESTG000001 of deploy is in prod — AWS account 111122223333 (config environments.accounts) via ' +
          'AssumeRole arn:aws:iam::111122223333:role/deploy — and in non-prod — AWS account 444455556666 (config ' +
          'environments.accounts) via its own account',
      ],
    ]);
  });

  it('passes the prod key that assumed the same role', () => {
    // Then the prod key was checked and passed
    expect(report.rules.find((r) => r.ruleId === RULE)).toMatchObject({ alarms: 1, ok: 1, skipped: 0 });
  });
});

describe('agentaudit scan --local with environments', () => {
  const shared = fakeOpenAiKey('Shared', 'Q2x9');
  const prodOnly = fakeOpenAiKey('ProdOnly', 'Zr1a');
  const blueGreen = fakeOpenAiKey('BlueGreen', 'Bg01');
  let scan: CliRun;
  let report: Report;

  beforeAll(async () => {
    // Given one key in app/.env.production and app/.env.staging, another only in api/.env.production, a third in
    // blue/.env and green/.env, and a config that calls blue prod and green non-prod
    const cwd = tempDir();
    const home = path.join(cwd, 'work');
    const write = (relative: string, key: string): void => {
      fs.mkdirSync(path.dirname(path.join(home, relative)), { recursive: true });
      fs.writeFileSync(path.join(home, relative), `OPENAI_API_KEY=${key}\n`);
    };
    write('app/.env.production', shared);
    write('app/.env.staging', shared);
    write('api/.env.production', prodOnly);
    write('blue/.env', blueGreen);
    write('green/.env', blueGreen);
    const config = path.join(cwd, 'agentaudit.config.yaml');
    fs.writeFileSync(config, "environments:\n  prod: ['^blue/']\n  nonprod: ['^green/']\n");
    // When the folder is scanned with the config
    scan = await runCliAsync(
      ['scan', '--local', home, '--config', config, '--format', 'json', '--db', path.join(cwd, 'audit.db')],
      cwd,
    );
    report = JSON.parse(scan.stdout) as Report;
  });

  it('reports the key in prod and staging files, and the one the config places in both, naming both places', () => {
    // Then two findings: the key named by its redacted label, each reason naming the prod and the non-prod file
    expect(scan.status).toBe(0);
    const findings = report.findings.filter((f) => f.ruleId === RULE);
    expect(findings.map((f) => f.resource).sort()).toEqual([
      expect.stringMatching(/^openai sk-proj-\[REDACTED…Bg01\] \(sha256:[0-9a-f]{12}\)$/),
      expect.stringMatching(/^openai sk-proj-\[REDACTED…Q2x9\] \(sha256:[0-9a-f]{12}\)$/),
    ]);
    const byName = findings.find((f) => f.resource.includes('Q2x9'))!;
    expect(byName.severity).toBe('high');
    expect(byName.reason).toMatch(
      /is in prod — .*app\/\.env\.production on .* \("app\/\.env\.production" says production\) via the \.env file app\/\.env\.production — and in non-prod — .*app\/\.env\.staging on .* \("app\/\.env\.staging" says staging\)/,
    );
    const byConfig = findings.find((f) => f.resource.includes('Bg01'))!;
    expect(byConfig.reason).toContain('("blue/.env" matches environments.prod /^blue\\//)');
    expect(byConfig.reason).toContain('("green/.env" matches environments.nonprod /^green\\//)');
  });

  it('passes the prod-only key, and prints no secret value', () => {
    // Then the prod-only key is checked and passes
    expect(report.rules.find((r) => r.ruleId === RULE)).toMatchObject({ alarms: 2, ok: 1, skipped: 0 });
    expect(report.findings.some((f) => f.ruleId === RULE && f.resource.includes('Zr1a'))).toBe(false);
    // And no value reaches the output
    for (const key of [shared, prodOnly, blueGreen]) expect(scan.stdout + scan.stderr).not.toContain(key);
  });
});
