// The HTTP plumbing every API connector shares: conditional requests against the response cache, retry with backoff
// on 429/5xx honouring Retry-After, and recording to / replaying from a snapshot folder. A drop-in `fetch`.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { redactSecrets } from '../../report/redact.js';
import type { HttpResponseCache } from '../../store/httpCache.js';

/** The `fetch` signature the plumbing offers (what Octokit's `request.fetch` and our SaaS clients take). */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Retry policy for transient failures. */
export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** First backoff; doubled each attempt, with jitter. */
  baseDelayMs: number;
  /** A Retry-After longer than this is not waited for: the response is returned for the caller to report. */
  maxDelayMs: number;
}

/** Counts the connector can put in its coverage. */
export interface HttpStats {
  requests: number;
  /** 304s answered from the cache: requests that cost (almost) no rate limit. */
  cacheHits: number;
  retries: number;
  replayed: number;
}

/** How to build the fetch. */
export interface HttpFetchOptions {
  /** Keeps validators and bodies between scans; omit to disable conditional requests. */
  cache?: HttpResponseCache;
  /**
   * Distinguishes credentials that may see different data: a hash of the token (use `credentialScope`), never the
   * token. Part of every cache and snapshot key.
   */
  scope: string;
  /** Retry on 429, 5xx and network errors; `false` when the client retries itself (Octokit's retry plugin). */
  retry?: RetryPolicy | false;
  /** Write every response (masked) into this folder: `agentaudit collect`. */
  recordDir?: string;
  /** Answer every request from this folder, never the network: `scan --from DIR`. */
  replayDir?: string;
  /** The network fetch (default: the global one). */
  fetch?: Fetch;
  /** Waits (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
  /** The clock for `storedAt`. */
  now?: () => Date;
}

/** The retry policy SaaS connectors use unless they need another. */
export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 500, maxDelayMs: 60_000 };

