// Runs the built agentaudit CLI as a user would, in a temporary working folder, and captures what it prints.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'agentaudit.js');

/** What one run printed and returned. */
export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

const created: string[] = [];

/** A fresh temporary folder, removed by `removeTempDirs`. */
export function tempDir(prefix = 'agentaudit-e2e-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes the folders `tempDir` made (call from afterAll). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs `agentaudit ...args` in `cwd` with CI=true and no colour forced, without blocking the event loop: the worker
 * keeps talking to vitest, and a server living in the test process can answer the CLI.
 */
export function runCliAsync(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    return Promise.reject(
      new Error('dist/ is missing: the end-to-end tests run the built CLI (npm run build)'),
    );
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, CI: 'true', NO_COLOR: '', FORCE_COLOR: '0', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}
