// Re-ingesting CloudTrail files with the cache file's digests: unchanged files are replayed, not parsed; results do not change.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteCloudTrailFileCache, type CloudTrailFileCache } from '../../../src/store/cloudtrailFiles.js';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { beginScan } from '../../../src/store/writes.js';
import {
  ingestCloudTrail,
  type CloudTrailIngestOptions,
  type CloudTrailIngestResult,
} from '../../../src/usage/cloudtrail/ingest.js';
import { fixtureEvents, OTRF_FILE, stratus, temporaryFolder, writeFile, writeS3Delivery } from './corpus.js';

let folder: { path: string; remove: () => void };
let db: Db;
beforeEach(() => {
  folder = temporaryFolder();
  db = openDatabase(join(folder.path, 'agentaudit.db'));
});
afterEach(() => {
  db.close();
  folder.remove();
});

/** A cache whose new digests are stamped with a new scan, as each `agentaudit scan` does. */
function newScanCache(): CloudTrailFileCache {
  const scanId = beginScan(db, {
    startedAt: '2026-01-01T00:00:00Z',
    asOf: '2026-01-01T00:00:00Z',
    since: null,
  });
  return sqliteCloudTrailFileCache(db, scanId);
}

const ingest = (paths: string[], options: CloudTrailIngestOptions = {}) =>
  ingestCloudTrail(paths, { concurrency: 1, ...options });

/** The result without what only says how it was obtained. */
function withoutReuse(result: CloudTrailIngestResult): unknown {
  const { reused: _reused, ...coverage } = result.coverage;
  return { ...result, coverage, reusedFromScans: [] };
}

/** Two days of S3 deliveries from real events, one delivered twice, and a JSONL export. */
function deliveries(root: string): { changing: string } {
  const delivery = { account: '111122223333', region: 'eu-west-1' };
  const first = writeS3Delivery(
    root,
    { ...delivery, day: '2024-08-02', name: '20240802T0820Z_a' },
    stratus.stealInstanceCredentials(),
  );
  copyFileSync(first, first.replace('_a.json.gz', '_a-redelivered.json.gz'));
  const changing = writeS3Delivery(
    root,
    { ...delivery, day: '2024-08-03', name: '20240803T1000Z_b' },
    stratus.ssmParameters(),
  );
  copyFileSync(OTRF_FILE, join(root, 'otrf.jsonl'));
  return { changing };
}