/** A stable, non-secret scope for a credential: the first 16 hex characters of its sha256. */
export function credentialScope(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

/** Thrown in replay mode when the snapshot has no response for a request. */
export class SnapshotMissError extends Error {
  constructor(readonly url: string) {
    super(`the snapshot holds no response for ${url}`);
    this.name = 'SnapshotMissError';
  }
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
/** Headers never stored: credentials and cookies. */
const PRIVATE_HEADERS =
  /^(authorization|cookie|set-cookie|proxy-authorization|x-api-key|x-amz-security-token)$/i;

interface Snapshot {
  request: { method: string; url: string };
  response: { status: number; headers: Record<string, string>; body: string };
}

/** Builds a `fetch` with the cache, retry and snapshot behaviour of `options`, and the stats it keeps. */
export function createHttpFetch(options: HttpFetchOptions): { fetch: Fetch; stats: HttpStats } {
  const stats: HttpStats = { requests: 0, cacheHits: 0, retries: 0, replayed: 0 };
  const network = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? (() => new Date());
  const retry = options.retry === undefined ? DEFAULT_RETRY : options.retry;

  const fetchWithPlumbing: Fetch = async (input, init) => {
    const request = new Request(input, init);
    const method = request.method.toUpperCase();
    const body = method === 'GET' || method === 'HEAD' ? '' : await request.clone().text();
    const key = requestKey(options.scope, method, request.url, body);

    if (options.replayDir) {
      const snapshot =
        readSnapshot(options.replayDir, request.url, key) ??
        findRecordedRequest(options.replayDir, method, request.url);
      if (!snapshot) throw new SnapshotMissError(request.url);
      stats.replayed += 1;
      return new Response(nullBodyStatus(snapshot.response.status) ? null : snapshot.response.body, {
        status: snapshot.response.status,
        headers: snapshot.response.headers,
      });
    }

    const cached = method === 'GET' ? (options.cache?.get(key) ?? null) : null;
    const headers = new Headers(request.headers);
    if (cached?.etag) headers.set('if-none-match', cached.etag);
    else if (cached?.lastModified) headers.set('if-modified-since', cached.lastModified);

    let attempt = 0;
    for (;;) {
      stats.requests += 1;
      let response: Response;
      try {
        response = await network(request.url, {
          method,
          headers,
          body: body === '' ? undefined : body,
          signal: request.signal,
        });
      } catch (error) {
        if (retry && attempt < retry.retries && !request.signal.aborted) {
          attempt += 1;
          stats.retries += 1;
          await sleep(backoff(retry, attempt));
          continue;
        }
        throw error;
      }
      if (response.status === 304 && cached) {
        stats.cacheHits += 1;
        const replay = new Response(nullBodyStatus(cached.status) ? null : cached.body, {
          status: cached.status,
          headers: { ...cached.headers, 'x-agentaudit-cache': 'hit' },
        });
        record(options.recordDir, request.url, key, method, cached.status, cached.headers, cached.body);
        return replay;
      }
      if (retry && RETRYABLE.has(response.status) && attempt < retry.retries) {
        const wait =
          retryAfterMs(response.headers.get('retry-after'), now()) ??
          rateLimitResetMs(response.headers.get('x-rate-limit-reset'), now()) ??
          backoff(retry, attempt + 1);
        if (wait <= retry.maxDelayMs) {
          attempt += 1;
          stats.retries += 1;
          await response.body?.cancel();
          await sleep(wait);
          continue;
        }
      }
      return await keep(response, request.url, key, method);
    }
  };

  async function keep(response: Response, url: string, key: string, method: string): Promise<Response> {
    const wantsCache = method === 'GET' && options.cache && response.status === 200;
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    if (!options.recordDir && !(wantsCache && (etag || lastModified))) return response;
    const text = await response.text();
    const headers = publicHeaders(response.headers);
    const masked = redactSecrets(text);
    if (wantsCache && (etag || lastModified)) {
      options.cache!.put(key, {
        url,
        status: response.status,
        etag,
        lastModified,
        headers,
        body: masked,
        storedAt: now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
      });
    }
    record(options.recordDir, url, key, method, response.status, headers, masked);
    return new Response(nullBodyStatus(response.status) ? null : text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }

  return { fetch: fetchWithPlumbing, stats };
}

function record(
  dir: string | undefined,
  url: string,
  key: string,
  method: string,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  if (!dir) return;
  const file = snapshotFile(dir, url, key);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const snapshot: Snapshot = {
    request: { method, url: redactSecrets(url) },
    response: { status, headers, body: redactSecrets(body) },
  };
  fs.writeFileSync(file, `${JSON.stringify(snapshot, null, 2)}\n`, { mode: 0o600 });
}

function readSnapshot(dir: string, url: string, key: string): Snapshot | null {
  const file = snapshotFile(dir, url, key);
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
}

/** Snapshots of one folder indexed by `METHOD url`, read once per folder (replay from another credential). */
const recordedRequests = new Map<string, Map<string, Snapshot>>();

/**
 * The snapshot recorded for `method url` whatever credential recorded it. Replaying needs no credential, so the
 * scope in the exact key (a hash of the recording token) cannot be recomputed: requests are then matched by method
 * and URL (as recorded, masked). Exact-key matches are preferred; this is the fallback.
 */
function findRecordedRequest(dir: string, method: string, url: string): Snapshot | null {
  const hostDir = path.join(dir, new URL(url).host.replace(/[^A-Za-z0-9.-]/g, '_'));
  const files = fs.existsSync(hostDir) ? fs.readdirSync(hostDir).filter((f) => f.endsWith('.json')) : [];
  const cacheKey = `${hostDir}\u0000${files.length}`;
  let index = recordedRequests.get(cacheKey);
  if (!index) {
    index = new Map();
    for (const file of files.sort()) {
      const snapshot = JSON.parse(fs.readFileSync(path.join(hostDir, file), 'utf8')) as Snapshot;
      const id = `${snapshot.request.method} ${snapshot.request.url}`;
      if (!index.has(id)) index.set(id, snapshot);
    }
    recordedRequests.set(cacheKey, index);
  }
  return index.get(`${method} ${redactSecrets(url)}`) ?? null;
}

/** `<dir>/<host>/<key>.json`: one file per request, grouped by API host so a person can browse a snapshot. */
function snapshotFile(dir: string, url: string, key: string): string {
  const host = new URL(url).host.replace(/[^A-Za-z0-9.-]/g, '_');
  return path.join(dir, host, `${key}.json`);
}

function requestKey(scope: string, method: string, url: string, body: string): string {
  return createHash('sha256').update(`${scope}\n${method} ${url}\n${body}`).digest('hex').slice(0, 32);
}

function publicHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!PRIVATE_HEADERS.test(name) && name !== 'content-encoding' && name !== 'content-length')
      kept[name] = value;
  });
  return kept;
}

const nullBodyStatus = (status: number): boolean => status === 204 || status === 205 || status === 304;

function backoff(policy: RetryPolicy, attempt: number): number {
  const base = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: Date): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
}

/**
 * Okta's `X-Rate-Limit-Reset` (the UTC epoch second the limit resets) as milliseconds from now; null when absent or
 * not an epoch time. Okta sends it instead of Retry-After.
 */
export function rateLimitResetMs(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const epoch = Number(value.trim());
  if (!Number.isFinite(epoch) || epoch < 1_000_000_000) return null;
  return Math.max(0, epoch * 1000 - now.getTime());
}
