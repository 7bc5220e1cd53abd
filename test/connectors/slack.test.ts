// The Slack connector against a local server answering in the Web API's shapes: token scopes, approved apps, refusals.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSource } from '../../src/connectors/slack/source.js';
import { secretFingerprint } from '../../src/model/ids.js';
import { ROOT } from '../e2e/cli.js';
import { startFixtureServer, type FixtureServer } from './fixtureServer.js';
import { plan, scanWith, type ScannedEstate } from './scanWith.js';

const fixture = (name: string): string => path.join(ROOT, 'fixtures', 'saas', 'slack', name);
const USER_TOKEN = ['xoxp', '0000000000', 'fixture', 'only'].join('-');
const BOT_TOKEN = ['xoxb', '0000000000', 'fixture', 'bot'].join('-');

describe('Slack connector on an Enterprise org', () => {
  let server: FixtureServer;
  let estate: ScannedEstate;
  beforeAll(async () => {
    // Given an org admin's user token with admin.apps:read, and three approved apps over two pages behind a 429
    server = await startFixtureServer(fixture('tenant.json'));
    // When Slack is scanned
    estate = await scanWith([
      plan(slackSource, { slack: true }, { SLACK_TOKEN: USER_TOKEN, SLACK_API_URL: `${server.base}/api` }),
    ]);
  }, 30_000);
  afterAll(() => server.close());

  it("records the token's own scopes from the x-oauth-scopes header, and its fingerprint only", () => {
    const [token] = estate.rows<{ scopes: string; fingerprint: string; hint: string }>(
      "SELECT scopes, fingerprint, hint FROM credentials WHERE scan_id = :scan AND kind = 'oauth-token'",
    );
    expect(JSON.parse(token!.scopes)).toEqual(['admin.apps:read', 'users:read']);
    expect(token!.fingerprint).toBe(secretFingerprint(USER_TOKEN));
    expect(token!.hint).toBe(USER_TOKEN.slice(-4));
  });

  it('lists approved apps across the cursor, after waiting out a 429, with their scopes as grants', () => {
    const apps = estate.rows<{ id: string; permissions: string }>(
      `SELECT i.id, group_concat(g.permission, ' ') AS permissions FROM identities i
       JOIN grants g ON g.identity_id = i.id AND g.scan_id = i.scan_id
       WHERE i.scan_id = :scan AND i.kind = 'oauth-app' GROUP BY i.id ORDER BY i.id`,
    );
    expect(apps.map((app) => app.id)).toEqual([
      'slack:app:A0CLAUDEAPP',
      'slack:app:A0DEPLOYBOT',
      'slack:app:A0JANITOR01',
    ]);
    const second = server.seen.filter((request) => request.query.get('cursor'));
    expect(second.map((request) => request.status)).toEqual([429, 200]);
    expect(server.seen.every((request) => request.headers.authorization === `Bearer ${USER_TOKEN}`)).toBe(
      true,
    );
    expect(estate.scan.status).toBe('complete');
  });

  it('flags the app with admin scopes and the token that never expires', () => {
    expect(estate.alarms('saas-service-app-admin-scopes')).toEqual(['slack://E0NWRD0001/apps/A0JANITOR01']);
    expect(estate.alarms('saas-key-no-expiry')).toEqual(['slack:oauth-token:T0NWRD0001:W0ANASILVA1']);
  });
});

describe('Slack connector with a bot token', () => {
  let server: FixtureServer;
  let estate: ScannedEstate;
  beforeAll(async () => {
    // Given a bot token that may not list approved apps
    server = await startFixtureServer(fixture('refused.json'));
    estate = await scanWith([
      plan(slackSource, { slack: true }, { SLACK_TOKEN: BOT_TOKEN, SLACK_API_URL: `${server.base}/api` }),
    ]);
  }, 30_000);
  afterAll(() => server.close());

  it('audits the token itself and records the 403 as partial coverage with the scope it needed', () => {
    const source = estate.scan.sources.find((candidate) => candidate.name.startsWith('slack'))!;
    expect(source.status).toBe('partial');
    expect(source.detail).toContain('admin.apps.approved.list');
    expect(source.detail).toContain('not_allowed_token_type (needs scope admin.apps:read)');
    const identities = estate.rows<{ id: string; kind: string }>(
      "SELECT id, kind FROM identities WHERE scan_id = :scan AND provider = 'slack'",
    );
    expect(identities).toEqual([{ id: 'slack:bot-token:T0NWRD0001:U0DEPLOYBOT', kind: 'bot-token' }]);
  });
});
