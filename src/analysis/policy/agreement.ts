// Compares agentaudit's policy expansion with an independent expansion (iam-dataset's effective_actions) and explains differences.
import type { JsonObject, JsonValue } from '../../model/types.js';
import { expandPolicyDocument, type IamCatalogue } from './expand.js';

/** A policy with another tool's list of the actions it grants. */
export interface ReferencePolicy {
  name: string;
  document: JsonObject;
  /** The actions the other tool says the document grants. */
  effective_actions: string[];
}

/** Why an action is in one expansion and not the other. */
export type DifferenceCause =
  /** We grant it; the other tool lists it nowhere: our catalogue is newer than theirs. */
  | 'newer-in-our-catalogue'
  /** We grant it; the other tool knows it (lists it for another policy) but not here: their copy of the policy is older. */
  | 'their-expansion-older'
  /** They grant it; our catalogue does not have it (removed or renamed by AWS since their snapshot). */
  | 'absent-from-our-catalogue'
  /** They grant it; an explicit Deny of the same policy removes it for us (they list what Allow statements name). */
  | 'explicit-deny'
  /** Anything else: a matcher difference to investigate. */
  | 'unexplained';

/** One policy's comparison. */
export interface PolicyComparison {
  name: string;
  exact: boolean;
  ours: number;
  theirs: number;
  common: number;
  /** Actions per cause (each action counted once). */
  causes: Partial<Record<DifferenceCause, string[]>>;
}

/** The comparison of a set of policies. */
export interface AgreementReport {
  policies: number;
  exact: number;
  /** Micro-averaged over every (policy, action) pair: common / ours and common / theirs. */
  precision: number;
  recall: number;
  /** The same, counting only actions both catalogues know (drift of either catalogue left out). */
  exactOnSharedVocabulary: number;
  precisionOnSharedVocabulary: number;
  recallOnSharedVocabulary: number;
  /** Per cause: how many policies show it and how many actions it accounts for. */
  byCause: Record<DifferenceCause, { policies: number; actions: number }>;
  comparisons: PolicyComparison[];
}

const CAUSES: readonly DifferenceCause[] = [
  'newer-in-our-catalogue',
  'their-expansion-older',
  'absent-from-our-catalogue',
  'explicit-deny',
  'unexplained',
];

function withoutDeny(document: JsonObject): JsonObject {
  const statement = document['Statement'] ?? [];
  const list = Array.isArray(statement) ? statement : [statement];
  const isDeny = (s: JsonValue) =>
    typeof s === 'object' && s !== null && !Array.isArray(s) && String(s['Effect']).toLowerCase() === 'deny';
  return { ...document, Statement: list.filter((s) => !isDeny(s)) };
}

/**
 * Expands every policy and compares it with the reference. `theirVocabulary` defaults to every action the
 * reference lists for any policy (the best estimate of its catalogue the data gives).
 */
export function compareWithReference(
  policies: readonly ReferencePolicy[],
  catalogue: IamCatalogue,
  theirVocabulary: ReadonlySet<string> = new Set(
    policies.flatMap((p) => p.effective_actions.map((a) => a.toLowerCase())),
  ),
): AgreementReport {
  const ourVocabulary = new Set(catalogue.all.map((a) => a.toLowerCase()));
  const shared = (action: string) => ourVocabulary.has(action) && theirVocabulary.has(action);
  const byCause = Object.fromEntries(
    CAUSES.map((c) => [c, { policies: 0, actions: 0 }]),
  ) as AgreementReport['byCause'];
  const comparisons: PolicyComparison[] = [];
  let ourTotal = 0;
  let theirTotal = 0;
  let commonTotal = 0;
  let sharedOurs = 0;
  let sharedTheirs = 0;
  let sharedCommon = 0;
  let exactShared = 0;
  for (const policy of policies) {
    const ours = new Set(expandPolicyDocument(policy.document, catalogue).keys());
    const theirs = new Set(policy.effective_actions.map((a) => a.toLowerCase()));
    const common = [...ours].filter((a) => theirs.has(a)).length;
    ourTotal += ours.size;
    theirTotal += theirs.size;
    commonTotal += common;
    const oursShared = [...ours].filter(shared);
    const theirsShared = [...theirs].filter(shared);
    const commonShared = oursShared.filter((a) => theirs.has(a)).length;
    sharedOurs += oursShared.length;
    sharedTheirs += theirsShared.length;
    sharedCommon += commonShared;
    if (commonShared === oursShared.length && commonShared === theirsShared.length) exactShared += 1;

    const extra = [...ours].filter((a) => !theirs.has(a));
    const missing = [...theirs].filter((a) => !ours.has(a));
    const causes: Partial<Record<DifferenceCause, string[]>> = {};
    const add = (cause: DifferenceCause, action: string) => (causes[cause] ??= []).push(action);
    for (const action of extra) {
      add(theirVocabulary.has(action) ? 'their-expansion-older' : 'newer-in-our-catalogue', action);
    }
    const allowOnly =
      missing.length > 0
        ? new Set(expandPolicyDocument(withoutDeny(policy.document), catalogue).keys())
        : null;
    for (const action of missing) {
      if (!ourVocabulary.has(action)) add('absent-from-our-catalogue', action);
      else if (allowOnly?.has(action)) add('explicit-deny', action);
      else add('unexplained', action);
    }
    for (const [cause, actions] of Object.entries(causes) as [DifferenceCause, string[]][]) {
      byCause[cause].policies += 1;
      byCause[cause].actions += actions.length;
    }
    comparisons.push({
      name: policy.name,
      exact: extra.length === 0 && missing.length === 0,
      ours: ours.size,
      theirs: theirs.size,
      common,
      causes,
    });
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    policies: policies.length,
    exact: comparisons.filter((c) => c.exact).length,
    precision: ratio(commonTotal, ourTotal),
    recall: ratio(commonTotal, theirTotal),
    exactOnSharedVocabulary: exactShared,
    precisionOnSharedVocabulary: ratio(sharedCommon, sharedOurs),
    recallOnSharedVocabulary: ratio(sharedCommon, sharedTheirs),
    byCause,
    comparisons,
  };
}
