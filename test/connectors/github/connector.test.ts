// The GitHub source against a local GitHub server: real Octokit pagination, throttling and retry, partial coverage
// for endpoints a plan lacks, ETag revalidation, App authentication, and record/replay.
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CollectContext, SourceResult } from '../../../src/connectors/contract.js';
import { githubSource } from '../../../src/connectors/github/source.js';
import { planSnapshotSources, readSnapshotManifest, runCollect } from '../../../src/scan/snapshot.js';
import { UserError } from '../../../src/errors/errors.js';
import type { Inventory } from '../../../src/model/types.js';
import { memoryHttpCache, type HttpResponseCache } from '../../../src/store/httpCache.js';
import { DEMO_GITHUB_DIR, DEMO_ORG, startFakeGithub, type FakeGithub } from './server.js';

const TOKEN = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0'.repeat(2).slice(0, 36);
let github: FakeGithub;
const temp: string[] = [];

beforeAll(async () => {
  github = await startFakeGithub();
});
afterAll(async () => {
  await github.close();
  for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => github.reset());

function context(cache: HttpResponseCache = memoryHttpCache()): CollectContext {
  return {
    asOf: '2026-10-30T12:00:00Z',
    window: { since: '2026-08-01T12:00:00Z', until: '2026-10-30T12:00:00Z' },
    concurrency: 2,
    progress: () => undefined,
    httpCache: cache,
    env: {},
  };
}

async function scan(
  values: Record<string, unknown>,
  env: Record<string, string> = { GITHUB_TOKEN: TOKEN },
  cache?: HttpResponseCache,
): Promise<SourceResult> {
  const planned = githubSource.plan({ github: [DEMO_ORG], githubApiUrl: github.url, ...values }, env);
  if (!planned) throw new Error('not planned');
  const [result] = await planned.collect(context(cache));
  return result!;
}

const kinds = (inventory: Partial<Inventory>): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const identity of inventory.identities ?? []) counts[identity.kind] = (counts[identity.kind] ?? 0) + 1;
  return counts;
};
/** The parts of the organization's coverage these tests read. */
interface OrgCoverage {
  auth: string;
  installationId?: number;
  unavailable: { endpoint: string; status: number; reason: string }[];
  http: { cacheHits: number; rateLimitWaits: number };
  usage: { apiInsights: { actors: number; unmapped: number } | null };
}
const coverageOf = (result: SourceResult): OrgCoverage =>
  result.coverage[`github:${DEMO_ORG}`] as OrgCoverage;

