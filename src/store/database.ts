// Opens the SQLite cache: creates it private (0600), enables WAL, runs numbered migrations, refuses a newer schema.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../errors/errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/registry.js';

/** A better-sqlite3 connection. */
export type Db = Database.Database;

/** Where the cache lives unless `--db` says otherwise. */
export const DEFAULT_DB_PATH = path.join('.agentaudit', 'agentaudit.db');

/** Opens (creating if needed) the cache at `file`, or an in-memory one for `:memory:`, migrated to the latest schema. */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') createPrivateFile(file);
  let db: Db;
  try {
    db = new Database(file);
  } catch (error) {
    throw new UserError(
      `cannot open the cache ${file}: ${(error as Error).message}`,
      'pass --db PATH to use another file',
    );
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, file);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Opens an existing cache read-only (for rule queries and reports); never creates or migrates it. */
export function openDatabaseReadOnly(file: string): Db {
  if (file !== ':memory:' && !fs.existsSync(file)) {
    throw new UserError(`no cache at ${file}`, 'run `agentaudit scan` first, or pass --db PATH');
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > LATEST_SCHEMA_VERSION) {
    db.close();
    throw newerSchemaError(file, version);
  }
  return db;
}

/** Runs every migration the database has not seen, each in its own transaction. */
export function migrate(db: Db, file = ':memory:', migrations: readonly Migration[] = MIGRATIONS): void {
  assertIncreasing(migrations);
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  if (current > latest) throw newerSchemaError(file, current);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      // PRAGMA cannot take a bound parameter; the version is an integer from our own registry.
      db.pragma(`user_version = ${Math.trunc(migration.version)}`);
    })();
  }
}

function assertIncreasing(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`,
      );
    }
  });
}

function newerSchemaError(file: string, version: number): UserError {
  return new UserError(
    `the cache ${file} was written by a newer agentaudit (schema ${version}; this one reads up to ${LATEST_SCHEMA_VERSION})`,
    'upgrade agentaudit, or pass --db PATH to start a new cache',
  );
}

/** Creates the file and its folder readable by the owner only, and tightens an existing file to 0600. */
function createPrivateFile(file: string): void {
  const folder = path.dirname(file);
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const handle = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_RDWR, 0o600);
  fs.closeSync(handle);
  fs.chmodSync(file, 0o600);
}
