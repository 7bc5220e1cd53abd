// Reads one organization's endpoints and keeps coverage: what was read, what the plan or token cannot reach (and why), what failed.
import type { InputError } from '../../model/types.js';
import { SnapshotMissError } from '../http/fetch.js';
import type { GithubClient } from './client.js';
import { readEndpoint, unavailableReason } from './endpoints.js';

/** An endpoint the plan or the token cannot reach: partial coverage, not an error and not "clean". */
export interface UnavailableEndpoint {
  endpoint: string;
  status: number;
  reason: string;
  /** How many calls of this endpoint were refused (one per repository for repository endpoints). */
  count: number;
  /** The first refused call. */
  example: string;
}

/** Reads with coverage bookkeeping. Never throws for an HTTP failure: it returns null and records why. */
export interface OrgReader {
  readonly org: string;
  /** Every page of a list endpoint; null when unavailable or failed (recorded). */
  list<T>(route: string, params: Record<string, unknown>, options?: ReadOptions<T[]>): Promise<T[] | null>;
  /** One response body; null when unavailable or failed (recorded). */
  get<T>(route: string, params: Record<string, unknown>, options?: ReadOptions<T>): Promise<T | null>;
  /** Calls answered, per endpoint route. */
  readonly calls: Map<string, number>;
  readonly unavailable: Map<string, UnavailableEndpoint>;
  readonly errors: InputError[];
  /** True once a 401 was seen: the credential is refused, reading more is pointless. */
  readonly unauthorized: boolean;
}

/** How to treat a refusal of one read. */
export interface ReadOptions<T> {
  /** What a 404 means: "nothing here" (a repository without a workflows folder), not an unreachable endpoint. */
  whenNotFound?: T;
  /** Stop paginating once this many items were read (list endpoints). */
  limit?: number;
}

/** `octokit.paginate` for a route string chosen at run time (its typed overloads want literal routes). */
type Paginate = <T>(
  route: string,
  params: Record<string, unknown>,
  map: (response: { data: unknown }, done: () => void) => T[],
) => Promise<T[]>;

interface OctokitError {
  status?: number;
  message?: string;
  response?: { data?: unknown; headers?: Record<string, string | undefined> };
  request?: { url?: string; method?: string };
  cause?: unknown;
}

/** A reader for `org` over `client`. */
export function createOrgReader(client: GithubClient, org: string): OrgReader {
  const calls = new Map<string, number>();
  const unavailable = new Map<string, UnavailableEndpoint>();
  const errors: InputError[] = [];
  let unauthorized = false;

  const count = (route: string): void => {
    calls.set(route, (calls.get(route) ?? 0) + 1);
  };

  /** Records a failed call; returns the "empty" value when the failure means "nothing here". */
  const fail = (route: string, error: unknown, notFoundIsEmpty: boolean): 'empty' | null => {
    readEndpoint(route);
    const failure = error as OctokitError;
    const status = typeof failure.status === 'number' ? failure.status : 0;
    const where = `${failure.request?.method ?? route.split(' ')[0]} ${pathOf(failure.request?.url) ?? route.slice(route.indexOf(' ') + 1)}`;
    if (status === 404 && notFoundIsEmpty) {
      count(route);
      return 'empty';
    }
    if (failure.cause instanceof SnapshotMissError) {
      errors.push({ file: `github:${org} ${where}`, message: failure.cause.message });
      return null;
    }
    const message = githubMessage(failure);
    if (status === 401) {
      unauthorized = true;
      errors.push({ file: `github:${org} ${where}`, message: `401 the credential was refused: ${message}` });
      return null;
    }
    const rateLimited =
      status === 429 ||
      (status === 403 &&
        (failure.response?.headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message)));
    if (rateLimited) {
      errors.push({
        file: `github:${org} ${where}`,
        message: `${status} rate limit not waited out: ${message}`,
      });
      return null;
    }
    if (status === 403 || status === 404 || status === 410 || status === 451) {
      const entry = unavailable.get(route);
      if (entry) entry.count += 1;
      else
        unavailable.set(route, {
          endpoint: route,
          status,
          reason: unavailableReason(route, status, message),
          count: 1,
          example: where,
        });
      return null;
    }
    errors.push({
      file: `github:${org} ${where}`,
      message: status ? `${status} ${message}` : message || 'request failed',
    });
    return null;
  };

  return {
    org,
    calls,
    unavailable,
    errors,
    get unauthorized() {
      return unauthorized;
    },
    async list<T>(route: string, params: Record<string, unknown>, options?: ReadOptions<T[]>) {
      if (unauthorized) return null;
      try {
        const limit = options?.limit;
        let read = 0;
        const items = await (client.octokit.paginate as unknown as Paginate)<T>(
          route,
          { per_page: 100, ...params },
          (response, done) => {
            const page = Array.isArray(response.data) ? (response.data as T[]) : [];
            read += page.length;
            if (limit !== undefined && read >= limit) done();
            return page;
          },
        );
        count(route);
        return items;
      } catch (error) {
        const notFound = options?.whenNotFound;
        return fail(route, error, notFound !== undefined) === 'empty' ? notFound! : null;
      }
    },
    async get<T>(route: string, params: Record<string, unknown>, options?: ReadOptions<T>) {
      if (unauthorized) return null;
      try {
        const response = await client.octokit.request(route, params);
        count(route);
        return response.data as T;
      } catch (error) {
        const notFound = options?.whenNotFound;
        return fail(route, error, notFound !== undefined) === 'empty' ? notFound! : null;
      }
    },
  };
}

function pathOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

function githubMessage(failure: OctokitError): string {
  const data = failure.response?.data;
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string') {
    return (data as { message: string }).message;
  }
  return failure.message ?? '';
}
