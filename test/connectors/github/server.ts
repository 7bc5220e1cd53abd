// A local GitHub REST server for tests: serves the recorded demo organization (fixtures/demo/github) on 127.0.0.1,
// with ETags and 304s, Link pagination rewritten to its own address, App authentication, and injectable failures.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The recorded demo organization. */
export const DEMO_GITHUB_DIR = fileURLToPath(new URL('../../../fixtures/demo/github/', import.meta.url));
/** Its organization login. */
export const DEMO_ORG = 'northwind-robotics';

interface Snapshot {
  request: { method: string; url: string };
  response: { status: number; headers: Record<string, string>; body: string };
}

/** A request the server saw. */
export interface SeenRequest {
  method: string;
  /** Path and query. */
  url: string;
  ifNoneMatch: string | null;
  authorization: string | null;
  at: number;
}

/** A canned answer that replaces the recorded one. */
export interface Injected {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Answer this many times, then fall back to the recording (default: always). */
  times?: number;
}

/** The running server and its knobs. */
export interface FakeGithub {
  url: string;
  seen: SeenRequest[];
  /** Answers for paths (without query) matching a pattern, before the recording. */
  inject(pattern: RegExp, answer: Injected): void;
  /** Removes every injected answer and forgets what was seen. */
  reset(): void;
  /** The installation token the App flow hands out. */
  installationToken: string;
  close(): Promise<void>;
}

/** Every recorded response of the demo organization, keyed by path and query. */
export function loadDemoSnapshots(dir = DEMO_GITHUB_DIR): Map<string, Snapshot> {
  const byUrl = new Map<string, Snapshot>();
  const hostDir = path.join(dir, 'api.github.com');
  for (const file of fs.readdirSync(hostDir)) {
    const snapshot = JSON.parse(fs.readFileSync(path.join(hostDir, file), 'utf8')) as Snapshot;
    const url = new URL(snapshot.request.url);
    byUrl.set(`${url.pathname}${url.search}`, snapshot);
  }
  return byUrl;
}

/** Starts the server on 127.0.0.1, port 0. */
export async function startFakeGithub(): Promise<FakeGithub> {
  const snapshots = loadDemoSnapshots();
  const seen: SeenRequest[] = [];
  let injected: { pattern: RegExp; answer: Injected }[] = [];
  const installationToken = 'ghs_' + 'T'.repeat(36);
  let base = '';
  const send = (
    res: http.ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string,
  ): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(body);
  };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const pathname = url.split('?')[0]!;
    seen.push({
      method: req.method ?? 'GET',
      url,
      ifNoneMatch: (req.headers['if-none-match'] as string | undefined) ?? null,
      authorization: req.headers.authorization ?? null,
      at: Date.now(),
    });
    for (const entry of injected) {
      if (!entry.pattern.test(pathname)) continue;
      if (entry.answer.times !== undefined) {
        if (entry.answer.times <= 0) continue;
        entry.answer.times -= 1;
      }
      send(res, entry.answer.status, entry.answer.headers ?? {}, JSON.stringify(entry.answer.body));
      return;
    }
    // GitHub App authentication: find the installation (as the App), mint an installation token.
    if (req.method === 'GET' && pathname === `/orgs/${DEMO_ORG}/installation`) {
      send(res, 200, {}, JSON.stringify(appInstallation()));
      return;
    }
    if (req.method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(pathname)) {
      send(
        res,
        201,
        {},
        JSON.stringify({
          token: installationToken,
          expires_at: '2036-10-30T13:00:00Z',
          permissions: { metadata: 'read', members: 'read' },
          repository_selection: 'all',
        }),
      );
      return;
    }
    const snapshot = req.method === 'GET' ? snapshots.get(url) : undefined;
    if (!snapshot) {
      send(
        res,
        404,
        {},
        JSON.stringify({
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
          status: '404',
        }),
      );
      return;
    }
    const headers = { ...snapshot.response.headers };
    if (headers.link) headers.link = headers.link.replaceAll('https://api.github.com', base);
    if (headers.etag && req.headers['if-none-match'] === headers.etag) {
      res.writeHead(304, { etag: headers.etag }).end();
      return;
    }
    send(res, snapshot.response.status, headers, snapshot.response.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    seen,
    installationToken,
    inject(pattern, answer) {
      injected.push({ pattern, answer: { ...answer } });
    },
    reset() {
      injected = [];
      seen.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The installation of agentaudit's own (read-only) App on the demo organization, as `GET /orgs/{org}/installation` returns it. */
export function appInstallation(): Record<string, unknown> {
  const org = {
    login: DEMO_ORG,
    id: 90210001,
    node_id: 'O_kgDOBWJnZQ',
    avatar_url: 'https://avatars.githubusercontent.com/u/90210001?v=4',
    gravatar_id: '',
    url: `https://api.github.com/users/${DEMO_ORG}`,
    html_url: `https://github.com/${DEMO_ORG}`,
    followers_url: `https://api.github.com/users/${DEMO_ORG}/followers`,
    following_url: `https://api.github.com/users/${DEMO_ORG}/following{/other_user}`,
    gists_url: `https://api.github.com/users/${DEMO_ORG}/gists{/gist_id}`,
    starred_url: `https://api.github.com/users/${DEMO_ORG}/starred{/owner}{/repo}`,
    subscriptions_url: `https://api.github.com/users/${DEMO_ORG}/subscriptions`,
    organizations_url: `https://api.github.com/users/${DEMO_ORG}/orgs`,
    repos_url: `https://api.github.com/users/${DEMO_ORG}/repos`,
    events_url: `https://api.github.com/users/${DEMO_ORG}/events{/privacy}`,
    received_events_url: `https://api.github.com/users/${DEMO_ORG}/received_events`,
    type: 'Organization',
    site_admin: false,
  };
  return {
    id: 52199999,
    account: org,
    repository_selection: 'all',
    access_tokens_url: 'https://api.github.com/app/installations/52199999/access_tokens',
    repositories_url: 'https://api.github.com/installation/repositories',
    html_url: `https://github.com/organizations/${DEMO_ORG}/settings/installations/52199999`,
    app_id: 424242,
    app_slug: 'agentaudit-reader',
    target_id: 90210001,
    target_type: 'Organization',
    permissions: { members: 'read', metadata: 'read', organization_administration: 'read' },
    events: [],
    created_at: '2026-10-01T09:00:00Z',
    updated_at: '2026-10-01T09:00:00Z',
    single_file_name: null,
    suspended_by: null,
    suspended_at: null,
  };
}
