// The built CLI code (dist/) gives the same result with worker threads as in-process, reading files or replaying their digests.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { sqliteCloudTrailFileCache as SqliteCache } from '../../../src/store/cloudtrailFiles.js';
import type { openDatabase as OpenDatabase } from '../../../src/store/database.js';
import type { beginScan as BeginScan } from '../../../src/store/writes.js';
import type {
  CloudTrailIngestResult,
  ingestCloudTrail as IngestCloudTrail,
} from '../../../src/usage/cloudtrail/ingest.js';
import { FIXTURES, OTRF_FILE } from './corpus.js';

const DIST = fileURLToPath(new URL('../../../dist/', import.meta.url));
const BUILT = join(DIST, 'usage/cloudtrail/ingest.js');
const load = async <T>(module: string): Promise<T> =>
  (await import(pathToFileURL(join(DIST, module)).href)) as T;
const paths = [join(FIXTURES, 'traildiscover'), join(FIXTURES, 'stratus-detonation-logs'), OTRF_FILE];

describe.skipIf(!existsSync(BUILT))('ingestion on worker threads (built dist/)', () => {
  it('gives identical results with concurrency 1 and 2', async () => {
    // Given the built module and every fixture (many small files, so both workers get some)
    const { ingestCloudTrail } = await load<{ ingestCloudTrail: typeof IngestCloudTrail }>(
      'usage/cloudtrail/ingest.js',
    );

    // When it is ingested in-process and on two worker threads
    const inProcess = await ingestCloudTrail(paths, { concurrency: 1 });
    const onWorkers = await ingestCloudTrail(paths, { concurrency: 2 });

    // Then the results are the same, duplicates across workers included
    expect(onWorkers).toEqual(inProcess);
    expect(onWorkers.coverage).toMatchObject({ events: 196, duplicates: 2 });
  });

  it('replays unchanged files on worker threads and gives the same result', async () => {
    // Given the built module and a cache file
    const { ingestCloudTrail } = await load<{ ingestCloudTrail: typeof IngestCloudTrail }>(
      'usage/cloudtrail/ingest.js',
    );
    const { openDatabase } = await load<{ openDatabase: typeof OpenDatabase }>('store/database.js');
    const { beginScan } = await load<{ beginScan: typeof BeginScan }>('store/writes.js');
    const { sqliteCloudTrailFileCache } = await load<{ sqliteCloudTrailFileCache: typeof SqliteCache }>(
      'store/cloudtrailFiles.js',
    );
    const folder = mkdtempSync(join(tmpdir(), 'agentaudit-workers-'));
    const db = openDatabase(join(folder, 'agentaudit.db'));
    const scan = () =>
      sqliteCloudTrailFileCache(
        db,
        beginScan(db, { startedAt: '2026-01-01T00:00:00Z', asOf: '2026-01-01T00:00:00Z', since: null }),
      );
    const plain = (result: CloudTrailIngestResult) => {
      const { reused: _reused, ...coverage } = result.coverage;
      return { ...result, coverage, reusedFromScans: [] };
    };

    // When the fixtures are ingested twice on two workers with the cache
    const first = await ingestCloudTrail(paths, { concurrency: 2, fileCache: scan() });
    const second = await ingestCloudTrail(paths, { concurrency: 2, fileCache: scan() });
    db.close();
    rmSync(folder, { recursive: true, force: true });

    // Then the second run replays every file, and both equal an in-process read without a cache
    expect(first.coverage.reused).toBe(0);
    expect(second.coverage.reused).toBe(second.coverage.files);
    const reference = await ingestCloudTrail(paths, { concurrency: 1 });
    expect(plain(first)).toEqual(reference);
    expect(plain(second)).toEqual(reference);
  });
});
