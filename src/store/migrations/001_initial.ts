// Migration 1: the model of DESIGN.md — per-scan snapshots of identities, credentials, grants, usage, people, edges and findings.
import type { Migration } from './registry.js';

/** Every inventory table carries scan_id: each scan is a snapshot, so a failed scan never touches the last good one. */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  sql: `
    CREATE TABLE scans (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      as_of TEXT NOT NULL,
      since TEXT,
      status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'partial', 'failed')),
      coverage TEXT NOT NULL DEFAULT '{}',
      error TEXT
    );
    CREATE TABLE scan_sources (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('ok', 'partial', 'failed')),
      detail TEXT NOT NULL,
      PRIMARY KEY (scan_id, name)
    );
    CREATE TABLE identities (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      id TEXT NOT NULL,
      provider TEXT NOT NULL,
      kind TEXT NOT NULL,
      name TEXT NOT NULL,
      account TEXT,
      arn TEXT,
      is_human INTEGER NOT NULL DEFAULT 0,
      owner TEXT,
      owner_source TEXT,
      purpose TEXT,
      created_at TEXT,
      last_used_at TEXT,
      expires_at TEXT,
      is_agent INTEGER NOT NULL DEFAULT 0,
      agent_evidence TEXT NOT NULL DEFAULT '[]',
      tags TEXT NOT NULL DEFAULT '{}',
      attributes TEXT NOT NULL DEFAULT '{}',
      PRIMARY KEY (scan_id, id)
    );
    CREATE TABLE credentials (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      id TEXT NOT NULL,
      identity_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      key_id TEXT,
      created_at TEXT,
      last_rotated_at TEXT,
      last_used_at TEXT,
      expires_at TEXT,
      status TEXT NOT NULL,
      scopes TEXT NOT NULL DEFAULT '[]',
      fingerprint TEXT,
      hint TEXT,
      attributes TEXT NOT NULL DEFAULT '{}',
      PRIMARY KEY (scan_id, id)
    );
    CREATE INDEX credentials_identity ON credentials (scan_id, identity_id);
    CREATE TABLE grants (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      identity_id TEXT NOT NULL,
      permission TEXT NOT NULL,
      resource TEXT NOT NULL,
      effect TEXT NOT NULL CHECK (effect IN ('allow', 'deny')),
      not_action INTEGER NOT NULL DEFAULT 0,
      source_policy TEXT NOT NULL,
      conditional INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX grants_identity ON grants (scan_id, identity_id);
    CREATE TABLE usage (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      identity_id TEXT NOT NULL,
      credential_id TEXT,
      permission TEXT,
      event_source TEXT NOT NULL,
      event_name TEXT NOT NULL,
      resource TEXT,
      first_seen TEXT NOT NULL,
      last_seen TEXT NOT NULL,
      count INTEGER NOT NULL,
      user_agents TEXT NOT NULL DEFAULT '[]',
      source_addresses TEXT NOT NULL DEFAULT '[]',
      session_names TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX usage_identity ON usage (scan_id, identity_id);
    CREATE TABLE client_activity (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      identity_id TEXT NOT NULL,
      credential_id TEXT,
      client_family TEXT NOT NULL,
      automated INTEGER NOT NULL,
      agent INTEGER NOT NULL,
      source_network TEXT NOT NULL,
      count INTEGER NOT NULL,
      first_seen TEXT NOT NULL,
      last_seen TEXT NOT NULL,
      peak_per_minute INTEGER NOT NULL
    );
    CREATE INDEX client_activity_identity ON client_activity (scan_id, identity_id);
    CREATE TABLE people (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      id TEXT NOT NULL,
      name TEXT,
      email TEXT,
      status TEXT NOT NULL CHECK (status IN ('active', 'departed', 'unknown')),
      source TEXT NOT NULL,
      PRIMARY KEY (scan_id, id)
    );
    CREATE TABLE edges (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      src TEXT NOT NULL,
      dst TEXT NOT NULL,
      kind TEXT NOT NULL,
      evidence TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE findings (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      id TEXT NOT NULL,
      rule_id TEXT NOT NULL,
      title TEXT NOT NULL,
      severity TEXT NOT NULL,
      category TEXT NOT NULL,
      resource TEXT NOT NULL,
      reason TEXT NOT NULL,
      evidence TEXT NOT NULL DEFAULT '{}',
      remediation TEXT NOT NULL,
      refs TEXT NOT NULL DEFAULT '[]',
      suppressed_by TEXT,
      PRIMARY KEY (scan_id, id)
    );
    CREATE TABLE rule_stats (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      rule_id TEXT NOT NULL,
      checked INTEGER NOT NULL,
      alarms INTEGER NOT NULL,
      ok INTEGER NOT NULL,
      skipped INTEGER NOT NULL,
      suppressed INTEGER NOT NULL,
      error TEXT,
      PRIMARY KEY (scan_id, rule_id)
    );
    CREATE TABLE suppressions (
      fingerprint TEXT PRIMARY KEY,
      rule_id TEXT,
      resource TEXT,
      reason TEXT NOT NULL,
      expires_at TEXT,
      created_at TEXT NOT NULL,
      created_by TEXT
    );
  `,
};
