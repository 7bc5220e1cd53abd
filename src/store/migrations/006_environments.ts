// Migration 6: environment isolation — each place's prod / non-prod verdict, and the places each credential is seen in.
import type { Migration } from './registry.js';

/**
 * Both derived during the scan by src/analysis/environments.ts. `environment_places` holds one row per place (AWS
 * account, GitHub environment or organization, SaaS tenant, holder of a secret on disk) with its verdict (`prod`,
 * `nonprod` or null) and the evidence; `credential_places` one row per credential and place it is held or used in.
 */
export const environmentsSchema: Migration = {
  version: 6,
  name: 'environment places and credential places',
  sql: `
    CREATE TABLE environment_places (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      place TEXT NOT NULL,
      kind TEXT NOT NULL,
      name TEXT NOT NULL,
      label TEXT NOT NULL,
      environment TEXT CHECK (environment IN ('prod', 'nonprod')),
      evidence TEXT NOT NULL,
      PRIMARY KEY (scan_id, place)
    );
    CREATE TABLE credential_places (
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      credential TEXT NOT NULL,
      credential_kind TEXT NOT NULL,
      label TEXT NOT NULL,
      credential_id TEXT,
      identity_id TEXT,
      place TEXT NOT NULL,
      via TEXT NOT NULL,
      agent INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (scan_id, credential, place)
    );
  `,
};
