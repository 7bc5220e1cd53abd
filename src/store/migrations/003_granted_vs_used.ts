// Migration 3: policy documents kept whole (each distinct one once per scan), granted-vs-used summaries, trusted accounts.
import type { Migration } from './registry.js';

/**
 * `policy_documents` holds each distinct document of a scan once (many identities share a managed policy);
 * `policy_attachments` says which identity it reaches and whether it grants (`identity`) or caps (`boundary`).
 * `permission_summaries` is derived during the scan (granted vs used per identity); `trusted_accounts` is the
 * config's list of accounts outside the inventory that belong to the estate.
 */
export const grantedVsUsedSchema: Migration = {
  version: 3,
  name: 'policy documents, granted vs used, trusted accounts',
  sql: `
    CREATE TABLE policy_documents (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      hash TEXT NOT NULL,
      document TEXT NOT NULL,
      PRIMARY KEY (scan_id, hash)
    );
    CREATE TABLE policy_attachments (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      identity_id TEXT NOT NULL,
      source_policy TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('identity', 'boundary')),
      document_hash TEXT NOT NULL
    );
    CREATE INDEX policy_attachments_identity ON policy_attachments (scan_id, identity_id);
    CREATE TABLE permission_summaries (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      identity_id TEXT NOT NULL,
      granted_count INTEGER NOT NULL,
      granted_conditional INTEGER NOT NULL,
      granted_write INTEGER NOT NULL,
      granted_services INTEGER NOT NULL,
      used_count INTEGER NOT NULL,
      used_not_granted INTEGER NOT NULL,
      unused_count INTEGER NOT NULL,
      unused_write INTEGER NOT NULL,
      unused_unobservable INTEGER NOT NULL,
      unused_services TEXT NOT NULL DEFAULT '[]',
      unobservable_services TEXT NOT NULL DEFAULT '[]',
      used_services TEXT NOT NULL DEFAULT '[]',
      boundary TEXT,
      removed_by_boundary INTEGER NOT NULL DEFAULT 0,
      policies_complete INTEGER NOT NULL,
      first_used TEXT,
      last_used TEXT,
      window_since TEXT,
      window_until TEXT,
      first_event TEXT,
      last_event TEXT,
      PRIMARY KEY (scan_id, identity_id)
    );
    CREATE TABLE trusted_accounts (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      account TEXT NOT NULL,
      PRIMARY KEY (scan_id, account)
    );
  `,
};