describe('collecting an organization with a token', () => {
  it('inventories every kind of credential, following Link pagination', async () => {
    // Given the local server holding the demo organization, whose members span two pages
    // When the organization is collected with a token
    const result = await scan({});
    // Then every credential type is inventoried, nothing failed, and the second page of members was fetched
    expect(result.errors).toEqual([]);
    expect(result.partial).toBe(false);
    expect(kinds(result.inventory)).toEqual({
      'actions-secret': 6,
      'classic-pat': 2,
      'deploy-key': 3,
      'fine-grained-pat': 3,
      'fine-grained-pat-request': 1,
      'github-app-installation': 4,
      'github-workflow': 5,
      'outside-collaborator': 2,
      'ssh-key': 1,
      webhook: 2,
    });
    // And every repository is a resource with its visibility and outside collaborators (what outsiders can write)
    expect(
      result.inventory.resources!.map((r) => [
        r.name,
        r.attributes['visibility'],
        (r.attributes['outside_collaborators'] as { login: string }[]).map((c) => c.login),
      ]),
    ).toEqual([
      [`${DEMO_ORG}/infrastructure`, 'private', []],
      [`${DEMO_ORG}/website`, 'public', ['jlee-contractor']],
      [`${DEMO_ORG}/firmware`, 'private', ['acme-firmware-partner']],
      [`${DEMO_ORG}/fleet-api`, 'private', []],
    ]);
    expect(github.seen.map((r) => r.url)).toContain(`/orgs/${DEMO_ORG}/members?per_page=100&page=2`);
    expect(result.inventory.people!.filter((p) => p.source === `github:${DEMO_ORG}`)).toHaveLength(5);
    expect(github.seen.every((r) => r.method === 'GET')).toBe(true);
    expect(github.seen[0]!.authorization).toBe(`token ${TOKEN}`);
    // And usage was mapped to permissions, the token never kept
    const claude = result.inventory.usage!.filter(
      (u) => u.identityId === 'github:github-app-installation:52100001',
    );
    expect(new Set(claude.map((u) => u.permission))).toEqual(
      new Set([
        'contents:read',
        'contents:write',
        'pull_requests:write',
        'issues:read',
        'metadata:read',
        null,
      ]),
    );
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(coverageOf(result).usage.apiInsights).toMatchObject({ actors: 7, unmapped: 1 });
  });

  it('marks the tokens members hold as their own (personal) non-human credentials, classic PATs with ghp_', async () => {
    // When the organization is collected
    const result = await scan({});
    const ofKind = (kind: string) => result.inventory.identities!.filter((i) => i.kind === kind);
    // Then PATs and SSO-authorized credentials act as their owner, yet stay in scope of the non-human rules
    const personal = [...ofKind('classic-pat'), ...ofKind('fine-grained-pat'), ...ofKind('ssh-key')];
    expect(personal).toHaveLength(6);
    for (const identity of personal) {
      expect(identity).toMatchObject({ isHuman: false, attributes: { personal: true } });
      expect(identity.owner).toBeTruthy();
    }
    // (an App installation acts as the App, not as a person)
    for (const identity of ofKind('github-app-installation'))
      expect(identity.attributes.personal).toBeUndefined();
    // And maria's classic PAT keeps the last 4 of GitHub's last eight, with its format's public prefix
    const pat = result.inventory.credentials!.find(
      (c) => c.identityId === `github:classic-pat:${DEMO_ORG}/161195001`,
    );
    expect(pat).toMatchObject({ hint: 'e0b7', attributes: { key_prefix: 'ghp_' } });
  });

  it('waits out a secondary rate limit (403 with retry-after) and carries on', async () => {
    // Given a server that answers the repository list once with a secondary rate limit and retry-after: 1
    github.inject(new RegExp(`^/orgs/${DEMO_ORG}/repos$`), {
      status: 403,
      headers: { 'retry-after': '1' },
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api',
      },
      times: 1,
    });
    // When the organization is collected
    const result = await scan({});
    // Then the client waited about a second, asked again and read the repositories
    const calls = github.seen.filter((r) => r.url.startsWith(`/orgs/${DEMO_ORG}/repos?`));
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(900);
    expect(coverageOf(result).http.rateLimitWaits).toBe(1);
    expect(result.errors).toEqual([]);
    expect(kinds(result.inventory)['deploy-key']).toBe(3);
  });

  it('records endpoints the plan or token cannot reach as partial coverage with the reason, not as errors', async () => {
    // Given an organization on a plan without the audit log, SAML or API Insights, and a token that cannot list PATs
    const notFound = {
      status: 404,
      body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
    };
    github.inject(/\/audit-log$/, notFound);
    github.inject(/\/credential-authorizations$/, notFound);
    github.inject(/\/insights\/api\/route-stats\//, notFound);
    github.inject(/\/personal-access-token(s|-requests)$/, {
      status: 403,
      body: {
        message: 'Resource not accessible by personal access token',
        documentation_url: 'https://docs.github.com/rest',
      },
    });
    // When it is collected
    const result = await scan({});
    // Then the rest is read, nothing is an error, and coverage says what could not be read and why
    expect(result.errors).toEqual([]);
    expect(result.failed).toBeFalsy();
    expect(result.partial).toBe(true);
    const unavailable = coverageOf(result).unavailable as {
      endpoint: string;
      status: number;
      reason: string;
    }[];
    expect(unavailable.map((u) => u.endpoint).sort()).toEqual([
      'GET /orgs/{org}/audit-log',
      'GET /orgs/{org}/credential-authorizations',
      'GET /orgs/{org}/insights/api/route-stats/{actor_type}/{actor_id}',
      'GET /orgs/{org}/personal-access-token-requests',
      'GET /orgs/{org}/personal-access-tokens',
    ]);
    expect(unavailable.find((u) => u.endpoint.endsWith('audit-log'))!.reason).toMatch(
      /GitHub Enterprise Cloud/,
    );
    expect(unavailable.find((u) => u.endpoint.endsWith('personal-access-tokens'))!.reason).toMatch(
      /GitHub App/,
    );
    expect(result.detail).toMatch(/not readable with this plan or token: .*audit log \(404\)/);
    // And API Insights was asked once, not once per installation, and installations are not called unused
    expect(github.seen.filter((r) => r.url.includes('/insights/')).length).toBeLessThanOrEqual(4);
    const claude = result.inventory.identities!.find((i) => i.name === 'claude')!;
    expect(claude.attributes['usage_observed']).toBe(false);
    expect(kinds(result.inventory)['fine-grained-pat']).toBeUndefined();
  });

  it('revalidates with If-None-Match on a second scan and is answered 304 from the cache', async () => {
    // Given one cache for two scans
    const cache = memoryHttpCache();
    const first = await scan({}, undefined, cache);
    const firstRequests = github.seen.length;
    github.reset();
    // When the organization is scanned again
    const second = await scan({}, undefined, cache);
    // Then every request was conditional, the server answered 304, and the inventory is the same
    expect(github.seen).toHaveLength(firstRequests);
    expect(github.seen.every((r) => r.ifNoneMatch !== null)).toBe(true);
    expect(coverageOf(second).http.cacheHits).toBe(firstRequests);
    expect(second.inventory.identities!.map((i) => i.id).sort()).toEqual(
      first.inventory.identities!.map((i) => i.id).sort(),
    );
    expect(second.inventory.usage).toEqual(first.inventory.usage);
  });

  it('fails the organization when the token is refused, naming the 401', async () => {
    github.inject(/.*/, {
      status: 401,
      body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
    });
    const result = await scan({});
    expect(result.failed).toBe(true);
    expect(result.errors[0]!.message).toMatch(/401 .*Bad credentials/);
  });
});

