// A local HTTP server (127.0.0.1, port 0) answering from a fixture file of routes: a fake SaaS tenant for connector tests.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One route of a fixture: the request it answers and the response. */
interface FixtureRoute {
  method?: string;
  path: string;
  /** Query parameters the request must carry (null: must be absent). Others are ignored. */
  query?: Record<string, string | null>;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Answered to the first matching request only, before the normal response (a 429 to retry). */
  first?: { status: number; headers?: Record<string, string>; body?: unknown };
}

/** A fixture file: where its shapes come from, and its routes. */
interface Fixture {
  _documentation: string[];
  routes: FixtureRoute[];
}

/** A request the server saw. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  status: number;
}

/** A running fixture server. */
export interface FixtureServer {
  base: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** `{base}` becomes the server's URL and `{epoch+N}` the UTC epoch second N seconds from now, in headers and bodies. */
function expand(text: string, base: string): string {
  return text
    .replaceAll('{base}', base)
    .replace(/\{epoch\+(\d+)\}/g, (_match, seconds: string) =>
      String(Math.ceil(Date.now() / 1000) + Number(seconds)),
    );
}

/** Starts a server for the routes of `file`; unmatched requests get a 404 naming them. */
export async function startFixtureServer(file: string): Promise<FixtureServer> {
  const fixture = JSON.parse(fs.readFileSync(file, 'utf8')) as Fixture;
  const seen: SeenRequest[] = [];
  const answeredFirst = new Set<FixtureRoute>();
  let base = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    const route = fixture.routes.find(
      (candidate) =>
        (candidate.method ?? 'GET') === method &&
        candidate.path === url.pathname &&
        Object.entries(candidate.query ?? {}).every(([name, value]) =>
          value === null ? !url.searchParams.has(name) : url.searchParams.get(name) === value,
        ),
    );
    const answer = (status: number, headers: Record<string, string> = {}, body?: unknown): void => {
      seen.push({ method, path: url.pathname, query: url.searchParams, headers: req.headers, status });
      const expanded = Object.fromEntries(
        Object.entries(headers).map(([key, value]) => [key, expand(value, base)]),
      );
      res.writeHead(status, status === 304 ? expanded : { 'content-type': 'application/json', ...expanded });
      res.end(body === undefined ? '' : expand(JSON.stringify(body), base));
    };
    if (!route) {
      answer(404, {}, { error: `no fixture route for ${method} ${url.pathname}${url.search}` });
      return;
    }
    if (route.first && !answeredFirst.has(route)) {
      answeredFirst.add(route);
      answer(route.first.status, route.first.headers, route.first.body);
      return;
    }
    // Every 200 carries an ETag, and a request that presents it gets a 304, as the vendors' APIs do.
    const status = route.status ?? 200;
    if (status !== 200) {
      answer(status, route.headers, route.body);
      return;
    }
    const etag = `"${createHash('sha256')
      .update(JSON.stringify(route.body ?? null))
      .digest('hex')
      .slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) answer(304, { etag });
    else answer(200, { ...route.headers, etag }, route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
