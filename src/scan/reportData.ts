// Assembles a renderer's input from the cache: one scan, its visible findings, what was hidden, rule counts and metadata.
import { acceptedFingerprints, type Baseline } from '../baseline/baseline.js';
import { UserError } from '../errors/errors.js';
import type { ReportInput, ReportRule } from '../report/types.js';
import type { LoadedRule } from '../rules/load.js';
import type { Db } from '../store/database.js';
import {
  getFindings,
  getRuleStats,
  getScan,
  latestFinishedScanId,
  type StoredFinding,
} from '../store/reads.js';
import { loadAgentScorecards } from './posture.js';

/** Tool identity printed in reports. */
export interface ToolInfo {
  version: string;
}

/** Builds the report input of scan `scanId` (or the latest finished one). */
export function loadReportInput(
  db: Db,
  options: {
    scanId?: number;
    baseline: Baseline | null;
    rules: readonly LoadedRule[];
    color: boolean;
    tool: ToolInfo;
  },
): ReportInput {
  const scanId = options.scanId ?? latestFinishedScanId(db);
  if (scanId === null) throw new UserError('the cache holds no finished scan', 'run `agentaudit scan` first');
  const scan = getScan(db, scanId);
  if (!scan)
    throw new UserError(`no scan ${scanId} in the cache`, 'list scans with `agentaudit report --list`');
  if (scan.status === 'failed' || scan.status === 'running') {
    throw new UserError(
      `scan ${scanId} did not finish (${scan.status}${scan.error ? `: ${scan.error}` : ''})`,
    );
  }
  const all = getFindings(db, scanId);
  const accepted = options.baseline ? acceptedFingerprints(options.baseline, scan.asOf) : new Set<string>();
  const hidden = { suppressed: 0, baselined: 0 };
  const visible: StoredFinding[] = [];
  const hiddenIds = new Set<string>();
  for (const finding of all) {
    if (finding.suppressedBy?.startsWith('suppressed')) hidden.suppressed += 1;
    else if (finding.suppressedBy === 'baseline' || accepted.has(finding.id)) hidden.baselined += 1;
    else {
      visible.push(finding);
      continue;
    }
    hiddenIds.add(finding.id);
  }
  // The posture scorecard of every agent; a hidden finding fails no property.
  const agents = loadAgentScorecards(db, {
    scanId,
    asOf: scan.asOf,
    coverage: scan.coverage,
    findings: all.map((f) => ({ ...f, hidden: hiddenIds.has(f.id) })),
  });
  const stats = getRuleStats(db, scanId);
  const ran = new Set(stats.map((s) => s.ruleId));
  const rules: ReportRule[] = options.rules
    .filter((rule) => ran.has(rule.id))
    .map((rule) => ({
      id: rule.id,
      title: rule.title,
      severity: rule.severity,
      category: rule.category,
      ...(rule.posture ? { posture: rule.posture } : {}),
      description: rule.description.trim(),
      risk: rule.risk.trim(),
      remediation: rule.remediation.trim(),
      references: rule.references,
    }));
  return {
    tool: {
      name: 'agentaudit',
      version: options.tool.version,
      informationUri: 'https://github.com/agentaudit/agentaudit',
    },
    scan: {
      id: scan.id,
      startedAt: scan.startedAt,
      finishedAt: scan.finishedAt,
      asOf: scan.asOf,
      window: scan.since ? { since: scan.since, until: scan.asOf } : null,
      status: scan.status,
      sources: scan.sources,
      coverage: scan.coverage,
    },
    findings: visible,
    hidden,
    agents,
    stats,
    rules,
    color: options.color,
  };
}
