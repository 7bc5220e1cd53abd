// The terminal report (the default format): findings grouped by severity, a PARTIAL banner, a summary footer.
import { Chalk, type ChalkInstance } from 'chalk';
import { SEVERITIES, type Severity } from '../model/types.js';
import { redactReportInput, redactSecrets } from './redact.js';
import {
  describeProblem,
  isCompleteScan,
  mappedSharePercent,
  partialLabel,
  readCloudTrailCoverage,
  readPushdownCoverage,
  engineTitle,
  readProblems,
  summarizeReport,
} from './summary.js';
import { scorecardTextLines } from './scorecard.js';
import { formatBytes, formatCount, plural, stripControlCharacters } from './text.js';
import type { ReportInput } from './types.js';

/** Reasons are wrapped to this many columns (indent included). */
export const TABLE_WIDTH = 100;
const REASON_INDENT = '      ';
const MAX_PROBLEMS_LISTED = 5;

const paint = (chalk: ChalkInstance): Record<Severity, (text: string) => string> => ({
  critical: (t) => chalk.bold.red(t),
  high: (t) => chalk.red(t),
  medium: (t) => chalk.yellow(t),
  low: (t) => chalk.cyan(t),
  info: (t) => chalk.gray(t),
});

/**
 * Wraps `text` to `width` columns, each line starting with `indent`. Words longer than a line (an ARN, a URL) are
 * kept whole so they can still be copied; paragraphs (newlines in the text) are kept.
 */
export function wrapText(text: string, width: number, indent = ''): string[] {
  const available = Math.max(20, width - indent.length);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter((w) => w.length > 0)) {
      if (line.length > 0 && line.length + 1 + word.length > available) {
        lines.push(indent + line);
        line = word;
      } else {
        line = line.length > 0 ? `${line} ${word}` : word;
      }
    }
    if (line.length > 0) lines.push(indent + line);
  }
  return lines;
}

/** Untrusted text on one line, with no terminal control sequences. */
const clean = (text: string): string => stripControlCharacters(text).trim();

function header(input: ReportInput, chalk: ChalkInstance): string[] {
  const sources = input.scan.sources.map((s) => `${clean(s.name)} ${s.status}`).join(', ') || 'none';
  const status = isCompleteScan(input)
    ? chalk.green(input.scan.status)
    : chalk.yellow.bold(input.scan.status);
  const lines = [
    `${chalk.bold('agentaudit')}  scan #${input.scan.id}  as of ${clean(input.scan.asOf)}${input.scan.window ? `  usage since ${clean(input.scan.window.since)}` : ''}  status ${status}  sources: ${sources}`,
  ];
  if (!isCompleteScan(input)) {
    const problems = readProblems(input);
    lines.push(
      chalk.bgYellow.black.bold(` ${partialLabel(input)} SCAN `) +
        chalk.yellow(
          ' some inputs could not be read, so findings may be missing: this is not a clean result.',
        ),
    );
    for (const problem of problems.slice(0, MAX_PROBLEMS_LISTED)) {
      lines.push(chalk.yellow(`  ${describeProblem(problem, clean)}`));
    }
    if (problems.length > MAX_PROBLEMS_LISTED) {
      lines.push(chalk.yellow(`  … and ${formatCount(problems.length - MAX_PROBLEMS_LISTED)} more`));
    }
  }
  return lines;
}

function findingLines(input: ReportInput, chalk: ChalkInstance): string[] {
  const summary = summarizeReport(input);
  if (input.findings.length === 0) {
    return isCompleteScan(input)
      ? [
          chalk.green(
            `No findings: ${plural(summary.checked, 'resource')} checked with ${plural(summary.rulesRun, 'rule')}, all clean.`,
          ),
        ]
      : [
          chalk.yellow(
            `No findings in what could be read. The scan is ${partialLabel(input)}: this is not a clean result.`,
          ),
        ];
  }
  const colours = paint(chalk);
  const lines: string[] = [];
  for (const severity of SEVERITIES) {
    const group = input.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    if (lines.length > 0) lines.push('');
    lines.push(colours[severity](`${severity.toUpperCase()} (${formatCount(group.length)})`));
    for (const finding of group) {
      lines.push(`  ${chalk.bold(clean(finding.ruleId))}  ${clean(finding.resource)}`);
      const reason = stripControlCharacters(finding.reason, true).trim();
      lines.push(...wrapText(reason, TABLE_WIDTH, REASON_INDENT));
    }
  }
  return lines;
}

function footer(input: ReportInput, chalk: ChalkInstance): string[] {
  const summary = summarizeReport(input);
  const colours = paint(chalk);
  const bySeverity = SEVERITIES.map((s) => {
    const text = `${formatCount(summary.bySeverity[s])} ${s}`;
    return summary.bySeverity[s] > 0 ? colours[s](text) : text;
  }).join(', ');
  const lines = [
    `checked ${plural(summary.checked, 'resource')} with ${plural(summary.rulesRun, 'rule')}: ` +
      `${chalk.bold(plural(summary.alarms, 'alarm'))} (${bySeverity}), ` +
      `hidden: ${formatCount(summary.hidden.suppressed)} suppressed, ${formatCount(summary.hidden.baselined)} baselined`,
  ];
  const trail = readCloudTrailCoverage(input.scan.coverage);
  if (trail) {
    const share = mappedSharePercent(trail);
    const errors =
      trail.errors.length > 0 ? chalk.yellow(`, ${plural(trail.errors.length, 'file')} with errors`) : '';
    lines.push(
      `CloudTrail: ${plural(trail.events, 'event')} in ${plural(trail.files, 'file')}, ` +
        (share ? `${share} mapped (${formatCount(trail.unmapped)} unmapped)` : 'none mapped') +
        `, ${plural(trail.duplicates, 'duplicate')}${errors}`,
    );
  }
  const pushdown = readPushdownCoverage(input.scan.coverage);
  if (pushdown) {
    const share = mappedSharePercent({ ...pushdown, files: 0, duplicates: 0, errors: [] });
    const scanned = pushdown.bytesScanned === null ? '' : `, ${formatBytes(pushdown.bytesScanned)} scanned`;
    const queries = pushdown.queryIds.length > 0 ? `, query ${pushdown.queryIds.map(clean).join(', ')}` : '';
    lines.push(
      `Usage aggregated by ${engineTitle(pushdown.engine)} (${clean(pushdown.target)}): ` +
        `${plural(pushdown.events, 'event')}` +
        (share ? `, ${share} mapped` : '') +
        `${scanned}${queries}`,
    );
  }
  return lines;
}

function scorecardSection(input: ReportInput, chalk: ChalkInstance): string[] {
  if (input.agents.length === 0) return [];
  return [
    chalk.bold(`AGENT POSTURE (${formatCount(input.agents.length)} agents)`),
    ...scorecardTextLines(input.agents),
    '',
  ];
}

/**
 * Renders the terminal report: header (scan, as-of, status, sources), a PARTIAL banner when the scan is not
 * complete, findings grouped by severity with wrapped reasons, the agent posture scorecard, and a summary footer. Colour only when
 * `input.color` is true (never from chalk's own detection, so output is deterministic); secrets are masked.
 */
export function renderTable(input: ReportInput): string {
  const safe = redactReportInput(input);
  const chalk = new Chalk({ level: safe.color ? 1 : 0 });
  const lines = [
    ...header(safe, chalk),
    '',
    ...findingLines(safe, chalk),
    '',
    ...scorecardSection(safe, chalk),
    ...footer(safe, chalk),
  ];
  return redactSecrets(`${lines.join('\n')}\n`);
}
