// The Okta connector against a local server answering in Okta's documented shapes: pagination, rate limit, 403, rules.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oktaSource } from '../../src/connectors/okta/source.js';
import { UserError } from '../../src/errors/errors.js';
import { ROOT } from '../e2e/cli.js';
import { startFixtureServer, type FixtureServer } from './fixtureServer.js';
import { plan, scanWith, type ScannedEstate } from './scanWith.js';

const TOKEN = ['00', 'fixture', 'okta', 'token'].join('-');
let server: FixtureServer;
let estate: ScannedEstate;

beforeAll(async () => {
  // Given Northwind's Okta org: three API tokens over two pages, two service apps, a throttled first request,
  // and a user whose role assignments the token may not read
  server = await startFixtureServer(path.join(ROOT, 'fixtures', 'saas', 'okta', 'tenant.json'));
  // When it is scanned
  estate = await scanWith([plan(oktaSource, { okta: server.base }, { OKTA_API_TOKEN: TOKEN })]);
}, 30_000);
afterAll(() => server.close());

describe('Okta connector', () => {
  it('inventories every API token across Link-header pages and the service apps only', () => {
    const identities = estate.rows<{ id: string; kind: string; owner: string | null }>(
      "SELECT id, kind, owner FROM identities WHERE scan_id = :scan AND provider = 'okta' ORDER BY id",
    );
    expect(identities.map((identity) => identity.id)).toEqual([
      'okta:api-token:00Tb1sCimPr0v000d7',
      'okta:api-token:00Tc2fR9pLm3vQx8sK',
      'okta:api-token:00Td3sUpp0rtAg3nt7',
      'okta:service-app:0oa1provbotnwrd01d7',
      'okta:service-app:0oa2reportnwrd001d7',
    ]);
    expect(identities.find((identity) => identity.id.endsWith('00Tc2fR9pLm3vQx8sK'))!.owner).toBe(
      'tom.becker@northwind.example',
    );
    const page2 = server.seen.filter(
      (request) => request.path === '/api/v1/api-tokens' && request.query.get('after'),
    );
    expect(page2).toHaveLength(1);
  });

  it('waits out a 429 as X-Rate-Limit-Reset says, then reads the page', () => {
    const first = server.seen.filter(
      (request) => request.path === '/api/v1/api-tokens' && !request.query.get('after'),
    );
    expect(first.map((request) => request.status)).toEqual([429, 200]);
    expect(server.seen.every((request) => request.headers.authorization === `SSWS ${TOKEN}`)).toBe(true);
  });

  it('records the 403 as partial coverage naming the endpoint, and keeps everything else', () => {
    expect(estate.scan.status).toBe('partial');
    const source = estate.scan.sources.find((candidate) => candidate.name.startsWith('okta:'))!;
    expect(source.status).toBe('partial');
    expect(source.detail).toContain('/api/v1/users/00u9tombecker001d7/roles');
    expect(source.detail).toContain('403');
  });

  it('takes token use and the agent that drove it from the System Log', () => {
    const usage = estate.rows<{ identity_id: string; event_name: string; count: number }>(
      "SELECT identity_id, event_name, count FROM usage WHERE scan_id = :scan AND event_source = 'okta' ORDER BY event_name",
    );
    expect(usage.map((row) => row.event_name)).toContain('user.account.reset_password');
    const agent = estate.rows<{ is_agent: number; agent_evidence: string }>(
      "SELECT is_agent, agent_evidence FROM identities WHERE scan_id = :scan AND id = 'okta:api-token:00Td3sUpp0rtAg3nt7'",
    )[0]!;
    expect(agent.is_agent).toBe(1);
    expect(agent.agent_evidence).toContain('claude-code');
  });

  it('raises the SaaS rules on the tokens and apps that deserve them', () => {
    const org = new URL(server.base).host;
    expect(estate.alarms('saas-service-app-admin-scopes')).toEqual([
      `okta://${org}/apps/0oa1provbotnwrd01d7`,
    ]);
    expect(estate.alarms('saas-key-owner-departed')).toEqual([`okta://${org}/api-tokens/00Tc2fR9pLm3vQx8sK`]);
    expect(estate.alarms('saas-key-unused')).toEqual(['okta:api-token:00Tc2fR9pLm3vQx8sK']);
    expect(estate.alarms('saas-key-not-rotated')).toEqual([
      'okta:api-token:00Tb1sCimPr0v000d7',
      'okta:api-token:00Tc2fR9pLm3vQx8sK',
    ]);
    // the log-reporting app reads logs only, and the scoped token expires when idle: both pass
    expect(estate.alarms('saas-key-no-expiry')).toEqual([]);
  });

  it('refuses to plan without a token, or over plain http to another machine', () => {
    expect(() => oktaSource.plan({ okta: 'northwind.okta.com' }, {})).toThrow(UserError);
    expect(() => oktaSource.plan({ okta: 'http://northwind.okta.com' }, { OKTA_API_TOKEN: TOKEN })).toThrow(
      /not an https address/,
    );
  });
});
