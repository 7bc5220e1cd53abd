// Loads the agent posture scorecards of a cached scan: the store's reads, fed to the pure scorecard of src/analysis.
import {
  buildAgentScorecards,
  rulePostureMap,
  type AgentScorecard,
  type PostureFinding,
} from '../analysis/posture.js';
import { BUILT_IN_RULES_DIR, loadRules } from '../rules/load.js';
import { POSTURE_PROPERTIES, type PostureProperty } from '../rules/schema.js';
import { openDatabaseReadOnly, type Db } from '../store/database.js';
import { getFindings, getScan, latestFinishedScanId, rulePostureOfScan } from '../store/reads.js';
import { postureRowsOfScan } from '../store/postureReads.js';

/** The scan the scorecards are of, and what of it is already loaded. */
export interface ScorecardRequest {
  scanId: number;
  asOf: string;
  coverage: Readonly<Record<string, unknown>>;
  /** The scan's findings; hidden ones (suppressed, baselined) fail no property. */
  findings: readonly PostureFinding[];
}

/**
 * The scorecards of every agent of scan `request.scanId`, read from `db` (reads only). A finding fails the property
 * its rule was tagged with when the scan ran (kept in `rule_stats`), so every reader — report, inventory, rightsize,
 * triage — judges a scan by the rules that made it, the config's own rules included.
 */
export function loadAgentScorecards(db: Db, request: ScorecardRequest): AgentScorecard[] {
  return buildAgentScorecards({
    ...postureRowsOfScan(db, request.scanId),
    findings: request.findings,
    rulePosture: postureTagsOfScan(db, request.scanId),
    coverage: request.coverage,
    asOf: request.asOf,
  });
}

/** The tags a scan's rules ran with; for a scan recorded before they were kept, the built-in rules' (loaded once). */
function postureTagsOfScan(db: Db, scanId: number): ReadonlyMap<string, PostureProperty> {
  const stored = rulePostureOfScan(db, scanId);
  if (stored) {
    return new Map(
      [...stored].filter((entry): entry is [string, PostureProperty] =>
        (POSTURE_PROPERTIES as readonly string[]).includes(entry[1]),
      ),
    );
  }
  builtIn ??= rulePostureMap(loadRules([BUILT_IN_RULES_DIR]).rules);
  return builtIn;
}

let builtIn: Map<string, PostureProperty> | null = null;

/**
 * The scorecard of identity `identityId` in scan `scanId` (default: the latest finished) of the cache at `dbPath`, or
 * null when it is not an agent of that scan. Findings the scan recorded as suppressed or baselined fail nothing.
 */
export function agentScorecardOf(dbPath: string, identityId: string, scanId?: number): AgentScorecard | null {
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
    });
    return cards.find((card) => card.identity === identityId) ?? null;
  } finally {
    db.close();
  }
}
