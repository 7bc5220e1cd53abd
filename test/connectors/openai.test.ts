// The OpenAI connector against a local server answering in the Administration API's shapes, and a key found on disk.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSource } from '../../src/connectors/local/source.js';
import { openAiSource } from '../../src/connectors/openai/source.js';
import { ROOT } from '../e2e/cli.js';
import { startFixtureServer, type FixtureServer } from './fixtureServer.js';
import { plan, scanWith, type ScannedEstate } from './scanWith.js';

const ADMIN_KEY = ['sk', 'admin', 'fixture-only'].join('-');
let server: FixtureServer;
let estate: ScannedEstate;

beforeAll(async () => {
  // Given Northwind's OpenAI organization (two pages of admin keys, a throttled project key listing, a project the
  // key may not read) and María's laptop, whose .env holds an OpenAI project key
  server = await startFixtureServer(path.join(ROOT, 'fixtures', 'saas', 'openai', 'tenant.json'));
  const env = { OPENAI_ADMIN_KEY: ADMIN_KEY, OPENAI_BASE_URL: `${server.base}/v1` };
  // When both are scanned
  estate = await scanWith([
    plan(openAiSource, { openai: true }, env),
    plan(localSource, { local: [path.join(ROOT, 'fixtures', 'agent-home')] }, {}),
  ]);
}, 30_000);
afterAll(() => server.close());

describe('OpenAI connector', () => {
  it('follows the after cursor and inventories admin keys, user keys and service accounts', () => {
    const identities = estate.rows<{ id: string; kind: string; owner: string | null }>(
      "SELECT id, kind, owner FROM identities WHERE scan_id = :scan AND provider = 'openai' ORDER BY id",
    );
    expect(identities.map((identity) => `${identity.kind} ${identity.id}`)).toEqual([
      'admin-api-key openai:admin-api-key:key_adm1nTerraform',
      'admin-api-key openai:admin-api-key:key_adm2nOldAudit',
      'api-key openai:api-key:key_fleetBatch001',
      'api-key openai:api-key:key_mariaLaptop03',
      'service-account openai:service-account:svc_acct_supp0rt',
    ]);
    const credentials = estate.rows<{ id: string; identity_id: string; hint: string }>(
      "SELECT id, identity_id, hint FROM credentials WHERE scan_id = :scan AND id = 'openai:api-key:key_supportAgnt02'",
    );
    expect(credentials).toEqual([
      {
        id: 'openai:api-key:key_supportAgnt02',
        identity_id: 'openai:service-account:svc_acct_supp0rt',
        hint: 'aG3n',
      },
    ]);
    expect(server.seen.some((request) => request.query.get('after') === 'key_adm1nTerraform')).toBe(true);
    expect(server.seen.some((request) => request.query.get('after') === 'key_supportAgnt02')).toBe(true);
  });

  it('retries the 429 after Retry-After, and records the 403 project as partial coverage', () => {
    const listing = server.seen.filter(
      (request) =>
        request.path === '/v1/organization/projects/proj_fleetApi0001/api_keys' &&
        !request.query.get('after'),
    );
    expect(listing.map((request) => request.status)).toEqual([429, 200]);
    const source = estate.scan.sources.find((candidate) => candidate.name === 'openai')!;
    expect(source.status).toBe('partial');
    expect(source.detail).toContain('proj_archive00002/api_keys');
    expect(source.detail).toContain('You do not have access to project');
  });

  it('raises no-expiry, owner-departed, unused and admin-scope rules where they belong', () => {
    expect(estate.alarms('saas-key-no-expiry')).toEqual(
      expect.arrayContaining([
        'openai:admin-api-key:key_adm1nTerraform',
        'openai:admin-api-key:key_adm2nOldAudit',
      ]),
    );
    expect(estate.alarms('saas-key-owner-departed')).toEqual([
      'openai://organization/admin-api-keys/key_adm2nOldAudit',
      'openai://projects/proj_fleetApi0001/api-keys/key_fleetBatch001',
    ]);
    expect(estate.alarms('saas-key-unused')).toEqual([
      'openai:admin-api-key:key_adm2nOldAudit',
      'openai:api-key:key_fleetBatch001',
    ]);
    expect(estate.alarms('saas-service-app-admin-scopes')).toEqual([
      'openai://projects/proj_fleetApi0001/service-accounts/svc_acct_supp0rt',
    ]);
  });

  it('links the key in the .env file to María own project key by its redacted hint', () => {
    const found = estate.findings.find(
      (finding) => finding.ruleId === 'local-secret-human-identity' && finding.resource.startsWith('openai '),
    )!;
    expect(found.reason).toContain('maria-laptop');
    expect(found.reason).toContain('maria.gonzalez@northwind.example');
    expect(estate.alarms('local-secret-unmanaged').some((resource) => resource.startsWith('openai '))).toBe(
      false,
    );
  });
});
