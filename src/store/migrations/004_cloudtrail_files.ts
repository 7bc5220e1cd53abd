// Migration 4: digests of CloudTrail files already read, so that a re-scan replays unchanged files instead of parsing them.
import type { Migration } from './registry.js';

/**
 * One row per file read cleanly: its key (absolute path), size and sha256, the scan that read it, and its digest —
 * the facts aggregation takes from each of its events (see src/usage/cloudtrail/fileDigest.ts). Not a snapshot:
 * a digest depends only on the file's bytes, so every scan may reuse it, and it is replaced when the file changes.
 */
export const cloudtrailFilesSchema: Migration = {
  version: 4,
  name: 'cloudtrail file digests',
  sql: `
    CREATE TABLE cloudtrail_files (
      file_key TEXT PRIMARY KEY,
      bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      digest BLOB NOT NULL
    );
    CREATE INDEX cloudtrail_files_scan ON cloudtrail_files (scan_id);
  `,
};
