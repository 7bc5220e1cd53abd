// What every renderer receives: one scan, its findings and rule counts, and the rule catalogue. Plain data, no I/O.
import type { AgentScorecard } from '../analysis/posture.js';
import type { RuleStat, SourceStatus } from '../model/types.js';
import type { RuleDefinition } from '../rules/schema.js';
import type { StoredFinding } from '../store/reads.js';

/** Rule metadata a renderer may need (SARIF lists every rule that ran in tool.driver.rules). */
export type ReportRule = Pick<
  RuleDefinition,
  'id' | 'title' | 'severity' | 'category' | 'posture' | 'description' | 'risk' | 'remediation' | 'references'
>;

/** Everything a renderer needs; renderers are pure functions of this. */
export interface ReportInput {
  tool: { name: 'agentaudit'; version: string; informationUri: string };
  scan: {
    id: number;
    startedAt: string;
    finishedAt: string | null;
    asOf: string;
    /** The evidence window usage rests on (`--since` to `asOf`); null for scans recorded before it existed. */
    window: { since: string; until: string } | null;
    status: 'running' | 'complete' | 'partial' | 'failed';
    sources: SourceStatus[];
    /** `coverage.cloudtrail` is a CloudTrailCoverage when CloudTrail was read; other keys per source. */
    coverage: Record<string, unknown>;
  };
  /** Findings that count: suppressed and baselined ones are excluded by the caller and counted in `hidden`. */
  findings: StoredFinding[];
  /** Findings hidden by a suppression or the baseline, counted so a report never hides that it hid them. */
  hidden: { suppressed: number; baselined: number };
  /** The posture scorecard of every agent identity of the scan (src/analysis/posture.ts). */
  agents: AgentScorecard[];
  stats: RuleStat[];
  rules: ReportRule[];
  /** Whether the table renderer may use colour (false for NO_COLOR or a non-terminal). */
  color: boolean;
}

/** A renderer: a pure function from the report input to text. */
export type Renderer = (input: ReportInput) => string;
