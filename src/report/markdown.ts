// The Markdown report, sized for a GitHub Actions job summary ($GITHUB_STEP_SUMMARY, 1 MiB at most).
import { SCORECARD_COLUMNS } from '../analysis/posture.js';
import { SEVERITIES, type Severity } from '../model/types.js';
import type { StoredFinding } from '../store/reads.js';
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
import { postureCell, SCORECARD_LEGEND, scorecardTotalsLine } from './scorecard.js';
import { formatBytes, formatCount, plural, stripControlCharacters } from './text.js';
import type { ReportInput, ReportRule } from './types.js';

/** At most this many findings are listed in detail; the rest are counted. Keeps the summary far below 1 MiB. */
export const MARKDOWN_MAX_FINDINGS = 100;

/** At most this many agents get a scorecard row; the rest are counted (the JSON report has them all). */
export const MARKDOWN_MAX_AGENTS = 100;

// Cell and text caps: with them the document is bounded whatever the input (100 rows × ~1 KB, plus rule help).
const MAX_RESOURCE = 200;
const MAX_REASON = 500;
const MAX_RULE_TEXT = 4000;
const MAX_PROBLEMS_LISTED = 10;

const SEVERITY_TITLE: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/**
 * Escapes untrusted text (a resource, a reason, an error) for a Markdown table cell or list item: Markdown
 * punctuation is backslash-escaped, HTML special characters become entities, line breaks become `<br>`.
 */
