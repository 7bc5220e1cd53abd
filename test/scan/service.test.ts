// The scan service with planned sources: a source that breaks fails alone, links join observations, the window is kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSince } from '../../src/cli/common.js';
import type { PlannedSource } from '../../src/connectors/contract.js';
import { UserError } from '../../src/errors/errors.js';
import { inventoryFromCase } from '../../src/rules/selftest.js';
import { mergeInventories } from '../../src/scan/mergeInventory.js';
import type { ProgressEvent } from '../../src/scan/progress.js';
import { runScan } from '../../src/scan/service.js';
import { openDatabaseReadOnly } from '../../src/store/database.js';
import { getScan } from '../../src/store/reads.js';

const AS_OF = '2026-06-01T00:00:00Z';
const dbFile = (): string =>
  path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-service-')), 'agentaudit.db');

const userSource: PlannedSource = {
  id: 'fake-inventory',
  collect: (context) => {
    context.progress({ phase: 'update', message: 'listing users', counts: { users: 1 } });
    return Promise.resolve([
      {
        name: 'fake-inventory',
        inventory: inventoryFromCase({
          identities: [{ id: 'aws:iam-user:arn:aws:iam::111122223333:user/ci', name: 'ci' }],
        }),
        coverage: { fake: { users: 1 } },
        errors: [],
        detail: '1 user',
      },
    ]);
  },
};

const brokenSource: PlannedSource = {
  id: 'broken',
  collect: () => Promise.reject(new Error('socket hang up')),
};

const scan = (dbPath: string, sources: PlannedSource[], onProgress?: (event: ProgressEvent) => void) =>
  runScan({
    dbPath,
    asOf: AS_OF,
    since: '2026-03-03T00:00:00Z',
    sources,
    rulesDirs: [],
    config: {},
    baseline: null,
    concurrency: 1,
    onProgress,
  });

describe('runScan with sources', () => {
  it('keeps what the other sources read when one throws, and marks that one failed and the scan partial', async () => {
    // Given one working and one broken source
    const dbPath = dbFile();
    const events: ProgressEvent[] = [];
    // When the scan runs
    const outcome = await scan(dbPath, [userSource, brokenSource], (event) => events.push(event));
    // Then the scan is partial, the broken source failed with its message, and the user was stored
    expect(outcome.status).toBe('partial');
    expect(outcome.sources.find((s) => s.name === 'broken')).toMatchObject({ status: 'failed' });
    expect(outcome.sources.find((s) => s.name === 'broken')!.detail).toContain('socket hang up');
    const db = openDatabaseReadOnly(dbPath);
    const stored = db.prepare('SELECT name FROM identities WHERE scan_id = ?').all(outcome.scanId);
    const record = getScan(db, outcome.scanId)!;
    db.close();
    expect(stored).toEqual([{ name: 'ci' }]);
    // And the scan records its evidence window and each source's coverage
    expect(record.since).toBe('2026-03-03T00:00:00Z');
    expect(record.coverage).toMatchObject({
      fake: { users: 1 },
      window: { since: '2026-03-03T00:00:00Z', until: AS_OF },
    });
    // And progress named the source that spoke
    expect(events.find((e) => e.message === 'listing users')).toMatchObject({
      source: 'fake-inventory',
      counts: { users: 1 },
    });
  });

  it('applies a source link after every inventory is merged', async () => {
    // Given a source whose link marks every identity it did not find itself
    const linker: PlannedSource = {
      id: 'linker',
      collect: () =>
        Promise.resolve([
          {
            name: 'linker',
            inventory: {},
            coverage: {},
            errors: [],
            detail: 'links',
            link: (inventory) => ({
              ...inventory,
              identities: inventory.identities.map((i) => ({ ...i, purpose: 'linked' })),
            }),
          },
        ]),
    };
    // When both run (the linker listed first)
    const dbPath = dbFile();
    const outcome = await scan(dbPath, [linker, userSource]);
    // Then the link saw the other source's identity
    const db = openDatabaseReadOnly(dbPath);
    const row = db.prepare('SELECT purpose FROM identities WHERE scan_id = ?').get(outcome.scanId);
    db.close();
    expect(row).toEqual({ purpose: 'linked' });
    expect(outcome.status).toBe('complete');
  });
});

describe('mergeInventories', () => {
  it('keeps the first identity of a duplicate id and every usage row', () => {
    const a = inventoryFromCase({ identities: [{ id: 'x', name: 'from-a' }] });
    const b = inventoryFromCase({
      identities: [
        { id: 'x', name: 'from-b' },
        { id: 'y', name: 'y' },
      ],
    });
    const merged = mergeInventories([a, b]);
    expect(merged.identities.map((i) => `${i.id}=${i.name}`)).toEqual(['x=from-a', 'y=y']);
  });
});

describe('--since', () => {
  it('reads durations before --as-of and dates, and refuses nonsense', () => {
    expect(parseSince(undefined, AS_OF)).toBe('2026-03-03T00:00:00Z');
    expect(parseSince('7d', AS_OF)).toBe('2026-05-25T00:00:00Z');
    expect(parseSince('2w', AS_OF)).toBe('2026-05-18T00:00:00Z');
    expect(parseSince('36h', AS_OF)).toBe('2026-05-30T12:00:00Z');
    expect(parseSince('2026-01-01', AS_OF)).toBe('2026-01-01T00:00:00Z');
    expect(() => parseSince('soon', AS_OF)).toThrow(UserError);
    expect(() => parseSince('2027-01-01', AS_OF)).toThrow(/not before/);
  });
});
