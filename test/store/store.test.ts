// The cache: private file, numbered migrations, refusal of a newer schema, snapshots per scan, read-only rule views.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors/errors.js';
import { emptyInventory } from '../../src/model/types.js';
import type { RuleTestCase } from '../../src/rules/schema.js';
import { derivedFactsFromCase, inventoryFromCase } from '../../src/rules/selftest.js';
import { migrate, openDatabase } from '../../src/store/database.js';
import { LATEST_SCHEMA_VERSION } from '../../src/store/migrations/registry.js';
import { getScan, latestFinishedScanId } from '../../src/store/reads.js';
import { withRuleReader } from '../../src/store/ruleViews.js';
import {
  beginScan,
  discardScanRows,
  finishScan,
  writeDerivedFacts,
  writeInventory,
} from '../../src/store/writes.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-store-'));
const user = (name: string) =>
  inventoryFromCase({ identities: [{ id: `aws:iam-user:arn:aws:iam::111122223333:user/${name}`, name }] });

describe('the cache', () => {
  it('is created private (0600) in a new folder, migrated to the latest schema', () => {
    // Given no cache yet, When it is opened, Then the file is owner-only and at the latest user_version
    const file = path.join(tmp(), 'nested', 'agentaudit.db');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('tightens an existing file that is readable by others', () => {
    const file = path.join(tmp(), 'loose.db');
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o644);
    openDatabase(file).close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a database written by a newer version, with a next step', () => {
    const file = path.join(tmp(), 'future.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(UserError);
    expect(() => openDatabase(file)).toThrow(/newer agentaudit/);
  });

  it('runs each migration once, in a transaction, and rejects a registry out of order', () => {
    const db = new Database(':memory:');
    migrate(db);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(() =>
      migrate(new Database(':memory:'), ':memory:', [{ version: 2, name: 'gap', sql: '' }]),
    ).toThrow(/expected 1/);
    const broken = new Database(':memory:');
    expect(() =>
      migrate(broken, ':memory:', [
        { version: 1, name: 'half', sql: 'CREATE TABLE a (x); CREATE TABLE a (x);' },
      ]),
    ).toThrow();
    // The failed migration left nothing behind
    expect(broken.pragma('user_version', { simple: true })).toBe(0);
    expect(broken.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'a'`).get()).toEqual({
      n: 0,
    });
  });

  it('keeps the previous scan readable when a later scan fails half-way', () => {
    // Given a finished scan with one identity
    const file = path.join(tmp(), 'a.db');
    const db = openDatabase(file);
    const good = beginScan(db, {
      startedAt: '2026-06-01T00:00:00Z',
      asOf: '2026-06-01T00:00:00Z',
      since: null,
    });
    writeInventory(db, good, user('first'));
    finishScan(db, good, {
      finishedAt: '2026-06-01T00:01:00Z',
      status: 'complete',
      sources: [],
      coverage: {},
    });
    // When a second scan writes rows and then fails
    const bad = beginScan(db, {
      startedAt: '2026-06-02T00:00:00Z',
      asOf: '2026-06-02T00:00:00Z',
      since: null,
    });
    writeInventory(db, bad, user('second'));
    discardScanRows(db, bad);
    finishScan(db, bad, {
      finishedAt: '2026-06-02T00:01:00Z',
      status: 'failed',
      sources: [],
      coverage: {},
      error: 'boom',
    });
    // Then the latest finished scan is still the first, with its rows, and the failure is recorded
    expect(latestFinishedScanId(db)).toBe(good);
    expect(getScan(db, bad)).toMatchObject({ status: 'failed', error: 'boom' });
    db.close();
    const names = withRuleReader(file, good, (reader) =>
      (reader.prepare('SELECT name FROM identities').all() as { name: string }[]).map((row) => row.name),
    );
    expect(names).toEqual(['first']);
  });

  it('shows rules one scan through views on a connection that cannot write', () => {
    const file = path.join(tmp(), 'b.db');
    const db = openDatabase(file);
    const one = beginScan(db, { startedAt: 'x', asOf: 'x', since: null });
    writeInventory(db, one, user('one'));
    const two = beginScan(db, { startedAt: 'y', asOf: 'y', since: null });
    writeInventory(db, two, { ...emptyInventory(), ...user('two') });
    db.close();
    withRuleReader(file, two, (reader) => {
      expect(reader.prepare('SELECT name FROM identities').all()).toEqual([{ name: 'two' }]);
      expect(() => reader.prepare(`DELETE FROM main.identities`).run()).toThrow(
        /readonly|read-only|query_only/i,
      );
    });
  });

  it('stores each distinct policy document once per scan, and shows summaries and the estate to rules', () => {
    // Given two users holding the same managed policy object and a boundary, a summary, and a trusted account
    const file = path.join(tmp(), 'c.db');
    const db = openDatabase(file);
    const scan = beginScan(db, { startedAt: 'x', asOf: 'x', since: null });
    const admin = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const ids = ['a', 'b'].map((n) => `aws:iam-user:arn:aws:iam::111122223333:user/${n}`);
    writeInventory(db, scan, {
      ...inventoryFromCase({
        identities: ids.map((id, n) => ({ id, name: `u${n}`, account: '111122223333' })),
      }),
      policies: [
        ...ids.map((identityId) => ({
          identityId,
          sourcePolicy: 'arn:aws:iam::aws:policy/AdministratorAccess',
          kind: 'identity' as const,
          document: admin,
        })),
        {
          identityId: ids[0]!,
          sourcePolicy: 'fence',
          kind: 'boundary' as const,
          document: { Statement: [] },
        },
      ],
    });
    writeDerivedFacts(
      db,
      scan,
      derivedFactsFromCase({
        permissionSummaries: [
          { identityId: ids[0]!, grantedCount: 200, usedCount: 5, unusedServices: ['ec2'] },
        ],
        trustedAccounts: [{ account: '444455556666' }],
      }),
    );
    // Then the shared document is stored once and attached twice
    expect(db.prepare('SELECT count(*) AS n FROM policy_documents WHERE scan_id = ?').get(scan)).toEqual({
      n: 2,
    });
    db.close();
    withRuleReader(file, scan, (reader) => {
      expect(
        reader.prepare(`SELECT count(*) AS n FROM policy_attachments WHERE kind = 'identity'`).get(),
      ).toEqual({
        n: 2,
      });
      // And rules see the summary with its derived share and window length, and the estate's accounts
      expect(
        reader
          .prepare('SELECT granted_count, used_share, unused_services, window_days FROM permission_summary')
          .get(),
      ).toEqual({ granted_count: 200, used_share: 0.025, unused_services: '["ec2"]', window_days: 7 });
      expect(reader.prepare('SELECT account, source FROM estate_accounts ORDER BY account').all()).toEqual([
        { account: '111122223333', source: 'inventory' },
        { account: '444455556666', source: 'config' },
      ]);
    });
    // And a failed scan's derived rows are removed with the rest
    const again = openDatabase(file);
    discardScanRows(again, scan);
    for (const table of [
      'policy_documents',
      'policy_attachments',
      'permission_summaries',
      'trusted_accounts',
    ]) {
      expect(again.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 });
    }
    again.close();
  });

  it('shows environment verdicts and credential places to rules, and discards them with a failed scan', () => {
    // Given a prod account (by the config) whose user's key assumed a role in an account tagged staging
    const file = path.join(tmp(), 'e.db');
    const db = openDatabase(file);
    const scan = beginScan(db, { startedAt: 'x', asOf: 'x', since: null });
    const tables: RuleTestCase['inventory'] = {
      environments: [{ account: '111122223333', environment: 'prod' }],
      identities: [
        { id: 'u', name: 'deploy', account: '111122223333' },
        { id: 'r', kind: 'iam-role', account: '444455556666', tags: { env: 'staging' } },
      ],
      credentials: [{ id: 'aws:access-key:arn:aws:iam::111122223333:user/deploy#1', identityId: 'u' }],
      usage: [
        {
          identityId: 'u',
          credentialId: 'aws:access-key:arn:aws:iam::111122223333:user/deploy#1',
          eventName: 'AssumeRole',
          resource: 'arn:aws:iam::444455556666:role/r',
        },
      ],
    };
    writeInventory(db, scan, inventoryFromCase(tables));
    writeDerivedFacts(db, scan, derivedFactsFromCase(tables));
    db.close();
    // When a rule reads the views
    withRuleReader(file, scan, (reader) => {
      // Then it sees each account's verdict with its evidence, and the key in both accounts
      expect(
        reader
          .prepare('SELECT place, kind, environment, evidence FROM environment_places ORDER BY place')
          .all(),
      ).toEqual([
        {
          place: 'aws-account:111122223333',
          kind: 'aws-account',
          environment: 'prod',
          evidence: 'config environments.accounts',
        },
        {
          place: 'aws-account:444455556666',
          kind: 'aws-account',
          environment: 'nonprod',
          evidence: 'tag env=staging on r',
        },
      ]);
      expect(
        reader
          .prepare(
            'SELECT credential, credential_kind, place, via, agent FROM credential_places ORDER BY place',
          )
          .all(),
      ).toEqual([
        {
          credential: 'arn:aws:iam::111122223333:user/deploy#1',
          credential_kind: 'credential',
          place: 'aws-account:111122223333',
          via: 'its own account',
          agent: 0,
        },
        {
          credential: 'arn:aws:iam::111122223333:user/deploy#1',
          credential_kind: 'credential',
          place: 'aws-account:444455556666',
          via: 'AssumeRole arn:aws:iam::444455556666:role/r',
          agent: 0,
        },
      ]);
    });
    // And a failed scan's rows are removed with the rest
    const again = openDatabase(file);
    discardScanRows(again, scan);
    for (const table of ['environment_places', 'credential_places']) {
      expect(again.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 });
    }
    again.close();
  });
});