describe('collecting as a GitHub App', () => {
  it('finds its installation, mints an installation token and reads with it', async () => {
    // Given an App private key on disk
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-gh-'));
    temp.push(dir);
    const keyFile = path.join(dir, 'app.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }));
    // When the organization is collected as the App
    const result = await scan({ githubAppId: '424242', githubPrivateKey: keyFile }, {});
    // Then the App's JWT found the installation, the installation token read the rest
    const [find, mint, ...rest] = github.seen;
    expect(find).toMatchObject({ method: 'GET', url: `/orgs/${DEMO_ORG}/installation` });
    expect(find!.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(mint).toMatchObject({ method: 'POST', url: '/app/installations/52199999/access_tokens' });
    expect(rest.every((r) => r.authorization === `token ${github.installationToken}`)).toBe(true);
    expect(coverageOf(result)).toMatchObject({ auth: 'app', installationId: 52199999 });
    expect(kinds(result.inventory)['fine-grained-pat']).toBe(3);
    expect(JSON.stringify(result)).not.toContain(github.installationToken);
  });
});

describe('record and replay', () => {
  it('is recorded by collect and replayed by scan --from without network or credentials', async () => {
    // Given the organization collected into a snapshot folder, as `agentaudit collect --github ORG` does
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-gh-rec-'));
    temp.push(dir);
    const values = { github: [DEMO_ORG], githubApiUrl: github.url };
    const live = await scan({});
    github.reset();
    const planned = githubSource.plan(values, { GITHUB_TOKEN: TOKEN })!;
    const collected = await runCollect({
      dir,
      sources: [{ registered: githubSource, planned, values, env: {} }],
      asOf: '2026-10-30T12:00:00Z',
      since: '2026-08-01T12:00:00Z',
      tool: 'test',
    });
    expect(collected.status).toBe('complete');
    const requests = github.seen.length;
    expect(requests).toBeGreaterThan(50);
    // When the snapshot is planned and replayed with no token in the environment
    const [replaying] = planSnapshotSources(dir, readSnapshotManifest(dir), [githubSource], {});
    const [replayed] = await replaying!.collect(context());
    // Then the server saw nothing new, nothing was missing, and the inventory is the live one
    expect(github.seen).toHaveLength(requests);
    expect(replayed!.errors).toEqual([]);
    expect(coverageOf(replayed!)).toMatchObject({ auth: 'snapshot', unavailable: [] });
    expect(replayed!.inventory.identities!.map((i) => i.id).sort()).toEqual(
      live.inventory.identities!.map((i) => i.id).sort(),
    );
    expect(replayed!.inventory.usage!.length).toBe(live.inventory.usage!.length);
    // And no secret was written to the snapshot: not the token, not a webhook URL's path, not a token's last eight
    const host = new URL(github.url).host.replace(/[^A-Za-z0-9.-]/g, '_');
    const text = [
      fs.readFileSync(path.join(dir, 'snapshot.json'), 'utf8'),
      ...fs.readdirSync(path.join(dir, host)).map((f) => fs.readFileSync(path.join(dir, host, f), 'utf8')),
    ].join('\n');
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('https://hooks.chat.example/');
    expect(text).not.toContain('B0DEPLOY');
    expect(text).not.toContain('a41fe0b7');
    expect(text).toContain('\\"token_last_eight\\":\\"e0b7\\"');
  });

  it("replays the API the snapshot recorded, whatever this machine's GITHUB_API_URL says", async () => {
    // Given the demo's snapshot, recorded from https://api.github.com without GITHUB_API_URL, replayed on a clean
    // machine and on an Actions runner of a GitHub Enterprise Server (which sets GITHUB_API_URL)
    for (const env of [{}, { GITHUB_API_URL: 'https://ghe.example/api/v3' }]) {
      // When it is planned and replayed
      const [replaying] = planSnapshotSources(
        DEMO_GITHUB_DIR,
        readSnapshotManifest(DEMO_GITHUB_DIR),
        [githubSource],
        env,
      );
      const [replayed] = await replaying!.collect(context());
      // Then every request was answered from the snapshot of api.github.com
      expect(replayed!.errors).toEqual([]);
      expect(coverageOf(replayed!)).toMatchObject({ apiUrl: 'https://api.github.com', auth: 'snapshot' });
    }
  });
});

describe('planning', () => {
  it('asks for a credential, a valid organization name, and both App flags', () => {
    expect(githubSource.plan({}, {})).toBeNull();
    expect(() => githubSource.plan({ github: ['acme'] }, {})).toThrow(UserError);
    expect(() => githubSource.plan({ github: ['not an org'] }, { GITHUB_TOKEN: TOKEN })).toThrow(
      /not a GitHub organization/,
    );
    expect(() => githubSource.plan({ github: ['acme'], githubAppId: '1' }, {})).toThrow(
      /--github-private-key/,
    );
    expect(() => githubSource.plan({ github: ['acme'], githubPrivateKey: '/nonexistent' }, {})).toThrow(
      /--github-app-id/,
    );
    expect(githubSource.plan({ github: ['acme'] }, { GH_TOKEN: TOKEN })).not.toBeNull();
  });
});
