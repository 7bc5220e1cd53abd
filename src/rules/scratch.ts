// An empty in-memory cache with the rule views installed, to compile rule SQL at load time without touching the user's cache.
import Database from 'better-sqlite3';
import { migrate } from '../store/database.js';
import { installRuleViews } from '../store/ruleViews.js';

/** A scratch database that checks rule SQL. */
export interface ScratchRuleDatabase {
  /** Null when `sql` compiles over the rule views as a read-only query, else what is wrong. */
  check(sql: string): string | null;
  close(): void;
}

/** Opens the scratch database. */
export function openScratchRuleDatabase(): ScratchRuleDatabase {
  const db = new Database(':memory:');
  migrate(db);
  installRuleViews(db, 0);
  return {
    check(sql) {
      try {
        const statement = db.prepare(sql);
        if (!statement.reader) return 'it must be a query that returns rows (SELECT or WITH … SELECT)';
        const columns = statement.columns().map((column) => column.name);
        const missing = ['resource', 'status', 'reason'].filter((name) => !columns.includes(name));
        if (missing.length > 0)
          return `it must return the columns resource, status and reason (missing: ${missing.join(', ')})`;
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    },
    close() {
      db.close();
    },
  };
}
