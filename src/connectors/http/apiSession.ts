// One connector's conversation with a REST API: auth headers, JSON pages, and every failure kept as partial coverage.
import type { InputError } from '../../model/types.js';
import { redactSecrets } from '../../report/redact.js';
import type { CollectContext } from '../contract.js';
import { createHttpFetch, credentialScope, type Fetch, type HttpStats, type RetryPolicy } from './fetch.js';
import { HttpStatusError, paginate, type Page } from './paginate.js';

/** How to talk to one API. */
export interface ApiSessionOptions {
  /** Base URL every relative path is resolved against (`https://acme.okta.com`, `https://api.openai.com/v1`). */
  baseUrl: string;
  /** Headers sent with every request: the auth header, an API version. Never stored or recorded. */
  headers: Record<string, string>;
  /** The credential, only to derive a non-secret cache scope from it. */
  secret: string;
  context: Pick<CollectContext, 'httpCache' | 'snapshot'>;
  /** Retry policy (default: the plumbing's, 4 retries honouring Retry-After). */
  retry?: RetryPolicy | false;
  /** Network fetch and sleep, injectable for tests. */
  fetch?: Fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Reads the vendor's error message out of an error body, for people (default: common JSON shapes). */
  errorSummary?: (body: string) => string | null;
}

/** A parsed JSON response. */
export interface ApiResponse<T> {
  body: T;
  headers: Headers;
  url: string;
}

/** The items of a paginated listing, and whether every page was read. */
export interface Listing<T> {
  items: T[];
  complete: boolean;
}

/** An API answered, but with an error in its body (Slack's `{"ok": false}`); the listing records it. */
export class ApiBodyError extends Error {
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiBodyError';
  }
}

/** Counts a connector puts in its coverage. */
export interface ApiCoverage extends HttpStats {
  endpoints: number;
  failedEndpoints: number;
}

/** A session: GETs that never throw for an HTTP or network failure, and the errors they met. */
export interface ApiSession {
  /** Absolute URL of a path (or an absolute URL as is) with query parameters (arrays repeat the key). */
  url(pathOrUrl: string, query?: Record<string, string | number | boolean | string[] | undefined>): string;
  /** One JSON document, or null when it could not be read (the error is recorded). */
  get<T>(url: string): Promise<ApiResponse<T> | null>;
  /** Like `get`, but a 404 is an answer (`'not-found'`: the thing does not exist), not an error. */
  find<T>(url: string): Promise<ApiResponse<T> | 'not-found' | null>;
  /** Every page from `url`; stops at the first failure, keeps what was read, records the error. */
  list<T>(
    url: string,
    readPage: (body: unknown, response: Response, url: string) => Page<T>,
    maxPages?: number,
  ): Promise<Listing<T>>;
  /** Records a failure the API reported in a successful response's body (Slack's `{"ok": false}`). */
  fail(url: string, message: string): void;
  /** What could not be read, each naming the endpoint. */
  readonly errors: InputError[];
  coverage(): ApiCoverage;
}

const STATUS_MEANING: Record<number, string> = {
  400: 'the request was refused',
  401: 'the credential was refused (wrong or expired)',
  403: 'the credential may not read this (missing permission or scope)',
  404: 'not found',
  429: 'rate limited, and retries ran out',
};

/** The vendor's error text in common JSON error shapes (Okta, OpenAI, Anthropic, Slack). */
export function defaultErrorSummary(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const error = parsed.error;
    if (typeof parsed.errorSummary === 'string') return parsed.errorSummary;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string')
      return (error as { message: string }).message;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: fall through to the text itself
  }
  const text = body.trim();
  return text === '' ? null : text;
}

