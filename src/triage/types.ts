// What a person triages: one scan's findings with their suppression state, and its identities with credentials and owners.
import type { AgentScorecard } from '../analysis/posture.js';
import type { Finding } from '../model/types.js';

/** Whether a finding still needs a decision, was suppressed in triage (or the cache), or is accepted by a baseline. */
export type FindingState = 'open' | 'suppressed' | 'baselined';

/** Why a finding is hidden from CI: a reason and an expiry, from the cache's suppressions or the baseline file. */
export interface Acceptance {
  reason: string | null;
  expiresAt: string | null;
  /** When and by whom, for suppressions made in triage. */
  createdAt: string | null;
  createdBy: string | null;
}

/** A finding as triage shows it: the rule's alarm and where triage stands on it. */
export interface TriageFinding extends Omit<Finding, 'status'> {
  /** The identity the finding is about, when the resource names one of the scan. */
  identityId: string | null;
  /** The identity's provider, or the one the resource implies (`arn:aws:` → aws). */
  provider: string;
  state: FindingState;
  /** Set when state is `suppressed` or `baselined`. */
  acceptance: Acceptance | null;
  /** True when the scan itself recorded the finding as baselined (a baseline given to `scan`). */
  baselinedByScan: boolean;
}

/** A credential of an identity: public key id and hint at most, never a secret. */
export interface TriageCredential {
  id: string;
  kind: string;
  keyId: string | null;
  hint: string | null;
  status: string;
  createdAt: string | null;
  lastRotatedAt: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

/** An identity of the inventory, with its owner's directory status and its findings. */
export interface TriageIdentity {
  id: string;
  provider: string;
  kind: string;
  name: string;
  arn: string | null;
  account: string | null;
  owner: string | null;
  ownerSource: string | null;
  /** The owner's status in the people directory, or null when the directory does not list them. */
  ownerStatus: 'active' | 'departed' | 'unknown' | null;
  purpose: string | null;
  createdAt: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  isHuman: boolean;
  isAgent: boolean;
  agentEvidence: string[];
  credentials: TriageCredential[];
  /** Fingerprints of the findings about this identity, most severe first. */
  findingIds: string[];
}

/** The scan being triaged. */
export interface TriageScan {
  id: number;
  asOf: string;
  startedAt: string;
  status: 'complete' | 'partial';
}

/** Everything the triage UI shows. */
export interface TriageData {
  scan: TriageScan;
  findings: TriageFinding[];
  identities: TriageIdentity[];
  /**
   * The posture scorecard of every agent identity; suppressed and baselined findings fail no property. Filled by
   * `TriageSession.load` from the cache (`assembleTriageData` alone leaves it empty).
   */
  agents: AgentScorecard[];
  /** The baseline file suppressions are written to, when one is configured. */
  baselineFile: string | null;
}
