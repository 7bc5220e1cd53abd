// Pure assembly of the triage data from cache rows: findings linked to identities, suppression and baseline states.
import { findingIdentityResolver, identityOfFinding } from '../analysis/findingIdentity.js';
import { acceptedFingerprints, type Baseline } from '../baseline/baseline.js';
import type { ScanRecord, StoredFinding } from '../store/reads.js';
import type { CredentialRow, IdentityRow, PersonRow } from '../store/triageReads.js';
import type { Suppression } from '../store/writes.js';
import type { Acceptance, TriageData, TriageFinding, TriageIdentity } from './types.js';

/** The rows triage is assembled from, all of one scan (suppressions and the baseline are not per scan). */
export interface TriageRows {
  scan: ScanRecord;
  findings: readonly StoredFinding[];
  identities: readonly IdentityRow[];
  credentials: readonly CredentialRow[];
  people: readonly PersonRow[];
  suppressions: readonly Suppression[];
  baseline: Baseline | null;
  baselineFile: string | null;
}

/** Builds what the triage UI shows. Pure. */
export function assembleTriageData(rows: TriageRows): TriageData {
  if (rows.scan.status !== 'complete' && rows.scan.status !== 'partial') {
    throw new Error(`scan ${rows.scan.id} did not finish (${rows.scan.status})`);
  }
  const asOf = rows.scan.asOf;
  const resolve = findingIdentityResolver(rows.identities, rows.credentials);
  const providerOf = new Map(rows.identities.map((identity) => [identity.id, identity.provider]));
  const liveSuppressions = new Map(
    rows.suppressions
      .filter((s) => s.expiresAt === null || s.expiresAt > asOf)
      .map((s) => [s.fingerprint, s] as const),
  );
  const accepted = rows.baseline ? acceptedFingerprints(rows.baseline, asOf) : new Set<string>();
  const baselineEntries = new Map((rows.baseline?.findings ?? []).map((entry) => [entry.id, entry] as const));

  const findings: TriageFinding[] = rows.findings.map((stored) => {
    const identityId = identityOfFinding(resolve, stored);
    const suppression = liveSuppressions.get(stored.id);
    const baselinedByScan = stored.suppressedBy === 'baseline';
    let state: TriageFinding['state'] = 'open';
    let acceptance: Acceptance | null = null;
    if (suppression) {
      state = 'suppressed';
      acceptance = {
        reason: suppression.reason,
        expiresAt: suppression.expiresAt,
        createdAt: suppression.createdAt,
        createdBy: suppression.createdBy,
      };
    } else if (stored.suppressedBy?.startsWith('suppressed')) {
      state = 'suppressed';
      acceptance = {
        reason: stored.suppressedBy.replace(/^suppressed:\s*/, ''),
        expiresAt: null,
        createdAt: null,
        createdBy: null,
      };
    } else if (accepted.has(stored.id) || baselinedByScan) {
      const entry = baselineEntries.get(stored.id);
      state = 'baselined';
      acceptance = {
        reason: entry?.reason ?? null,
        expiresAt: entry?.expiresAt ?? null,
        createdAt: null,
        createdBy: null,
      };
    }
    return {
      id: stored.id,
      ruleId: stored.ruleId,
      title: stored.title,
      severity: stored.severity,
      category: stored.category,
      resource: stored.resource,
      reason: stored.reason,
      evidence: stored.evidence,
      remediation: stored.remediation,
      references: stored.references,
      identityId,
      provider: (identityId && providerOf.get(identityId)) || providerOfResource(stored.resource),
      state,
      acceptance,
      baselinedByScan,
    };
  });

  const findingsOf = new Map<string, string[]>();
  for (const finding of findings) {
    if (!finding.identityId) continue;
    findingsOf.set(finding.identityId, [...(findingsOf.get(finding.identityId) ?? []), finding.id]);
  }
  const credentialsOf = new Map<string, CredentialRow[]>();
  for (const credential of rows.credentials) {
    credentialsOf.set(credential.identityId, [
      ...(credentialsOf.get(credential.identityId) ?? []),
      credential,
    ]);
  }
  const personByAddress = new Map<string, PersonRow>();
  for (const person of rows.people) {
    if (person.email) personByAddress.set(person.email.toLowerCase(), person);
    personByAddress.set(person.id.toLowerCase(), person);
  }

  const identities: TriageIdentity[] = rows.identities.map((identity) => {
    const owner = identity.owner?.toLowerCase();
    const person = owner ? (personByAddress.get(owner) ?? personByAddress.get(`person:${owner}`)) : undefined;
    return {
      id: identity.id,
      provider: identity.provider,
      kind: identity.kind,
      name: identity.name,
      arn: identity.arn,
      account: identity.account,
      owner: identity.owner,
      ownerSource: identity.ownerSource,
      ownerStatus: person?.status ?? null,
      purpose: identity.purpose,
      createdAt: identity.createdAt,
      lastUsedAt: identity.lastUsedAt,
      expiresAt: identity.expiresAt,
      isHuman: identity.isHuman,
      isAgent: identity.isAgent,
      agentEvidence: identity.agentEvidence,
      credentials: (credentialsOf.get(identity.id) ?? []).map((c) => ({
        id: c.id,
        kind: c.kind,
        keyId: c.keyId,
        hint: c.hint,
        status: c.status,
        createdAt: c.createdAt,
        lastRotatedAt: c.lastRotatedAt,
        lastUsedAt: c.lastUsedAt,
        expiresAt: c.expiresAt,
      })),
      findingIds: findingsOf.get(identity.id) ?? [],
    };
  });

  return {
    scan: { id: rows.scan.id, asOf, startedAt: rows.scan.startedAt, status: rows.scan.status },
    findings,
    identities,
    agents: [],
    baselineFile: rows.baselineFile,
  };
}

/** The provider a resource address implies when no identity of the scan matches it. */
function providerOfResource(resource: string): string {
  if (resource.startsWith('arn:aws')) return 'aws';
  const prefix = /^([a-z][a-z0-9-]*):/.exec(resource)?.[1];
  return prefix ?? 'other';
}
