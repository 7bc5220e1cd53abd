// The GitHub client: Octokit with the throttling and retry plugins over the shared HTTP plumbing (ETag cache, record/replay).
import fs from 'node:fs';
import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { UserError } from '../../errors/errors.js';
import type { HttpResponseCache } from '../../store/httpCache.js';
import { createHttpFetch, credentialScope, type Fetch, type HttpStats } from '../http/fetch.js';

/** How agentaudit authenticates to GitHub. */
export type GithubAuth =
  | { kind: 'token'; token: string }
  | { kind: 'app'; appId: string; privateKey: string; installationId: number | null }
  /** Replaying a snapshot: no credential is used or needed. */
  | { kind: 'none' };

/** Where and how to reach GitHub. */
export interface GithubConnection {
  /** REST API root: `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  apiUrl: string;
  auth: GithubAuth;
  /** Answer every request from this snapshot folder (no network). */
  replayDir?: string;
  /** Record every response (masked) into this folder. */
  recordDir?: string;
  /** Longest wait for a rate limit (primary or secondary) before giving up on a request; seconds. */
  maxRateLimitWaitSeconds?: number;
}

/** The default REST API root. */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/** Snapshots are keyed by this scope, not a credential's, so a recording replays whoever made it. */
export const SNAPSHOT_SCOPE = 'github-snapshot';

/** A rate-limit wait the client sat out, for progress and coverage. */
export interface RateLimitWait {
  kind: 'primary' | 'secondary';
  seconds: number;
  method: string;
  url: string;
}

/** An Octokit ready for one organization, and what its HTTP layer counted. */
export interface GithubClient {
  octokit: Octokit;
  stats: HttpStats;
  /** Rate-limit waits sat out (and given up on). */
  rateLimits: { waited: RateLimitWait[]; gaveUp: RateLimitWait[] };
  /** `token`, `app` or `snapshot`: shown in coverage. */
  authKind: 'token' | 'app' | 'snapshot';
  /** The installation agentaudit's App authenticated as, when it used an App. */
  installationId: number | null;
}

const AgentauditOctokit = Octokit.plugin(throttling, retry);

const SILENT_LOG = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * Builds the client for `org`. With an App and no installation id, finds the App's installation on the
 * organization first (`GET /orgs/{org}/installation`, as the App). Installation tokens are minted by
 * `POST /app/installations/{id}/access_tokens`, the one non-GET request agentaudit makes: it changes nothing.
 */
export async function createGithubClient(
  org: string,
  connection: GithubConnection,
  cache: HttpResponseCache,
): Promise<GithubClient> {
  const replaying = connection.replayDir !== undefined;
  const snapshot = replaying || connection.recordDir !== undefined;
  const auth = replaying ? ({ kind: 'none' } as const) : connection.auth;
  const scope = snapshot ? SNAPSHOT_SCOPE : credentialScope(scopeSecret(auth));
  const plumbing = createHttpFetch({
    cache,
    scope,
    fetch: withoutSecretFields((input, init) => globalThis.fetch(input, init)),
    retry: false,
    replayDir: connection.replayDir,
    recordDir: connection.recordDir,
  });
  const { stats } = plumbing;
  const fetch = withResponseUrl(plumbing.fetch);
  const rateLimits: GithubClient['rateLimits'] = { waited: [], gaveUp: [] };
  const maxWait = connection.maxRateLimitWaitSeconds ?? 120;
  const onLimit =
    (kind: RateLimitWait['kind']) =>
    (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const wait = { kind, seconds: retryAfter, method: options.method, url: options.url };
      if (retryCount < 3 && retryAfter <= maxWait) {
        rateLimits.waited.push(wait);
        return true;
      }
      rateLimits.gaveUp.push(wait);
      return false;
    };
  const base = {
    baseUrl: connection.apiUrl.replace(/\/+$/, ''),
    request: { fetch },
    log: SILENT_LOG,
    userAgent: 'agentaudit',
    throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    // A replay cannot change its answer: retrying a snapshot miss would only wait.
    retry: { enabled: !replaying },
  };
  if (auth.kind === 'none') {
    return {
      octokit: new AgentauditOctokit(base),
      stats,
      rateLimits,
      authKind: 'snapshot',
      installationId: null,
    };
  }
  if (auth.kind === 'token') {
    return {
      octokit: new AgentauditOctokit({ ...base, auth: auth.token }),
      stats,
      rateLimits,
      authKind: 'token',
      installationId: null,
    };
  }
  let installationId = auth.installationId;
  if (installationId === null) {
    const asApp = new AgentauditOctokit({
      ...base,
      authStrategy: createAppAuth,
      auth: { appId: auth.appId, privateKey: auth.privateKey },
    });
    const { data } = await asApp.request('GET /orgs/{org}/installation', { org });
    installationId = data.id;
  }
  return {
    octokit: new AgentauditOctokit({
      ...base,
      authStrategy: createAppAuth,
      auth: { appId: auth.appId, privateKey: auth.privateKey, installationId },
    }),
    stats,
    rateLimits,
    authKind: 'app',
    installationId,
  };
}