export function escapeMarkdown(text: string, max = Number.POSITIVE_INFINITY): string {
  return truncate(stripControlCharacters(text, true).trim(), max)
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[\\`*_[\]|~#]/g, '\\$&')
    .replace(/\n+/g, '<br>');
}

/** Escapes text for an HTML context (a `<summary>`). */
const escapeHtml = (text: string): string =>
  stripControlCharacters(text).replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );

/** A rule id as inline code when it is a plain identifier, escaped text otherwise. */
const ruleCode = (ruleId: string): string =>
  /^[A-Za-z0-9._:/-]+$/.test(ruleId) ? `\`${ruleId}\`` : escapeMarkdown(ruleId);

function statusSection(input: ReportInput): string[] {
  const lines: string[] = [];
  const sources =
    input.scan.sources.map((s) => `${escapeMarkdown(s.name)} (${s.status})`).join(', ') || 'none';
  const meta = `Scan #${input.scan.id} · as of ${escapeMarkdown(input.scan.asOf)}${input.scan.window ? ` · usage since ${escapeMarkdown(input.scan.window.since)}` : ''} · sources: ${sources}`;
  if (isCompleteScan(input)) {
    lines.push(`**Status:** complete ✅`, '', meta);
    return lines;
  }
  const problems = readProblems(input);
  lines.push(
    '> [!WARNING]',
    `> **Status: ${partialLabel(input)}.** Some inputs could not be read, so findings may be missing: an empty or short list is not a clean result.`,
  );
  if (problems.length > 0) {
    lines.push('>');
    for (const problem of problems.slice(0, MAX_PROBLEMS_LISTED)) {
      lines.push(`> - ${describeProblem(problem, (text) => escapeMarkdown(text, 300))}`);
    }
    if (problems.length > MAX_PROBLEMS_LISTED)
      lines.push(`> - … and ${formatCount(problems.length - MAX_PROBLEMS_LISTED)} more`);
  }
  lines.push('', meta);
  return lines;
}

function summarySection(input: ReportInput): string[] {
  const summary = summarizeReport(input);
  return [
    '### Summary',
    '',
    '| Severity | Findings |',
    '| --- | ---: |',
    ...SEVERITIES.map((s) => `| ${SEVERITY_TITLE[s]} | ${formatCount(summary.bySeverity[s])} |`),
    `| **Total** | **${formatCount(summary.alarms)}** |`,
    '',
    `Checked ${plural(summary.checked, 'resource')} with ${plural(summary.rulesRun, 'rule')}; ` +
      `hidden: ${formatCount(summary.hidden.suppressed)} suppressed, ${formatCount(summary.hidden.baselined)} baselined.`,
  ];
}

function coverageSection(input: ReportInput): string[] {
  const trail = readCloudTrailCoverage(input.scan.coverage);
  const pushdown = readPushdownCoverage(input.scan.coverage);
  const lines = ['### Coverage', ''];
  if (pushdown) {
    const share = mappedSharePercent({ ...pushdown, files: 0, duplicates: 0, errors: [] });
    const queries = pushdown.queryIds.map((id) => `\`${escapeMarkdown(id, 100)}\``).join(', ');
    lines.push(
      `- **Usage aggregated by ${engineTitle(pushdown.engine)}** (${escapeMarkdown(pushdown.target, 200)}): ` +
        plural(pushdown.events, 'event') +
        (share ? `; ${share} mapped to a permission` : '') +
        (pushdown.bytesScanned === null ? '' : `; ${formatBytes(pushdown.bytesScanned)} scanned`) +
        (queries ? `; query ${queries}` : '') +
        '.',
    );
  }
  if (!trail) {
    if (!pushdown) lines.push('- **CloudTrail:** not read in this scan.');
    return lines;
  }
  const share = mappedSharePercent(trail);
  lines.push(
    `- **CloudTrail:** ${plural(trail.events, 'event')} in ${plural(trail.files, 'file')}` +
      (share
        ? `; ${share} mapped to a permission (${formatCount(trail.mapped)} mapped, ${formatCount(trail.unmapped)} unmapped)`
        : '') +
      `; ${plural(trail.duplicates, 'duplicate')} skipped.`,
  );
  if (trail.errors.length === 0) {
    lines.push('- **Errors:** none.');
  } else {
    lines.push(`- **Errors:** ${plural(trail.errors.length, 'file')} could not be read in full:`);
    for (const error of trail.errors.slice(0, MAX_PROBLEMS_LISTED)) {
      lines.push(`  - ${escapeMarkdown(error.file, 200)}: ${escapeMarkdown(error.message, 300)}`);
    }
    if (trail.errors.length > MAX_PROBLEMS_LISTED) {
      lines.push(`  - … and ${formatCount(trail.errors.length - MAX_PROBLEMS_LISTED)} more`);
    }
  }
  return lines;
}

function findingsSection(input: ReportInput, maxFindings: number): string[] {
  const lines = ['### Findings', ''];
  const summary = summarizeReport(input);
  if (input.findings.length === 0) {
    lines.push(
      isCompleteScan(input)
        ? `No findings: ${plural(summary.checked, 'resource')} checked with ${plural(summary.rulesRun, 'rule')}, none alarmed.`
        : `No findings in what could be read. This scan is **${partialLabel(input)}**, so this is not a clean result.`,
    );
    return lines;
  }
  const shown = input.findings.slice(0, Math.max(0, maxFindings));
  for (const severity of SEVERITIES) {
    const group = shown.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    const total = summary.bySeverity[severity];
    const count =
      group.length === total
        ? formatCount(total)
        : `${formatCount(total)}, ${formatCount(group.length)} shown`;
    lines.push(
      `#### ${SEVERITY_TITLE[severity]} (${count})`,
      '',
      '| Severity | Rule | Resource | Reason |',
      '| --- | --- | --- | --- |',
    );
    for (const f of group) {
      lines.push(
        `| ${severity} | ${ruleCode(f.ruleId)} | ${escapeMarkdown(f.resource, MAX_RESOURCE)} | ${escapeMarkdown(f.reason, MAX_REASON)} |`,
      );
    }
    lines.push('');
  }
  const omitted = input.findings.length - shown.length;
  if (omitted > 0) {
    lines.push(
      `_${plural(omitted, 'more finding')} not shown: this summary lists the ${formatCount(shown.length)} most severe. ` +
        'The JSON and SARIF reports list them all._',
      '',
    );
  }
  lines.push(...remediationSection(input, shown));
  return lines;
}

/** One collapsed `<details>` per rule with shown findings: its remediation and references. */
function remediationSection(input: ReportInput, shown: readonly StoredFinding[]): string[] {
  const catalogue = new Map(input.rules.map((rule) => [rule.id, rule]));
  const byRule = new Map<string, StoredFinding[]>();
  for (const finding of shown) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  const lines = ['### Remediation', ''];
  for (const [ruleId, findings] of byRule) {
    const first = findings[0]!;
    const rule: Pick<ReportRule, 'title' | 'remediation' | 'references'> = catalogue.get(ruleId) ?? first;
    lines.push(
      '<details>',
      `<summary><strong>${escapeHtml(ruleId)}</strong>: ${escapeHtml(rule.title)} (${plural(findings.length, 'finding')})</summary>`,
      '',
      `**Remediation.** ${truncate(stripControlCharacters(rule.remediation, true).trim() || 'See the references.', MAX_RULE_TEXT)}`,
      '',
    );
    if (rule.references.length > 0) {
      lines.push('**References**', '');
      for (const ref of rule.references) {
        const label = escapeMarkdown(`${ref.id}: ${ref.title}`, 300);
        lines.push(/^https?:\/\/[^\s()<>]+$/.test(ref.url) ? `- [${label}](${ref.url})` : `- ${label}`);
      }
      lines.push('');
    }
    lines.push('</details>', '');
  }
  return lines;
}

/** The agent posture scorecard: one row per agent, ✓ ✗ ? per property, and the rules behind each failure. */
function scorecardMarkdownSection(input: ReportInput): string[] {
  if (input.agents.length === 0) return [];
  const lines = [
    `### Agent posture (${formatCount(input.agents.length)} agents)`,
    '',
    `| Agent | ${SCORECARD_COLUMNS.map(({ title }) => title).join(' | ')} |`,
    `|---|${SCORECARD_COLUMNS.map(() => ':-:').join('|')}|`,
  ];
  for (const card of input.agents.slice(0, MARKDOWN_MAX_AGENTS)) {
    const marks = SCORECARD_COLUMNS.map(({ key }) => postureCell(card.properties[key]));
    lines.push(
      `| ${escapeMarkdown(card.name, MAX_RESOURCE)} <sub>${escapeMarkdown(`${card.provider} ${card.kind}`, 80)}</sub> | ${marks.join(' | ')} |`,
    );
  }
  const rest = input.agents.length - MARKDOWN_MAX_AGENTS;
  if (rest > 0) lines.push('', `… and ${formatCount(rest)} more agents (the JSON report lists every one).`);
  lines.push(
    '',
    escapeMarkdown(scorecardTotalsLine(input.agents)),
    '',
    `${escapeMarkdown(SCORECARD_LEGEND)}. The JSON report's \`summary.agents\` gives each reason and the ids of the findings behind a failure.`,
  );
  return lines;
}

/**
 * Renders the Markdown report for a GitHub Actions job summary: status (complete or PARTIAL with what could not be
 * read), severity table, coverage, the agent posture scorecard, findings grouped by severity (at most `maxFindings`, the rest counted) and
 * collapsed remediation per rule. Untrusted text is escaped; secrets are masked.
 */
export function renderMarkdown(input: ReportInput, options: { maxFindings?: number } = {}): string {
  const safe = redactReportInput(input);
  const maxFindings = options.maxFindings ?? MARKDOWN_MAX_FINDINGS;
  const sections = [
    ['## agentaudit report', ''],
    statusSection(safe),
    summarySection(safe),
    coverageSection(safe),
    scorecardMarkdownSection(safe),
    findingsSection(safe, maxFindings),
  ];
  const text = sections.map((lines) => lines.join('\n').trimEnd()).join('\n\n');
  return redactSecrets(`${text}\n`);
}
