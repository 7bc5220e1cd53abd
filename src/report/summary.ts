// The facts every format reports the same way: counts by severity and category, coverage, and what could not be read.
import {
  CATEGORIES,
  SEVERITIES,
  type CloudTrailCoverage,
  type InputError,
  type Severity,
} from '../model/types.js';
import type { ReportInput } from './types.js';

/** Counts a report states about one scan. */
export interface ReportSummary {
  /** Resources evaluated, summed over every rule that ran. */
  checked: number;
  /** Rules that ran in the scan. */
  rulesRun: number;
  /** Findings shown (suppressed and baselined ones excluded). */
  alarms: number;
  /** Findings per severity, every severity present. */
  bySeverity: Record<Severity, number>;
  /** Findings per category: every known category present, then any other category findings carry. */
  byCategory: Record<string, number>;
  hidden: { suppressed: number; baselined: number };
}

/** The counts of a report. */
export function summarizeReport(input: ReportInput): ReportSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  // A Map, not object keys, so that no category string (even `__proto__`) can touch a prototype.
  const byCategory = new Map<string, number>(CATEGORIES.map((c) => [c, 0]));
  for (const finding of input.findings) {
    if (finding.severity in bySeverity) bySeverity[finding.severity] += 1;
    byCategory.set(finding.category, (byCategory.get(finding.category) ?? 0) + 1);
  }
  return {
    checked: input.stats.reduce((sum, stat) => sum + stat.checked, 0),
    rulesRun: input.stats.length,
    alarms: input.findings.length,
    bySeverity,
    byCategory: Object.fromEntries(byCategory),
    hidden: { suppressed: input.hidden.suppressed, baselined: input.hidden.baselined },
  };
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `coverage.cloudtrail` when it has the CloudTrailCoverage shape, normalised to exactly its keys; otherwise null. */
export function readCloudTrailCoverage(coverage: Record<string, unknown>): CloudTrailCoverage | null {
  const raw = coverage.cloudtrail;
  if (!isRecord(raw)) return null;
  const { files, events, duplicates, mapped, unmapped, errors } = raw;
  if (![files, events, duplicates, mapped, unmapped].every(isCount) || !Array.isArray(errors)) return null;
  return {
    files: files as number,
    events: events as number,
    duplicates: duplicates as number,
    mapped: mapped as number,
    unmapped: unmapped as number,
    ...(isCount(raw.reused) ? { reused: raw.reused } : {}),
    errors: errors
      .filter(isRecord)
      .map((e) => ({ file: String(e.file ?? ''), message: String(e.message ?? '') })),
  };
}

/** `coverage.pushdown`: which engine aggregated the usage, what it scanned, and the queries it ran. */
export interface PushdownCoverage {
  /** `cloudtrail-lake` or `athena`. */
  engine: string;
  /** The event data store or table. */
  target: string;
  queryIds: string[];
  /** Null when the engine did not say. */
  bytesScanned: number | null;
  events: number;
  mapped: number;
  unmapped: number;
  /** Client rows whose per-minute peak is a lower bound. */
  peakLowerBounds: number;
}

/** The pushed-down aggregation's coverage, or null when usage was not aggregated by an engine. */
export function readPushdownCoverage(coverage: Record<string, unknown>): PushdownCoverage | null {
  const raw = coverage.pushdown;
  if (!isRecord(raw)) return null;
  const { engine, target, queryIds, bytesScanned, events, mapped, unmapped, peakLowerBounds } = raw;
  if (typeof engine !== 'string' || typeof target !== 'string' || !Array.isArray(queryIds)) return null;
  if (![events, mapped, unmapped].every(isCount)) return null;
  return {
    engine,
    target,
    queryIds: queryIds.map(String),
    bytesScanned: isCount(bytesScanned) ? bytesScanned : null,
    events: events as number,
    mapped: mapped as number,
    unmapped: unmapped as number,
    peakLowerBounds: isCount(peakLowerBounds) ? peakLowerBounds : 0,
  };
}

/** "CloudTrail Lake" for `cloudtrail-lake`, "Athena" for `athena`. */
export function engineTitle(engine: string): string {
  return engine === 'cloudtrail-lake' ? 'CloudTrail Lake' : engine === 'athena' ? 'Athena' : engine;
}

/**
 * The share of CloudTrail events that mapped to a permission, as a percentage with one decimal ("98.5%"),
 * or null when no event was subject to mapping. Never rounds up to 100.0% while an event is unmapped,
 * nor down to 0.0% while one is mapped.
 */
export function mappedSharePercent(trail: CloudTrailCoverage): string | null {
  const total = trail.mapped + trail.unmapped;
  if (total <= 0) return null;
  let share = Math.round((trail.mapped / total) * 1000) / 10;
  if (share >= 100 && trail.unmapped > 0) share = 99.9;
  if (share <= 0 && trail.mapped > 0) share = 0.1;
  return `${share.toFixed(1)}%`;
}

/** Something a scan could not read or evaluate: a source, an input file, a rule. */
export interface ReadProblem {
  kind: 'source' | 'input-file' | 'rule';
  /** Source name, file path or rule id. */
  name: string;
  /** `error` when nothing of it was read (a failed source, a rule that did not run), else `warning`. */
  level: 'error' | 'warning';
  message: string;
}

/** Everything the scan could not read: sources not ok, CloudTrail files with errors, rules that failed. */
export function readProblems(input: ReportInput): ReadProblem[] {
  const problems: ReadProblem[] = [];
  for (const source of input.scan.sources) {
    if (source.status === 'ok') continue;
    problems.push({
      kind: 'source',
      name: source.name,
      level: source.status === 'failed' ? 'error' : 'warning',
      message: source.detail,
    });
  }
  const fileErrors: InputError[] = readCloudTrailCoverage(input.scan.coverage)?.errors ?? [];
  for (const error of fileErrors) {
    problems.push({ kind: 'input-file', name: error.file, level: 'warning', message: error.message });
  }
  for (const stat of input.stats) {
    if (stat.error !== null)
      problems.push({ kind: 'rule', name: stat.ruleId, level: 'error', message: stat.error });
  }
  return problems;
}

/**
 * One sentence for a read problem ("source github was read only in part: rate limited…"), with `escape` applied
 * to the untrusted parts (the name and the message) for the format at hand.
 */
export function describeProblem(
  problem: ReadProblem,
  escape: (text: string) => string = (text) => text,
): string {
  const name = escape(problem.name);
  const message = escape(problem.message);
  switch (problem.kind) {
    case 'source':
      return problem.level === 'error'
        ? `source ${name} could not be read: ${message}`
        : `source ${name} was read only in part: ${message}`;
    case 'input-file':
      return `file ${name} could not be read: ${message}`;
    case 'rule':
      return `rule ${name} could not be evaluated: ${message}`;
  }
}

/**
 * True only when the scan says it is complete and nothing was left unread: a report may call an empty result
 * clean only then. Any other scan is presented as PARTIAL.
 */
export function isCompleteScan(input: ReportInput): boolean {
  return input.scan.status === 'complete' && readProblems(input).length === 0;
}

/** Why a scan is not complete, for the PARTIAL banner ("PARTIAL", "PARTIAL (the scan failed)"…). */
export function partialLabel(input: ReportInput): string {
  switch (input.scan.status) {
    case 'failed':
      return 'PARTIAL (the scan failed)';
    case 'running':
      return 'PARTIAL (the scan had not finished)';
    default:
      return 'PARTIAL';
  }
}
