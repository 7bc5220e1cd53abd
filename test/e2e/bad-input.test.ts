// End to end on broken input: every bad file is named, the rest is still scanned, and the exit code says "partial".
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, removeTempDirs, runCliAsync, tempDir, type CliRun } from './cli.js';

afterAll(removeTempDirs);

const DEMO = path.join(ROOT, 'fixtures', 'demo');

function firstDemoTrailFile(): string {
  const stack = [path.join(DEMO, 'cloudtrail')];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'CloudTrail-Digest') stack.push(full);
      else if (entry.name.endsWith('.json.gz')) return full;
    }
  }
  throw new Error('the demo has no CloudTrail file');
}

describe('a scan over broken input', () => {
  let cwd: string;
  let args: string[];
  let run: CliRun;
  let report: {
    scan: {
      status: string;
      sources: { name: string; status: string; detail: string }[];
      coverage: { cloudtrail: { events: number; errors: { file: string; message: string }[] } };
    };
    findings: unknown[];
  };

  beforeAll(async () => {
    // Given a CloudTrail folder with one good file, one truncated .json.gz and one invalid .json,
    // and a rules folder whose only rule has a typo in a field name
    cwd = tempDir();
    const trail = path.join(cwd, 'trail');
    fs.mkdirSync(trail);
    const good = fs.readFileSync(firstDemoTrailFile());
    fs.writeFileSync(path.join(trail, 'good.json.gz'), good);
    const whole = zlib.gzipSync(zlib.gunzipSync(good));
    fs.writeFileSync(path.join(trail, 'truncated.json.gz'), whole.subarray(0, Math.floor(whole.length / 2)));
    fs.writeFileSync(path.join(trail, 'invalid.json'), '{"Records": [{"eventID": "x", "eventSource": ');
    const rules = path.join(cwd, 'my-rules');
    fs.mkdirSync(rules);
    const builtIn = fs.readFileSync(path.join(ROOT, 'rules', 'aws-root-access-key.yaml'), 'utf8');
    fs.writeFileSync(
      path.join(rules, 'my-root-rule.yaml'),
      builtIn
        .replace('id: aws-root-access-key', 'id: my-root-rule')
        .replace('severity: critical', 'severty: critical'),
    );
    args = [
      'scan',
      '--aws-authz',
      path.join(DEMO, 'aws', 'authorization-details.json'),
      '--aws-credential-report',
      path.join(DEMO, 'aws', 'credential-report.csv'),
      '--cloudtrail',
      trail,
      '--rules',
      rules,
      '--as-of',
      '2026-10-30',
      '--format',
      'json',
      '--db',
      path.join(cwd, 'audit.db'),
    ];
    // When the user scans
    run = await runCliAsync(args, cwd);
    report = JSON.parse(run.stdout) as typeof report;
  });

  it('exits 3 because the scan is partial', () => {
    expect(run.status).toBe(3);
    expect(report.scan.status).toBe('partial');
  });

  it('names the truncated gzip and the invalid JSON file', () => {
    const errors = report.scan.coverage.cloudtrail.errors;
    expect(errors.map((error) => path.basename(error.file)).sort()).toEqual([
      'invalid.json',
      'truncated.json.gz',
    ]);
    for (const error of errors) expect(error.message.length).toBeGreaterThan(5);
  });

  it('names the rule file with the typo and the field', () => {
    const rules = report.scan.sources.find((source) => source.name === 'rules')!;
    expect(rules.status).toBe('partial');
    expect(rules.detail).toContain('my-root-rule.yaml');
    expect(rules.detail).toContain('severty');
  });

  it('still processes the rest: the good file, the exports and the built-in rules', () => {
    expect(report.scan.coverage.cloudtrail.events).toBeGreaterThan(0);
    expect(report.scan.sources.find((source) => source.name === 'aws-exports')?.status).toBe('ok');
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it('exits 0 with --allow-partial when nothing crosses --fail-on', async () => {
    expect((await runCliAsync([...args, '--allow-partial', '--fail-on', 'none'], cwd)).status).toBe(0);
  });
});

describe('usage errors', () => {
  it('exit 2 with a clear message: nothing to scan, unknown flag, bad --fail-on, missing config', async () => {
    const cwd = tempDir();
    const nothing = await runCliAsync(['scan'], cwd);
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to scan/);
    expect((await runCliAsync(['scan', '--demo', '--bogus'], cwd)).status).toBe(2);
    const failOn = await runCliAsync(
      ['scan', '--demo', '--fail-on', 'severe', '--db', path.join(cwd, 'a.db')],
      cwd,
    );
    expect(failOn.status).toBe(2);
    expect(failOn.stderr).toMatch(/--fail-on severe/);
    const config = await runCliAsync(['scan', '--demo', '--config', 'nope.yaml'], cwd);
    expect(config.status).toBe(2);
    expect(config.stderr).toMatch(/nope\.yaml/);
  });

  it('refuses a cache written by a newer agentaudit, and leaves it untouched', async () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'future.db');
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    const run = await runCliAsync(['scan', '--demo', '--db', file], cwd);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/newer agentaudit/);
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(999);
    after.close();
  });
});
