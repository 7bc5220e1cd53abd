// The HTTP response cache: conditional-request validators and bodies of earlier GETs, in the cache file or in memory.
import type { Db } from './database.js';

/** A response as the cache keeps it. Bodies are stored masked (see `createHttpFetch`). */
export interface CachedResponse {
  url: string;
  status: number;
  etag: string | null;
  lastModified: string | null;
  /** Response headers worth replaying (content-type, link, pagination cursors); never auth headers. */
  headers: Record<string, string>;
  body: string;
  storedAt: string;
}

/** Where connectors keep responses between scans. Keys are opaque hashes chosen by the HTTP layer. */
export interface HttpResponseCache {
  get(key: string): CachedResponse | null;
  put(key: string, response: CachedResponse): void;
}

/** A cache that lives as long as the process (tests, and commands without a cache file). */
export function memoryHttpCache(): HttpResponseCache {
  const entries = new Map<string, CachedResponse>();
  return {
    get: (key) => entries.get(key) ?? null,
    put: (key, response) => {
      entries.set(key, response);
    },
  };
}

interface CacheRow {
  url: string;
  status: number;
  etag: string | null;
  last_modified: string | null;
  headers: string;
  body: string;
  stored_at: string;
}

/** The cache in the `http_cache` table of the cache file. */
export function sqliteHttpCache(db: Db): HttpResponseCache {
  const select = db.prepare(
    'SELECT url, status, etag, last_modified, headers, body, stored_at FROM http_cache WHERE key = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO http_cache (key, url, status, etag, last_modified, headers, body, stored_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET url = excluded.url, status = excluded.status, etag = excluded.etag,
       last_modified = excluded.last_modified, headers = excluded.headers, body = excluded.body,
       stored_at = excluded.stored_at`,
  );
  return {
    get(key) {
      const row = select.get(key) as CacheRow | undefined;
      if (!row) return null;
      return {
        url: row.url,
        status: row.status,
        etag: row.etag,
        lastModified: row.last_modified,
        headers: JSON.parse(row.headers) as Record<string, string>,
        body: row.body,
        storedAt: row.stored_at,
      };
    },
    put(key, response) {
      upsert.run(
        key,
        response.url,
        response.status,
        response.etag,
        response.lastModified,
        JSON.stringify(response.headers),
        response.body,
        response.storedAt,
      );
    },
  };
}
