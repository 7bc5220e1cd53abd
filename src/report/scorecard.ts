// The agent posture scorecard as text: one row per agent with ✓ ✗ ? per property (reports, inventory), and one agent's
// properties with reasons and finding ids (rightsize). Pure.
import {
  SCORECARD_COLUMNS,
  scorecardTotals,
  type AgentScorecard,
  type PostureStatus,
} from '../analysis/posture.js';
import { stripControlCharacters } from './text.js';

/** ✓ pass, ✗ fail, ? unknown. */
export const POSTURE_MARK: Readonly<Record<PostureStatus, string>> = { pass: '✓', fail: '✗', unknown: '?' };

/** The legend printed under every scorecard table. */
export const SCORECARD_LEGEND =
  '✓ pass  ✗ fail (✗ N: N findings fail it)  ? unknown (no evidence either way)';

/** A property's cell: its mark, and the number of findings behind a failure. */
export function postureCell(check: { status: PostureStatus; findings: readonly string[] }): string {
  return check.status === 'fail' && check.findings.length > 0
    ? `${POSTURE_MARK.fail} ${check.findings.length}`
    : POSTURE_MARK[check.status];
}

const clean = (text: string): string => stripControlCharacters(text).trim();
const fit = (text: string, width: number): string =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);

/** The agent's name with its provider and kind, as the scorecard's first column shows it. */
export function agentLabel(card: AgentScorecard): string {
  return `${clean(card.name)} (${clean(card.provider)} ${clean(card.kind)})`;
}

/** "3 of 16 agents fail scoped, …": how many agents fail each property. */
export function scorecardTotalsLine(cards: readonly AgentScorecard[]): string {
  const totals = scorecardTotals(cards);
  const parts = SCORECARD_COLUMNS.map(({ key, title }) => `${title} ${totals[key].fail}`);
  return `agents failing each property (of ${cards.length}): ${parts.join(', ')}`;
}

/** The scorecard as a fixed-width text table: a header, one row per agent, the totals and the legend. */
export function scorecardTextLines(cards: readonly AgentScorecard[], labelWidth = 52): string[] {
  if (cards.length === 0) return ['No agent identities in this scan.'];
  const width = Math.min(labelWidth, Math.max(5, ...cards.map((card) => agentLabel(card).length)));
  const header = [fit('agent', width), ...SCORECARD_COLUMNS.map(({ title }) => title)].join('  ');
  const rows = cards.map((card) =>
    [
      fit(agentLabel(card), width),
      ...SCORECARD_COLUMNS.map(({ key, title }) => fit(postureCell(card.properties[key]), title.length)),
    ]
      .join('  ')
      .trimEnd(),
  );
  return [header, ...rows, '', scorecardTotalsLine(cards), SCORECARD_LEGEND];
}

/** One agent's properties, one line each: mark, property, reason, then the ids of the findings behind a failure. */
export function scorecardDetailLines(card: AgentScorecard, indent = '  '): string[] {
  const width = Math.max(...SCORECARD_COLUMNS.map(({ title }) => title.length));
  const lines: string[] = [];
  for (const { key, title } of SCORECARD_COLUMNS) {
    const check = card.properties[key];
    lines.push(`${indent}${POSTURE_MARK[check.status]} ${title.padEnd(width)}  ${clean(check.reason)}`);
    for (const id of check.findings) lines.push(`${indent}    finding ${clean(id)}`);
  }
  return lines;
}
