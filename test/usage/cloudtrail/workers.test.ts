// The built CLI code (dist/) gives the same result with worker threads as in-process.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ingestCloudTrail as IngestCloudTrail } from '../../../src/usage/cloudtrail/ingest.js';
import { FIXTURES, OTRF_FILE } from './corpus.js';

const BUILT = fileURLToPath(new URL('../../../dist/usage/cloudtrail/ingest.js', import.meta.url));

describe.skipIf(!existsSync(BUILT))('ingestion on worker threads (built dist/)', () => {
  it('gives identical results with concurrency 1 and 2', async () => {
    // Given the built module and every fixture (many small files, so both workers get some)
    const { ingestCloudTrail } = (await import(pathToFileURL(BUILT).href)) as {
      ingestCloudTrail: typeof IngestCloudTrail;
    };
    const paths = [join(FIXTURES, 'traildiscover'), join(FIXTURES, 'stratus-detonation-logs'), OTRF_FILE];

    // When it is ingested in-process and on two worker threads
    const inProcess = await ingestCloudTrail(paths, { concurrency: 1 });
    const onWorkers = await ingestCloudTrail(paths, { concurrency: 2 });

    // Then the results are the same, duplicates across workers included
    expect(onWorkers).toEqual(inProcess);
    expect(onWorkers.coverage).toMatchObject({ events: 196, duplicates: 2 });
  });
});
