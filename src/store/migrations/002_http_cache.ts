// Migration 2: the HTTP response cache (ETag / Last-Modified) that lets a re-scan of an API cost almost no rate limit.
import type { Migration } from './registry.js';

/**
 * One row per cached GET: `key` is a hash of the credential's fingerprint and the URL (so two tokens that see
 * different data never share an entry); bodies are stored with secret-shaped strings masked.
 */
export const httpCacheSchema: Migration = {
  version: 2,
  name: 'http response cache',
  sql: `
    CREATE TABLE http_cache (
      key TEXT PRIMARY KEY,
      url TEXT NOT NULL,
      status INTEGER NOT NULL,
      etag TEXT,
      last_modified TEXT,
      headers TEXT NOT NULL DEFAULT '{}',
      body TEXT NOT NULL,
      stored_at TEXT NOT NULL
    );
  `,
};
