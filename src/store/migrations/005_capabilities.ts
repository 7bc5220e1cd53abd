// Migration 5: resources identities act on (GitHub repositories) and the capabilities each identity holds, for the confused-deputy rule.
import type { Migration } from './registry.js';

/**
 * `resources` is inventory (what a connector saw); `identity_capabilities` is derived during the scan from the
 * capability catalogue (`rules/capabilities/*.yaml`), the grants and the usage.
 */
export const capabilitiesSchema: Migration = {
  version: 5,
  name: 'resources and identity capabilities',
  sql: `
    CREATE TABLE resources (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      id TEXT NOT NULL,
      provider TEXT NOT NULL,
      kind TEXT NOT NULL,
      name TEXT NOT NULL,
      account TEXT,
      attributes TEXT NOT NULL DEFAULT '{}',
      PRIMARY KEY (scan_id, id)
    );
    CREATE TABLE identity_capabilities (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      identity_id TEXT NOT NULL,
      capability_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('untrusted-read', 'consequential-write')),
      title TEXT NOT NULL,
      granted_by TEXT NOT NULL DEFAULT '[]',
      reach TEXT NOT NULL DEFAULT '[]',
      used INTEGER NOT NULL,
      used_count INTEGER NOT NULL,
      used_permissions TEXT NOT NULL DEFAULT '[]',
      PRIMARY KEY (scan_id, identity_id, capability_id)
    );
  `,
};
