// End to end: `scan --local DIR --config FILE` reports one secret in a prod and a non-prod .env file, by name and by the config's patterns, never a prod-only one.
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
