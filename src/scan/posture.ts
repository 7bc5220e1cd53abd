// Loads the agent posture scorecards of a cached scan: the store's reads, fed to the pure scorecard of src/analysis.
import {
  buildAgentScorecards,
  rulePostureMap,
  type AgentScorecard,
  type PostureFinding,
} from '../analysis/posture.js';
import { BUILT_IN_RULES_DIR, loadRules } from '../rules/load.js';
import type { PostureProperty } from '../rules/schema.js';
import { openDatabaseReadOnly, type Db } from '../store/database.js';
import { getFindings, getScan, latestFinishedScanId } from '../store/reads.js';
import { postureRowsOfScan } from '../store/postureReads.js';

/** The scan the scorecards are of, and what of it is already loaded. */
export interface ScorecardRequest {
  scanId: number;
  asOf: string;
  coverage: Readonly<Record<string, unknown>>;
  /** The scan's findings; hidden ones (suppressed, baselined) fail no property. */
  findings: readonly PostureFinding[];
  rulePosture: ReadonlyMap<string, PostureProperty>;
}

/** The scorecards of every agent of scan `request.scanId`, read from `db` (reads only). */
export function loadAgentScorecards(db: Db, request: ScorecardRequest): AgentScorecard[] {
  return buildAgentScorecards({
    ...postureRowsOfScan(db, request.scanId),
    findings: request.findings,
    rulePosture: request.rulePosture,
    coverage: request.coverage,
    asOf: request.asOf,
  });
}

let builtIn: Map<string, PostureProperty> | null = null;

/** The `posture` tags of the built-in rules (loaded once), for views that have no rule catalogue at hand. */
export function builtInRulePosture(): ReadonlyMap<string, PostureProperty> {
  builtIn ??= rulePostureMap(loadRules([BUILT_IN_RULES_DIR]).rules);
  return builtIn;
}

/**
 * The scorecard of identity `identityId` in scan `scanId` (default: the latest finished) of the cache at `dbPath`, or
 * null when it is not an agent of that scan. Findings the scan recorded as suppressed or baselined fail nothing.
 */
export function agentScorecardOf(
  dbPath: string,
  identityId: string,
  scanId?: number,
  rulePosture: ReadonlyMap<string, PostureProperty> = builtInRulePosture(),
): AgentScorecard | null {
  const db = openDatabaseReadOnly(dbPath);
  try {
    const id = scanId ?? latestFinishedScanId(db);
    const scan = id === null ? null : getScan(db, id);
    if (!scan) return null;
    const cards = loadAgentScorecards(db, {
      scanId: scan.id,
      asOf: scan.asOf,
      coverage: scan.coverage,
      findings: getFindings(db, scan.id).map((f) => ({ ...f, hidden: f.suppressedBy !== null })),
      rulePosture,
    });
    return cards.find((card) => card.identity === identityId) ?? null;
  } finally {
    db.close();
  }
}
