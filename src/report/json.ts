// The JSON report: a stable, documented contract that scripts and other tools parse.
import type { AgentScorecard } from '../analysis/posture.js';
import type { JsonObject, RuleReference } from '../model/types.js';
import { redactReportInput, redactSecrets } from './redact.js';
import { readCloudTrailCoverage, summarizeReport, type ReportSummary } from './summary.js';
import type { ReportInput } from './types.js';

/** One finding in the JSON report. */
export interface JsonReportFinding {
  /** Stable fingerprint (rule id + resource): the same across scans, usable for suppressions and baselines. */
  id: string;
  ruleId: string;
  title: string;
  severity: string;
  category: string;
  resource: string;
  status: 'alarm';
  reason: string;
  evidence: JsonObject;
  remediation: string;
  references: RuleReference[];
}

/** The JSON report: `scan`, `summary`, `findings` (most severe first) and per-rule `rules` counts. */
export interface JsonReport {
  scan: {
    id: number;
    startedAt: string;
    finishedAt: string | null;
    asOf: string;
    /** The evidence window usage rests on: events from `since` to `until` count as use. */
    window: { since: string; until: string } | null;
    status: string;
    sources: { name: string; status: 'ok' | 'partial' | 'failed'; detail: string }[];
    /** Per-source coverage; `cloudtrail` is `{files, events, duplicates, mapped, unmapped, reused?, errors: [{file, message}]}`. */
    coverage: Record<string, unknown>;
  };
  summary: Pick<ReportSummary, 'checked' | 'alarms' | 'bySeverity' | 'byCategory' | 'hidden'> & {
    /**
     * The posture scorecard of every agent identity: `distinct`, `scoped`, `shortLived`, `observable`, `owner`,
     * `purpose`, `expiry`, each `{status: pass|fail|unknown, reason, findings: [finding ids]}`.
     */
    agents: AgentScorecard[];
  };
  findings: JsonReportFinding[];
  rules: {
    ruleId: string;
    checked: number;
    alarms: number;
    ok: number;
    skipped: number;
    error: string | null;
  }[];
}

/** Builds the JSON report object (exported so tests and callers can use the typed shape). */
export function buildJsonReport(input: ReportInput): JsonReport {
  const summary = summarizeReport(input);
  const cloudtrail = readCloudTrailCoverage(input.scan.coverage);
  return {
    scan: {
      id: input.scan.id,
      startedAt: input.scan.startedAt,
      finishedAt: input.scan.finishedAt,
      asOf: input.scan.asOf,
      window: input.scan.window,
      status: input.scan.status,
      sources: input.scan.sources.map(({ name, status, detail }) => ({ name, status, detail })),
      coverage: cloudtrail ? { ...input.scan.coverage, cloudtrail } : { ...input.scan.coverage },
    },
    summary: {
      checked: summary.checked,
      alarms: summary.alarms,
      bySeverity: summary.bySeverity,
      byCategory: summary.byCategory,
      hidden: summary.hidden,
      agents: input.agents.map((card) => ({
        identity: card.identity,
        name: card.name,
        provider: card.provider,
        kind: card.kind,
        properties: card.properties,
      })),
    },
    findings: input.findings.map((f) => ({
      id: f.id,
      ruleId: f.ruleId,
      title: f.title,
      severity: f.severity,
      category: f.category,
      resource: f.resource,
      status: 'alarm',
      reason: f.reason,
      evidence: f.evidence,
      remediation: f.remediation,
      references: f.references.map(({ id, title, url }) => ({ id, title, url })),
    })),
    rules: input.stats.map((s) => ({
      ruleId: s.ruleId,
      checked: s.checked,
      alarms: s.alarms,
      ok: s.ok,
      skipped: s.skipped,
      error: s.error,
    })),
  };
}

/** Renders the JSON report: pretty-printed with 2 spaces and a trailing newline, secrets masked. */
export function renderJson(input: ReportInput): string {
  return redactSecrets(`${JSON.stringify(buildJsonReport(redactReportInput(input)), null, 2)}\n`);
}
