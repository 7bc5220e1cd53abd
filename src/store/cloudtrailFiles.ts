// The CloudTrail file digests of the cache file: looked up by key and size, written in batch transactions.
import type { Db } from './database.js';

/** A file's digest as the cache holds it. */
export interface CachedCloudTrailFile {
  /** sha256 (hex) of the file's bytes when it was read. */
  sha256: string;
  digest: Uint8Array;
  /** The scan that read it. */
  scanId: number;
}

/** A digest to keep: the file's key (its absolute path), size and hash, and what was read from it. */
export interface CloudTrailFileDigest {
  key: string;
  bytes: number;
  sha256: string;
  digest: Uint8Array;
}

/**
 * Where the digests of files already read are kept between scans, so that an unchanged file (same key, size and
 * hash) is replayed instead of parsed again. Injected (the scan service passes the cache file's table), so that
 * ingestion holds no SQL.
 */
export interface CloudTrailFileCache {
  /** The digest kept for the file at `key` when it was `bytes` long; null when there is none. */
  get(key: string, bytes: number): CachedCloudTrailFile | null;
  /** Keeps these digests, replacing any kept for the same keys (called in batches, from one thread). */
  putMany(digests: readonly CloudTrailFileDigest[]): void;
}

interface DigestRow {
  sha256: string;
  digest: Buffer;
  scan_id: number;
}

/** The `cloudtrail_files` table as ingestion's file cache; digests written now are stamped with `scanId`. */
export function sqliteCloudTrailFileCache(db: Db, scanId: number): CloudTrailFileCache {
  const select = db.prepare(
    'SELECT sha256, digest, scan_id FROM cloudtrail_files WHERE file_key = ? AND bytes = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO cloudtrail_files (file_key, bytes, sha256, scan_id, digest) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (file_key) DO UPDATE SET bytes = excluded.bytes, sha256 = excluded.sha256,
       scan_id = excluded.scan_id, digest = excluded.digest`,
  );
  const writeAll = db.transaction((digests: readonly CloudTrailFileDigest[]) => {
    for (const file of digests) upsert.run(file.key, file.bytes, file.sha256, scanId, file.digest);
  });
  return {
    get(key, bytes): CachedCloudTrailFile | null {
      const row = select.get(key, bytes) as DigestRow | undefined;
      return row ? { sha256: row.sha256, digest: row.digest, scanId: row.scan_id } : null;
    },
    putMany(digests) {
      writeAll(digests);
    },
  };
}
