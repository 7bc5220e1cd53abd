// `agentaudit scan` twice over the same CloudTrail files: the second scan reads none of them again, says so, and stores the same usage.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScan } from '../../../src/scan/service.js';
import { openDatabaseReadOnly } from '../../../src/store/database.js';
import { getScan } from '../../../src/store/reads.js';
import { cloudtrailSource } from '../../../src/usage/cloudtrail/source.js';
import { OTRF_FILE, stratus, writeS3Delivery } from './corpus.js';

const AS_OF = '2026-06-01T00:00:00Z';

function scanOnce(dbPath: string, logs: string) {
  const planned = cloudtrailSource.plan({ cloudtrail: [logs] }, {});
  if (!planned) throw new Error('the cloudtrail source was not planned');
  return runScan({
    dbPath,
    asOf: AS_OF,
    since: '2020-01-01T00:00:00Z',
    sources: [planned],
    rulesDirs: [],
    config: {},
    baseline: null,
    concurrency: 1,
  });
}

/** The usage rows a scan stored, without their scan id. */
function storedUsage(dbPath: string, scanId: number): unknown[] {
  const db = openDatabaseReadOnly(dbPath);
  try {
    return db
      .prepare(
        'SELECT * FROM usage WHERE scan_id = ? ORDER BY identity_id, event_source, event_name, resource',
      )
      .all(scanId)
      .map((row) => ({ ...(row as Record<string, unknown>), scan_id: undefined }));
  } finally {
    db.close();
  }
}

describe('scanning the same CloudTrail files again', () => {
  it('reuses every unchanged file, says so in the source detail and coverage, and stores the same usage', async () => {
    // Given a cache after one scan of S3 deliveries and a JSONL export
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-reuse-'));
    const logs = path.join(folder, 'logs');
    const delivery = { account: '111122223333', region: 'eu-west-1', day: '2024-08-02' };
    writeS3Delivery(logs, { ...delivery, name: '20240802T0820Z_a' }, stratus.stealInstanceCredentials());
    writeS3Delivery(logs, { ...delivery, name: '20240802T0825Z_b' }, stratus.ssmParameters());
    fs.copyFileSync(OTRF_FILE, path.join(logs, 'otrf.jsonl'));
    const dbPath = path.join(folder, 'agentaudit.db');
    const first = await scanOnce(dbPath, logs);

    // When the same folder is scanned again
    const second = await scanOnce(dbPath, logs);

    // Then the second scan reused the three files of the first, and said so
    const detail = second.sources.find((source) => source.name === 'cloudtrail')?.detail;
    expect(detail).toContain(`3 files unchanged since scan ${first.scanId}, reused`);
    expect(first.sources.find((source) => source.name === 'cloudtrail')?.detail).not.toContain('reused');
    const db = openDatabaseReadOnly(dbPath);
    const coverage = getScan(db, second.scanId)!.coverage as {
      cloudtrail: { files: number; reused: number };
    };
    db.close();
    expect(coverage.cloudtrail).toMatchObject({ files: 3, reused: 3 });

    // And its snapshot holds the same usage as the first one
    const usage = storedUsage(dbPath, second.scanId);
    expect(usage.length).toBeGreaterThan(0);
    expect(usage).toEqual(storedUsage(dbPath, first.scanId));
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
