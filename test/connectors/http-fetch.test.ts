// The shared HTTP plumbing against a real local server: conditional requests, retry with Retry-After, record and replay.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createHttpFetch,
  credentialScope,
  retryAfterMs,
  SnapshotMissError,
} from '../../src/connectors/http/fetch.js';
import { nextLink, paginate } from '../../src/connectors/http/paginate.js';
import { memoryHttpCache, sqliteHttpCache } from '../../src/store/httpCache.js';
import { openDatabase } from '../../src/store/database.js';

interface Seen {
  url: string;
  ifNoneMatch: string | undefined;
  authorization: string | undefined;
}

let server: http.Server;
let base: string;
const seen: Seen[] = [];
let failuresLeft = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({
      url: req.url ?? '',
      ifNoneMatch: req.headers['if-none-match'],
      authorization: req.headers.authorization,
    });
    if (req.url === '/flaky' && failuresLeft > 0) {
      failuresLeft -= 1;
      res.writeHead(429, { 'retry-after': '0' }).end('slow down');
      return;
    }
    if (req.url === '/items?page=1' || req.url === '/items?page=2') {
      const page = req.url.endsWith('1') ? 1 : 2;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (page === 1) headers.link = `<${base}/items?page=2>; rel="next", <${base}/items?page=2>; rel="last"`;
      res.writeHead(200, headers).end(JSON.stringify([{ page }]));
      return;
    }
    const etag = '"v1"';
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json', etag })
      .end(JSON.stringify({ ok: true, token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
});

const noSleep = (): Promise<void> => Promise.resolve();

describe('conditional requests', () => {
  it('sends If-None-Match on the second GET and answers the 304 from the cache', async () => {
    // Given a fetch with a cache
    const cache = memoryHttpCache();
    const { fetch, stats } = createHttpFetch({ cache, scope: credentialScope('t1'), sleep: noSleep });
    // When the same resource is fetched twice
    const first = (await (
      await fetch(`${base}/thing`, { headers: { authorization: 'Bearer t1' } })
    ).json()) as { ok: boolean };
    const second = await fetch(`${base}/thing`, { headers: { authorization: 'Bearer t1' } });
    // Then the server saw a conditional request, and the caller got the body of the first as a 200
    expect(seen.map((s) => s.ifNoneMatch)).toEqual([undefined, '"v1"']);
    expect(second.status).toBe(200);
    expect(second.headers.get('x-agentaudit-cache')).toBe('hit');
    expect(((await second.json()) as { ok: boolean }).ok).toBe(first.ok);
    expect(stats).toMatchObject({ requests: 2, cacheHits: 1 });
  });

  it('keeps entries of different credentials apart and never stores a secret-shaped value', () => {
    // Given a cache in the cache file
    const db = openDatabase(':memory:');
    const cache = sqliteHttpCache(db);
    const one = createHttpFetch({ cache, scope: credentialScope('token-one'), sleep: noSleep });
    const two = createHttpFetch({ cache, scope: credentialScope('token-two'), sleep: noSleep });
    return (async () => {
      // When two credentials fetch the same URL
      await (await one.fetch(`${base}/thing`)).text();
      await (await two.fetch(`${base}/thing`)).text();
      // Then the second was not conditional (its own entry), and the stored body is masked
      expect(seen.map((s) => s.ifNoneMatch)).toEqual([undefined, undefined]);
      const rows = db.prepare('SELECT body FROM http_cache').all() as { body: string }[];
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.body).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
        expect(row.body).toContain('ghp_[REDACTED…6789]');
      }
      db.close();
    })();
  });
});

describe('retry', () => {
  it('retries a 429 honouring Retry-After, then succeeds', async () => {
    // Given a server that throttles twice
    failuresLeft = 2;
    const waits: number[] = [];
    const { fetch, stats } = createHttpFetch({
      scope: 's',
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    // When the resource is fetched
    const response = await fetch(`${base}/flaky`);
    // Then it waited as told (0 s) twice and got the answer
    expect(response.status).toBe(200);
    expect(waits).toEqual([0, 0]);
    expect(stats.retries).toBe(2);
  });

  it('gives the 429 back when retries run out, so the connector can report it', async () => {
    failuresLeft = 5;
    const { fetch } = createHttpFetch({
      scope: 's',
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 10 },
      sleep: noSleep,
    });
    expect((await fetch(`${base}/flaky`)).status).toBe(429);
    failuresLeft = 0;
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

describe('snapshots', () => {
  it('records masked responses and replays them without the network', async () => {
    // Given a recording of two requests
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-snap-'));
    const recorder = createHttpFetch({ scope: 's', recordDir: dir, sleep: noSleep });
    await (await recorder.fetch(`${base}/thing`, { headers: { authorization: 'Bearer secret' } })).text();
    const hostDir = path.join(dir, new URL(base).host.replace(':', '_'));
    const files = fs.readdirSync(hostDir);
    expect(files).toHaveLength(1);
    const stored = fs.readFileSync(path.join(hostDir, files[0]!), 'utf8');
    expect(stored).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(stored).not.toContain('Bearer secret');
    // When a replaying fetch asks for the same request, and for one never recorded
    const replayer = createHttpFetch({ scope: 's', replayDir: dir, sleep: noSleep });
    const before = seen.length;
    const replayed = (await (await replayer.fetch(`${base}/thing`)).json()) as { ok: boolean };
    // Then the answer comes from the folder, and a missing one is a named error
    expect(replayed.ok).toBe(true);
    expect(seen.length).toBe(before);
    await expect(replayer.fetch(`${base}/other`)).rejects.toBeInstanceOf(SnapshotMissError);
  });
});

describe('responses the plumbing builds itself', () => {
  it('carry the URL of their request, as network responses do (a 304 from the cache, a recorded one, a replay)', async () => {
    // Given a fetch that caches and records, and one that replays its recording
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-url-'));
    const cache = memoryHttpCache();
    const live = createHttpFetch({ cache, scope: 's', recordDir: dir, sleep: noSleep });
    const replayer = createHttpFetch({ scope: 's', replayDir: dir, sleep: noSleep });
    const url = `${base}/thing?per_page=100`;
    // When the resource is fetched (a 200 whose body was read to be masked), again (a 304 answered from the cache),
    // and replayed
    const first = await live.fetch(url);
    const second = await live.fetch(url);
    const replayed = await replayer.fetch(url);
    // Then every one of them says which URL it answers (Octokit's paginate reads it)
    expect(second.headers.get('x-agentaudit-cache')).toBe('hit');
    expect(replayed.status).toBe(200);
    expect([first.url, second.url, replayed.url]).toEqual([url, url, url]);
    expect(new URL(second.url).searchParams.get('per_page')).toBe('100');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('pagination', () => {
  it('follows rel="next" Link headers to the last page', async () => {
    const { fetch } = createHttpFetch({ scope: 's', sleep: noSleep });
    const pages: unknown[] = [];
    for await (const items of paginate(fetch, `${base}/items?page=1`, {}, async (response) => ({
      items: (await response.json()) as unknown[],
      next: nextLink(response.headers.get('link')),
    })))
      pages.push(...items);
    expect(pages).toEqual([{ page: 1 }, { page: 2 }]);
  });

  it('parses Link headers with several relations', () => {
    expect(nextLink('<https://x/a?page=3>; rel="prev", <https://x/a?page=5>; rel="next"')).toBe(
      'https://x/a?page=5',
    );
    expect(nextLink('<https://x/a?page=1>; rel="first"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });
});
