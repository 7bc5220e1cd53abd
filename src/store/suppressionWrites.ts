// Suppressions made while triaging: the suppression row and the scan's finding, changed together in one transaction.
import type { Db } from './database.js';
import { deleteSuppression, saveSuppression, type Suppression } from './writes.js';

/**
 * Records `suppression` and marks the finding of scan `scanId` with the same fingerprint as suppressed, so the
 * next scan honours it and `report` of this scan already hides it.
 */
export function suppressFinding(db: Db, scanId: number, suppression: Suppression): void {
  db.transaction(() => {
    saveSuppression(db, suppression);
    db.prepare(`UPDATE findings SET suppressed_by = ? WHERE scan_id = ? AND id = ?`).run(
      `suppressed: ${suppression.reason}`,
      scanId,
      suppression.fingerprint,
    );
  })();
}

/**
 * Removes the suppression of `fingerprint` and gives the finding of scan `scanId` back the state `restoreTo`
 * (`baseline` when a baseline still accepts it, else null: visible). Returns whether a suppression was removed.
 */
export function unsuppressFinding(
  db: Db,
  scanId: number,
  fingerprint: string,
  restoreTo: 'baseline' | null,
): boolean {
  return db.transaction(() => {
    const removed = deleteSuppression(db, fingerprint);
    db.prepare(`UPDATE findings SET suppressed_by = ? WHERE scan_id = ? AND id = ?`).run(
      restoreTo,
      scanId,
      fingerprint,
    );
    return removed;
  })();
}
