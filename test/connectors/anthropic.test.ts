// The Anthropic connector against a local server answering in the Admin API's shapes: keys, usage report, refusals.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicSource } from '../../src/connectors/anthropic/source.js';
import { localSource } from '../../src/connectors/local/source.js';
import { ROOT } from '../e2e/cli.js';
import { startFixtureServer, type FixtureServer } from './fixtureServer.js';
import { plan, scanWith, type ScannedEstate } from './scanWith.js';

const ADMIN_KEY = ['sk', 'ant', 'admin01', 'fixture-only'].join('-');
let server: FixtureServer;
let estate: ScannedEstate;

beforeAll(async () => {
  // Given Northwind's Anthropic organization (keys over two pages, a usage report over two pages behind a 429, and a
  // service account listing that refuses Admin API keys) and María's laptop, whose configs hold an Anthropic key
  server = await startFixtureServer(path.join(ROOT, 'fixtures', 'saas', 'anthropic', 'tenant.json'));
  const env = { ANTHROPIC_ADMIN_KEY: ADMIN_KEY, ANTHROPIC_BASE_URL: server.base };
  // When both are scanned
  estate = await scanWith([
    plan(anthropicSource, { anthropic: true }, env),
    plan(localSource, { local: [path.join(ROOT, 'fixtures', 'agent-home')] }, {}),
  ]);
}, 30_000);
afterAll(() => server.close());

describe('Anthropic connector', () => {
  it('pages through keys with has_more/last_id and sends the admin key headers', () => {
    const keys = estate.rows<{ id: string; status: string; hint: string }>(
      "SELECT id, status, hint FROM credentials WHERE scan_id = :scan AND id LIKE 'anthropic:%' ORDER BY id",
    );
    expect(keys).toEqual([
      { id: 'anthropic:api-key:apikey_01SupportAgent', status: 'active', hint: 'p9AA' },
      { id: 'anthropic:api-key:apikey_02CiNightly', status: 'active', hint: 'n1Gt' },
      { id: 'anthropic:api-key:apikey_03Eval2025', status: 'revoked', hint: '3vAl' },
    ]);
    expect(server.seen.some((request) => request.query.get('after_id') === 'apikey_02CiNightly')).toBe(true);
    expect(server.seen.every((request) => request.headers['x-api-key'] === ADMIN_KEY)).toBe(true);
    expect(server.seen.every((request) => request.headers['anthropic-version'] === '2023-06-01')).toBe(true);
  });

  it('reads use per key from the usage report, across its next_page after a 429', () => {
    const usage = estate.rows<{ credential_id: string; resource: string; count: number; last_seen: string }>(
      "SELECT credential_id, resource, count, last_seen FROM usage WHERE scan_id = :scan AND event_source = 'api.anthropic.com' ORDER BY resource",
    );
    expect(usage).toEqual([
      {
        credential_id: 'anthropic:api-key:apikey_01SupportAgent',
        resource: 'claude-haiku-4-5-20251001',
        count: 1,
        last_seen: '2026-10-30T00:00:00Z',
      },
      {
        credential_id: 'anthropic:api-key:apikey_01SupportAgent',
        resource: 'claude-sonnet-4-5-20250929',
        count: 2,
        last_seen: '2026-10-30T00:00:00Z',
      },
    ]);
    const report = server.seen.filter((request) => request.path.endsWith('/usage_report/messages'));
    expect(report.map((request) => request.status)).toEqual([429, 200, 200]);
    expect(report[1]!.query.getAll('group_by[]')).toEqual(['api_key_id', 'model']);
  });

  it('records the refused service account listing as partial coverage', () => {
    const source = estate.scan.sources.find((candidate) => candidate.name === 'anthropic')!;
    expect(source.status).toBe('partial');
    expect(source.detail).toContain('/v1/organizations/service_accounts');
    expect(source.detail).toContain('403');
  });

  it('raises the key rules and links the key held on disk to its Anthropic key by hint', () => {
    expect(estate.alarms('saas-key-owner-departed')).toEqual([
      'anthropic://workspaces/wrkspc_01SupportNwrd/api-keys/apikey_02CiNightly',
    ]);
    expect(estate.alarms('saas-key-unused')).toEqual(['anthropic:api-key:apikey_02CiNightly']);
    expect(estate.alarms('saas-key-no-expiry')).toEqual([
      'anthropic:api-key:apikey_01SupportAgent',
      'anthropic:api-key:apikey_02CiNightly',
    ]);
    const shared = estate.findings.find(
      (finding) => finding.ruleId === 'local-secret-shared' && finding.resource.startsWith('anthropic '),
    )!;
    expect(shared.reason).toContain('it is the key of support-agent');
    expect(
      estate.alarms('local-secret-unmanaged').some((resource) => resource.startsWith('anthropic ')),
    ).toBe(false);
  });

  it('re-scans from the ETag cache: 304s, the same hints, and no more of a key than its hint in the cache file', async () => {
    // Given the first scan's cache file, When the organization is scanned again
    const before = server.seen.length;
    const again = await scanWith(
      [
        plan(
          anthropicSource,
          { anthropic: true },
          { ANTHROPIC_ADMIN_KEY: ADMIN_KEY, ANTHROPIC_BASE_URL: server.base },
        ),
      ],
      undefined,
      {},
      estate.dbPath,
    );
    // Then the server answered the key listings with 304, and the keys read the same
    const second = server.seen.slice(before);
    expect(
      second
        .filter((request) => request.path === '/v1/organizations/api_keys')
        .map((request) => request.status),
    ).toEqual([304, 304]);
    const hints = (scanned: ScannedEstate) =>
      scanned.rows<{ id: string; hint: string }>(
        "SELECT id, hint FROM credentials WHERE scan_id = :scan AND id LIKE 'anthropic:%' ORDER BY id",
      );
    expect(hints(again)).toEqual(hints(estate));
    // And the cache holds the vendor's redacted hint cut to its last 4 characters
    const bytes = Buffer.concat(
      [estate.dbPath, `${estate.dbPath}-wal`]
        .filter((file) => fs.existsSync(file))
        .map((file) => fs.readFileSync(file)),
    );
    expect(bytes.includes(Buffer.from('sk-ant-api03-[REDACTED…p9AA]'))).toBe(true);
    expect(bytes.includes(Buffer.from('FAK...p9AA'))).toBe(false);
  });
});
