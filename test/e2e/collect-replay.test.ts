// End to end: `collect` records an API tenant into a snapshot folder, `scan --from` replays it with the network gone.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFixtureServer } from '../connectors/fixtureServer.js';
import { ROOT, removeTempDirs, runCli, runCliAsync, tempDir } from './cli.js';

afterAll(removeTempDirs);

const TOKEN = ['00', 'collect', 'fixture', 'token'].join('-');

interface Report {
  scan: { asOf: string; status: string; sources: { name: string; status: string }[] };
  findings: { ruleId: string; resource: string }[];
}

const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    );

describe('agentaudit collect, then scan --from', () => {
  it('replays an Okta org offline to the same findings, and the snapshot holds no credential', async () => {
    // Given Northwind's Okta org behind a local server
    const server = await startFixtureServer(path.join(ROOT, 'fixtures', 'saas', 'okta', 'tenant.json'));
    const cwd = tempDir();
    const snapshot = path.join(cwd, 'snapshot');
    let live: Report;
    try {
      // When it is collected as of a fixed date, and scanned live for comparison
      const collected = await runCliAsync(
        ['collect', '--okta', server.base, '--as-of', '2026-10-30T12:00:00Z', '--output', snapshot],
        cwd,
        { OKTA_API_TOKEN: TOKEN },
      );
      // Then collect says which endpoint it could not read and exits 3 (partial)
      expect(collected.status).toBe(3);
      expect(collected.stdout).toMatch(/^partial\s+okta:127\.0\.0\.1:\d+: .*\/roles/m);
      const scanned = await runCliAsync(
        [
          'scan',
          '--okta',
          server.base,
          '--as-of',
          '2026-10-30T12:00:00Z',
          '--format',
          'json',
          '--db',
          path.join(cwd, 'live.db'),
          '--allow-partial',
        ],
        cwd,
        { OKTA_API_TOKEN: TOKEN },
      );
      live = JSON.parse(scanned.stdout) as Report;
    } finally {
      await server.close();
    }
    // And with the server gone and no token, the snapshot replays to the same findings, judged as of its date
    const replay = runCli(
      ['scan', '--from', snapshot, '--format', 'json', '--db', path.join(cwd, 'replay.db')],
      cwd,
      {
        OKTA_API_TOKEN: '',
      },
    );
    expect(replay.stderr).toBe('');
    const replayed = JSON.parse(replay.stdout) as Report;
    expect(replayed.scan.asOf).toBe('2026-10-30T12:00:00Z');
    const ids = (report: Report) =>
      report.findings.map((finding) => `${finding.ruleId} ${finding.resource}`).sort();
    expect(ids(replayed)).toEqual(ids(live));
    expect(ids(replayed)).toContain(
      `saas-service-app-admin-scopes okta://${new URL(server.base).host}/apps/0oa1provbotnwrd01d7`,
    );
    // And the 403 it met is still reported: a replay of a partial collection is partial
    expect(replayed.scan.status).toBe('partial');
    // And no file of the snapshot holds the token or an auth header, and each is private to its owner
    const snapshotFiles = files(snapshot);
    expect(snapshotFiles.length).toBeGreaterThan(10);
    for (const file of snapshotFiles) {
      const text = fs.readFileSync(file, 'utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('SSWS');
      expect(text.toLowerCase()).not.toContain('"authorization":');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    }
  }, 60_000);

  it('refuses to collect file sources, which are snapshots already', () => {
    const cwd = tempDir();
    const run = runCli(['collect', '--aws-authz', 'authz.json', '--output', path.join(cwd, 's')], cwd);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown option '--aws-authz'");
  });
});
