// End to end on the bundled demo: `agentaudit inventory` lists every identity with owner, age, last use and credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { removeTempDirs, runCliAsync, tempDir } from './cli.js';

interface InventoryJson {
  scan: { id: number; asOf: string; status: string };
  identities: {
    id: string;
    provider: string;
    kind: string;
    name: string;
    owner: string | null;
    ownerStatus: string | null;
    ageDays: number | null;
    isAgent: boolean;
    agentEvidence: string[];
    credentials: { kind: string; keyId: string | null }[];
    openFindings: number;
    posture: Record<string, { status: string; reason: string; findings: string[] }> | null;
  }[];
}

let dir: string;
let db: string;

beforeAll(async () => {
  // Given the demo estate scanned into a cache
  dir = tempDir();
  db = path.join(dir, 'cache.db');
  const scan = await runCliAsync(['scan', '--demo', '--db', db, '--format', 'json'], dir);
  expect(scan.status, scan.stderr).toBe(0);
});

afterAll(removeTempDirs);

const inventory = async (args: string[]) => {
  const run = await runCliAsync(['inventory', '--db', db, ...args], dir);
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
};

describe('agentaudit inventory on the demo', () => {
  it('lists the identities of every provider with their owners, most findings first', async () => {
    // When the inventory is listed as JSON
    const result = JSON.parse(await inventory(['--format', 'json'])) as InventoryJson;
    // Then every provider of the demo is there, and the identity with the most open findings comes first
    const providers = new Set(result.identities.map((i) => i.provider));
    expect(providers).toEqual(new Set(['aws', 'github', 'okta', 'openai', 'anthropic', 'slack', 'local']));
    const counts = result.identities.map((i) => i.openFindings);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // And a departed owner is shown as such
    const pipeline = result.identities.find((i) => i.name === 'data-pipeline')!;
    expect(pipeline).toMatchObject({ owner: 'tom.becker@northwind.example', ownerStatus: 'departed' });
    // And the deploy user's key is listed by key id or slot, never by a secret
    const deploy = result.identities.find((i) => i.name === 'github-actions-deploy')!;
    expect(deploy.credentials.map((c) => c.kind)).toEqual(['aws-access-key']);
    expect(deploy.ageDays).toBeGreaterThan(600);
  });

  it('filters by provider and kind, and to agents with their evidence', async () => {
    const keys = JSON.parse(
      await inventory(['--provider', 'github', '--kind', 'deploy-key', '--format', 'json']),
    ) as InventoryJson;
    expect(keys.identities.length).toBeGreaterThan(0);
    expect(keys.identities.every((i) => i.provider === 'github' && i.kind === 'deploy-key')).toBe(true);
    const agents = JSON.parse(await inventory(['--agents', '--format', 'json'])) as InventoryJson;
    expect(agents.identities.length).toBeGreaterThan(0);
    expect(agents.identities.every((i) => i.isAgent && i.agentEvidence.length > 0)).toBe(true);
    // And each agent carries its posture scorecard, the App's breadth and its confused deputy failing scoped with their findings
    expect(agents.identities.every((i) => i.posture !== null && Object.keys(i.posture).length === 7)).toBe(
      true,
    );
    const claude = agents.identities.find((i) => i.name === 'claude')!;
    expect(claude.posture!.scoped).toMatchObject({
      status: 'fail',
      findings: [expect.any(String), expect.any(String), expect.any(String)],
    });
    expect(claude.posture!.shortLived!.status).toBe('pass');
  });

  it('prints a table for people and CSV for spreadsheets', async () => {
    const table = await inventory([]);
    expect(table.split('\n')[0]).toMatch(/^agentaudit inventory {2}scan #1 {2}as of 2026-10-30/);
    expect(table).toMatch(/^provider +kind +name +owner +age +last used +expires +creds +findings$/m);
    expect(table).toMatch(/\d+ identities \(\d+ agents, \d+ non-human without an owner\), \d+ credentials/);
    // And the agents' posture scorecard follows, one row per agent
    expect(table).toMatch(/^Agent posture \(\d+ agents\)$/m);
    expect(table).toMatch(/^claude \(github github-app-installation\) +✓ +✗ 3 +✓ +✓ /m);
    const csv = (await inventory(['--format', 'csv'])).trim().split('\n');
    expect(csv[0]).toBe(
      'id,provider,kind,name,account,arn,owner,ownerSource,ownerStatus,purpose,createdAt,ageDays,lastUsedAt,expiresAt,isHuman,isAgent,openFindings,credentials,posture',
    );
    expect(csv.find((line) => line.includes('github-app-installation:'))).toMatch(
      /,distinct=pass scoped=fail short-lived=pass observable=pass owner=pass purpose=fail expiry=fail$/,
    );
    expect(csv.length).toBeGreaterThan(10);
  });

  it('refuses an unknown format with exit code 2', async () => {
    const run = await runCliAsync(['inventory', '--db', db, '--format', 'xml'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown --format xml');
  });
});