describe('re-ingesting the same files', () => {
  it('replays every unchanged file from its digest and gives the same result as reading them', async () => {
    // Given deliveries read once with the cache
    const root = join(folder.path, 'logs');
    deliveries(root);
    const firstScan = await ingest([root], { fileCache: newScanCache() });

    // When the same files are ingested again in a later scan
    const secondScan = await ingest([root], { fileCache: newScanCache() });

    // Then none is parsed again — all four are reused from scan 1 — and the result is the same as reading them
    expect(firstScan.coverage).toMatchObject({ files: 4, reused: 0 });
    expect(secondScan.coverage).toMatchObject({ files: 4, reused: 4 });
    expect(secondScan.reusedFromScans).toEqual([1]);
    expect(withoutReuse(secondScan)).toEqual(withoutReuse(firstScan));
    expect(withoutReuse(secondScan)).toEqual(withoutReuse(await ingest([root])));
    // The re-delivered copy still counts as duplicates, not as new events
    expect(secondScan.coverage.duplicates).toBe(stratus.stealInstanceCredentials().length);
  });

  it('reads a changed file again, and only that one', async () => {
    // Given deliveries read once with the cache
    const root = join(folder.path, 'logs');
    const { changing } = deliveries(root);
    await ingest([root], { fileCache: newScanCache() });

    // When one delivery is rewritten with one more event, and everything is ingested again
    const events = [...stratus.ssmParameters(), ...stratus.bedrock().slice(0, 1)];
    writeFileSync(changing, gzipSync(JSON.stringify({ Records: events })));
    const again = await ingest([root], { fileCache: newScanCache() });

    // Then the three unchanged files are reused, the changed one is read, and usage shows its new event
    expect(again.coverage).toMatchObject({ files: 4, reused: 3 });
    expect(withoutReuse(again)).toEqual(withoutReuse(await ingest([root])));

    // And the next scan reuses the changed file's new digest too
    const third = await ingest([root], { fileCache: newScanCache() });
    expect(third.coverage.reused).toBe(4);
    expect(third.reusedFromScans).toEqual([1, 2]);
    expect(withoutReuse(third)).toEqual(withoutReuse(again));
  });

  it('reads a file of the same size but other content again (the hash decides, not the size)', async () => {
    // Given a delivery read once
    const original = JSON.stringify(stratus.stealInstanceCredentials());
    const file = writeFile(folder.path, 'a.json', original);
    await ingest([file], { fileCache: newScanCache() });

    // When the first letter of an eventName changes, keeping the file's size
    const changed = original.replace(/"eventName":"./, '"eventName":"Z');
    expect(changed.length).toBe(original.length);
    writeFileSync(file, changed);
    const again = await ingest([file], { fileCache: newScanCache() });

    // Then it is read again and its new content counts
    expect(again.coverage.reused).toBe(0);
    expect(again.usage.some((row) => row.eventName.startsWith('Z'))).toBe(true);
  });

  it('keeps no digest of a file with errors: it is read, and reported, every time', async () => {
    // Given a truncated delivery next to a good one
    const whole = gzipSync(JSON.stringify({ Records: stratus.stealInstanceCredentials() }));
    const truncated = writeFile(
      folder.path,
      'cut.json.gz',
      whole.subarray(0, Math.floor(whole.length * 0.6)),
    );
    const good = writeFile(folder.path, 'good.json', JSON.stringify(stratus.ssmParameters()));
    const first = await ingest([truncated, good], { fileCache: newScanCache() });

    // When both are ingested again
    const again = await ingest([truncated, good], { fileCache: newScanCache() });

    // Then the good file is reused, and the cut one is read again and reported as before
    expect(again.coverage.reused).toBe(1);
    expect(again.coverage.errors).toEqual(first.coverage.errors);
    expect(again.coverage.errors).toEqual([expect.objectContaining({ file: truncated })]);
  });

  it('applies the evidence window to replayed events as to read ones, so a file across its edge is right', async () => {
    // Given the OTRF export (events from 00:44 to later that night) read once without a window
    await ingest([OTRF_FILE], { fileCache: newScanCache() });

    // When it is ingested again with a window that cuts through it
    const window = { since: '2020-09-14T00:44:00Z', until: '2020-09-14T00:54:00Z' };
    const replayed = await ingest([OTRF_FILE], { ...window, fileCache: newScanCache() });

    // Then the file is reused, and the result is that of reading it with the window
    expect(replayed.coverage.reused).toBe(1);
    expect(withoutReuse(replayed)).toEqual(withoutReuse(await ingest([OTRF_FILE], window)));
  });

  it('reads the events of every shape again identically (arrays, single objects, JSONL, LookupEvents)', async () => {
    // Given files of the other shapes: a bare array, a single object, LookupEvents output with events as strings
    const array = writeFile(folder.path, 'array.json', JSON.stringify(stratus.federationToken()));
    const [single] = fixtureEvents('traildiscover', 'SendEmail.json.cloudtrail');
    const object = writeFile(folder.path, 'single.json', JSON.stringify(single));
    const lookup = writeFile(
      folder.path,
      'lookup.json',
      JSON.stringify({
        Events: stratus
          .consoleLogin()
          .map((event) => ({ EventId: event.eventID, CloudTrailEvent: JSON.stringify(event) })),
      }),
    );
    const paths = [array, object, lookup, OTRF_FILE];
    const read = await ingest(paths, { fileCache: newScanCache() });

    // When they are ingested again
    const replayed = await ingest(paths, { fileCache: newScanCache() });

    // Then all are reused and nothing differs
    expect(replayed.coverage.reused).toBe(4);
    expect(withoutReuse(replayed)).toEqual(withoutReuse(read));
  });
});
