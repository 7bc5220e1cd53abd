// End to end on the bundled demo: `rightsize` on the built CLI for the support agent and the over-privileged deploy user.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, ROOT, runCliAsync, tempDir, type CliRun } from './cli.js';

afterAll(removeTempDirs);

interface JsonResult {
  granted: { count: number };
  used: { count: number; actions: { action: string }[] };
  usedNotGranted: string[];
  policy: { Statement: { Action: string[] }[] };
  unseenDataEvents: { category: string; actions: string[] }[];
}

let dir: string;
let db: string;
let viaMain: boolean;

/**
 * Runs `agentaudit rightsize ...args`: through bin/agentaudit.js once main.ts registers the command, until then
 * through a tiny program that registers only the built `rightsize` command, as main.ts will.
 */
async function rightsize(args: string[]): Promise<CliRun> {
  if (viaMain) return runCliAsync(['rightsize', ...args], dir);
  const script = path.join(dir, 'rightsize.mjs');
  const url = (file: string) => pathToFileURL(path.join(ROOT, file)).href;
  fs.writeFileSync(
    script,
    [
      `const { Command } = await import(${JSON.stringify(url('node_modules/commander/esm.mjs'))});`,
      `const { registerRightsize } = await import(${JSON.stringify(url('dist/cli/commands/rightsize.js'))});`,
      `let code = 0;`,
      `const program = new Command().exitOverride();`,
      `registerRightsize(program, (c) => { code = c; });`,
      `try { await program.parseAsync(process.argv); } catch (e) { process.stderr.write(String(e.message) + '\\n'); if (e.hint) process.stderr.write(e.hint + '\\n'); code = 2; }`,
      `process.exitCode = code;`,
    ].join('\n'),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, 'rightsize', ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = tempDir();
  db = path.join(dir, 'cache.db');
  const scan = await runCliAsync(['scan', '--demo', '--db', db, '--format', 'json'], dir);
  expect(fs.existsSync(db), scan.stderr).toBe(true);
  viaMain = /^\s+rightsize\b/m.test((await runCliAsync(['--help'], dir)).stdout);
});

describe('agentaudit rightsize on the demo', () => {
  it('right-sizes the support agent without iam:PassRole', async () => {
    // Given the demo scanned into a cache
    // When the support-agent role is right-sized as JSON
    const run = await rightsize(['support-agent', '--db', db, '--format', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as JsonResult;
    // Then iam:PassRole is granted but unused, bedrock:InvokeModel is used, and the policy drops PassRole
    expect(result.granted.count).toBeGreaterThan(result.used.count);
    expect(result.used.actions.map((a) => a.action)).toContain('bedrock:InvokeModel');
    const suggested = result.policy.Statement.flatMap((s) => s.Action);
    expect(suggested).toContain('bedrock:InvokeModel');
    expect(suggested).not.toContain('iam:PassRole');
    expect(result.unseenDataEvents.map((c) => c.category)).toContain('Lambda Invoke');
  });

  it('shows the deploy user with AdministratorAccess granted the whole catalogue and using a few dozen', async () => {
    // Given the demo's github-actions-deploy user, which holds AdministratorAccess
    // When it is right-sized as text and as JSON
    const text = await rightsize(['github-actions-deploy', '--db', db]);
    const json = JSON.parse(
      (await rightsize(['github-actions-deploy', '--db', db, '--format', 'json'])).stdout,
    ) as JsonResult;
    // Then the whole catalogue (> 15,000 actions) is granted and only a few dozen at most used
    expect(text.status, text.stderr).toBe(0);
    expect(json.granted.count).toBeGreaterThan(15_000);
    expect(json.used.count).toBeGreaterThan(0);
    expect(json.used.count).toBeLessThan(60);
    expect(text.stdout).toMatch(/granted \d+ actions, used \d+ \([\d.]+%\) over /);
    expect(text.stdout).toContain('"Version": "2012-10-17"');
  });

  it('refuses an unknown identity with candidates and exit code 2', async () => {
    // Given a name that only partly matches
    // When it is right-sized
    const run = await rightsize(['support', '--db', db]);
    // Then the command fails and suggests the full name
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('support-agent');
  });
});