/** Opens a session for one API and one credential. */
export function createApiSession(options: ApiSessionOptions): ApiSession {
  const { fetch, stats } = createHttpFetch({
    cache: options.context.httpCache,
    scope: credentialScope(options.secret),
    retry: options.retry,
    recordDir: options.context.snapshot?.recordDir,
    replayDir: options.context.snapshot?.replayDir,
    fetch: options.fetch,
    sleep: options.sleep,
  });
  const summary = options.errorSummary ?? defaultErrorSummary;
  const errors: InputError[] = [];
  let endpoints = 0;
  let failedEndpoints = 0;
  const init = (): RequestInit => ({ headers: { accept: 'application/json', ...options.headers } });
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;

  const record = (url: string, error: unknown): void => {
    failedEndpoints += 1;
    let message: string;
    if (error instanceof HttpStatusError) {
      const vendor = summary(error.body);
      message = `${error.status} ${STATUS_MEANING[error.status] ?? 'error'}${vendor ? `: ${vendor.slice(0, 200)}` : ''}`;
    } else if (error instanceof Error) {
      message = error.message;
    } else {
      message = String(error);
    }
    errors.push({ file: `GET ${redactSecrets(url)}`, message: redactSecrets(message) });
  };

  const parse = async (response: Response, url: string): Promise<unknown> => {
    const text = await response.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`the response of ${url} is not JSON`);
    }
  };

  async function getOrFind<T>(
    url: string,
    notFoundIsAnswer: boolean,
  ): Promise<ApiResponse<T> | 'not-found' | null> {
    endpoints += 1;
    try {
      const response = await fetch(url, init());
      if (response.status === 404 && notFoundIsAnswer) {
        await response.body?.cancel();
        return 'not-found';
      }
      if (!response.ok) throw new HttpStatusError(url, response.status, await response.text());
      return { body: (await parse(response, url)) as T, headers: response.headers, url };
    } catch (error) {
      record(url, error);
      return null;
    }
  }

  return {
    url(pathOrUrl, query) {
      const url = new URL(/^https?:\/\//.test(pathOrUrl) ? pathOrUrl : pathOrUrl.replace(/^\//, ''), base);
      for (const [name, value] of Object.entries(query ?? {})) {
        if (value === undefined) continue;
        if (Array.isArray(value)) for (const item of value) url.searchParams.append(name, item);
        else url.searchParams.set(name, String(value));
      }
      return url.toString();
    },
    async get<T>(url: string) {
      const result = await getOrFind<T>(url, false);
      return result === 'not-found' ? null : result;
    },
    find: <T>(url: string) => getOrFind<T>(url, true),
    async list<T>(
      url: string,
      readPage: (body: unknown, response: Response, url: string) => Page<T>,
      maxPages?: number,
    ) {
      endpoints += 1;
      const items: T[] = [];
      let current = url;
      try {
        const pages = paginate(
          fetch,
          url,
          init(),
          async (response, pageUrl) => {
            current = pageUrl;
            return readPage(await parse(response, pageUrl), response, pageUrl);
          },
          maxPages,
        );
        for await (const page of pages) {
          items.push(...page);
        }
        return { items, complete: true };
      } catch (error) {
        const failedUrl = (error as { url?: unknown } | null)?.url;
        record(typeof failedUrl === 'string' ? failedUrl : current, error);
        return { items, complete: false };
      }
    },
    fail: (url, message) => record(url, new Error(message)),
    errors,
    coverage: () => ({ ...stats, endpoints, failedEndpoints }),
  };
}

/** Seconds since the epoch (as OpenAI returns them) to ISO-8601 UTC without milliseconds; null stays null. */
export function unixSecondsToIso(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return new Date(value * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An RFC 3339 timestamp (any precision) to ISO-8601 UTC without milliseconds; null when absent or unreadable. */
export function isoOrNull(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The base URL of an API from a flag or environment value: `https://` always, except plain `http://` to this machine
 * (`127.0.0.1`, `localhost`), which test servers and local proxies use. A credential is never sent in clear text
 * over the network. Returns null for a value that is not a usable URL.
 */
export function apiBaseUrl(value: string): string | null {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return null;
  return url.toString().replace(/\/$/, '');
}