/**
 * Responses the plumbing builds itself (a 304 answered from the cache, a replayed snapshot) have an empty `url`;
 * Octokit's paginate reads `response.url` for `{ total_count, … }` lists, so give them the request's URL.
 */
function withResponseUrl(fetch: Fetch): Fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.url === '') {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      Object.defineProperty(response, 'url', { value: url });
    }
    return response;
  };
}

/**
 * Removes what could help an attacker from responses before the plumbing caches or records them: webhook URLs
 * keep only their scheme and host (a webhook URL often carries a token: chat incoming-webhook URLs are credentials),
 * and the last eight characters GitHub shows of SSO-authorized tokens are cut to the last four (agentaudit's hint).
 */
export function withoutSecretFields(fetch: Fetch): Fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const pathname = new URL(url).pathname;
    const hooks = /\/hooks(\/\d+)?$/.test(pathname);
    const authorizations = /\/credential-authorizations$/.test(pathname);
    if (response.status !== 200 || (!hooks && !authorizations)) return response;
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return new Response(text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
    for (const item of Array.isArray(body) ? body : [body]) {
      if (typeof item !== 'object' || item === null) continue;
      const record = item as { config?: { url?: unknown }; token_last_eight?: unknown };
      if (hooks && record.config && typeof record.config.url === 'string') {
        try {
          const parsed = new URL(record.config.url);
          record.config.url = `${parsed.protocol}//${parsed.host}/`;
        } catch {
          record.config.url = '';
        }
      }
      if (authorizations && typeof record.token_last_eight === 'string') {
        record.token_last_eight = record.token_last_eight.slice(-4);
      }
    }
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    return new Response(JSON.stringify(body), {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}

function scopeSecret(auth: GithubAuth): string {
  if (auth.kind === 'token') return auth.token;
  if (auth.kind === 'app') return `app:${auth.appId}:${auth.installationId ?? 'auto'}`;
  return SNAPSHOT_SCOPE;
}

/**
 * The credential to use, from flags and the environment: a GitHub App (`appId` + `privateKeyFile`, optional
 * installation id) when given, else `GITHUB_TOKEN` / `GH_TOKEN`. Throws a UserError naming what is missing.
 */
export function resolveGithubAuth(input: {
  appId?: string;
  privateKeyFile?: string;
  installationId?: string;
  env: Readonly<Record<string, string | undefined>>;
}): GithubAuth {
  if (input.appId !== undefined || input.privateKeyFile !== undefined) {
    if (input.appId === undefined || !/^\d+$/.test(input.appId)) {
      throw new UserError(
        '--github-private-key needs --github-app-id (the numeric App id)',
        'pass both, e.g. --github-app-id 123456 --github-private-key app.private-key.pem',
      );
    }
    if (input.privateKeyFile === undefined) {
      throw new UserError(
        '--github-app-id needs --github-private-key FILE (the App private key, PEM)',
        'download a private key from the App settings page and pass its file',
      );
    }
    let privateKey: string;
    try {
      privateKey = fs.readFileSync(input.privateKeyFile, 'utf8');
    } catch (error) {
      throw new UserError(
        `cannot read the GitHub App private key ${input.privateKeyFile}: ${(error as Error).message}`,
        'pass the path of the .pem file downloaded from the App settings page',
      );
    }
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
      throw new UserError(
        `${input.privateKeyFile} is not a PEM private key`,
        'pass the .pem file downloaded from the App settings page',
      );
    }
    if (input.installationId !== undefined && !/^\d+$/.test(input.installationId)) {
      throw new UserError(
        `--github-installation-id must be a number, not "${input.installationId}"`,
        'omit it to let agentaudit find the installation on the organization',
      );
    }
    return {
      kind: 'app',
      appId: input.appId,
      privateKey,
      installationId: input.installationId === undefined ? null : Number(input.installationId),
    };
  }
  const token = input.env.GITHUB_TOKEN?.trim() || input.env.GH_TOKEN?.trim();
  if (!token) {
    throw new UserError(
      '--github needs a credential: set GITHUB_TOKEN (or GH_TOKEN), or pass --github-app-id and --github-private-key',
      'a read-only fine-grained token works for most of the audit; listing fine-grained PATs needs a GitHub App (see docs/github.md)',
    );
  }
  return { kind: 'token', token };
}
