// The lists: findings under a header per severity, the identities of the inventory, and the agents' posture scorecards.
import { Box } from 'ink';
import type { Severity } from '../../model/types.js';
import { SCORECARD_COLUMNS, type AgentScorecard } from '../../analysis/posture.js';
import { postureCell } from '../../report/scorecard.js';
import type { TriageFinding } from '../../triage/types.js';
import type { Line } from '../lines.js';
import { rowId, type ListRow } from '../select.js';
import { clean, day, fit, shortResource } from '../text.js';
import type { Tone } from '../theme.js';
import { SegmentLine } from './Segments.js';

/** Props of `List`. */
export interface ListProps {
  rows: readonly ListRow[];
  selectedId: string | null;
  /** First row drawn. */
  scroll: number;
  height: number;
  width: number;
  color: boolean;
  /** What to say when the filters leave nothing. */
  empty: string;
}

const SEVERITY_BADGE: Record<Severity, string> = {
  critical: 'CRIT',
  high: 'HIGH',
  medium: 'MED',
  low: 'LOW',
  info: 'INFO',
};

function acceptanceText(finding: TriageFinding): string {
  const a = finding.acceptance;
  const until = a?.expiresAt ? ` until ${day(a.expiresAt)}` : '';
  return `${finding.state}${until}${a?.reason ? `: ${clean(a.reason)}` : ''}`;
}

function findingLine(finding: TriageFinding, width: number): Line {
  const room = width - 2;
  const ruleWidth = Math.min(32, Math.max(14, Math.floor(room * 0.34)));
  const resourceWidth = Math.min(34, Math.max(10, Math.floor(room * 0.26)));
  const open = finding.state === 'open';
  return [
    { text: `${fit(clean(finding.ruleId), ruleWidth)} `, tone: open ? undefined : 'suppressed' },
    {
      text: `${fit(clean(shortResource(finding.resource)), resourceWidth)} `,
      tone: open ? 'accent' : 'suppressed',
    },
    { text: open ? clean(finding.reason) : acceptanceText(finding), tone: open ? 'dim' : 'suppressed' },
  ];
}

/** The agents list's short column titles (5 wide, so that the list fits 80 columns), in scorecard order. */
const AGENT_COLUMN_TITLES: Readonly<Record<string, string>> = {
  distinct: 'dist.',
  scoped: 'scope',
  shortLived: 'short',
  observable: 'obs.',
  owner: 'owner',
  purpose: 'purp.',
  expiry: 'exp.',
};
const CELL = 5;

function agentColumns(width: number): { nameWidth: number; kindWidth: number } {
  // The marker (2), name, a space, kind, a space, then a cell and a space per property.
  const room = Math.max(20, width - 2 - 2 - SCORECARD_COLUMNS.length * (CELL + 1));
  const kindWidth = Math.min(24, Math.floor(room * 0.4));
  return { nameWidth: room - kindWidth, kindWidth };
}

/** The agents list's column titles. */
function agentHeaderLine(width: number): Line {
  const { nameWidth, kindWidth } = agentColumns(width);
  const titles = SCORECARD_COLUMNS.map(({ key }) => fit(AGENT_COLUMN_TITLES[key]!, CELL)).join(' ');
  return [{ text: `  ${fit('agent', nameWidth)} ${fit('kind', kindWidth)} ${titles}`, tone: 'dim' }];
}

/** An agent's row: name, provider and kind, then ✓ ✗ ? per property (✗ N: N findings behind the failure). */
function agentLine(card: AgentScorecard, width: number): Line {
  const { nameWidth, kindWidth } = agentColumns(width);
  return [
    { text: `${fit(clean(card.name), nameWidth)} ` },
    { text: `${fit(`${clean(card.provider)} ${clean(card.kind)}`, kindWidth)} `, tone: 'dim' },
    ...SCORECARD_COLUMNS.map(({ key }, index) => {
      const check = card.properties[key];
      const tone = check.status === 'fail' ? 'error' : check.status === 'pass' ? 'ok' : 'dim';
      const cell = fit(postureCell(check), CELL);
      return { text: index < SCORECARD_COLUMNS.length - 1 ? `${cell} ` : cell, tone: tone as Tone };
    }),
  ];
}

function rowLine(row: ListRow, width: number): Line {
  if (row.kind === 'group') {
    return [
      { text: `${row.severity.toUpperCase()}`, tone: row.severity },
      {
        text: ` · ${row.open} open${row.accepted > 0 ? ` · ${row.accepted} suppressed or baselined` : ''}`,
        tone: 'dim',
      },
    ];
  }
  if (row.kind === 'finding') return findingLine(row.finding, width);
  if (row.kind === 'agent') return agentLine(row.card, width);
  if (row.kind === 'columns') return agentHeaderLine(width);
  const i = row.identity;
  const room = width - 2;
  const nameWidth = Math.max(12, room - 57);
  const owner = i.owner
    ? `${i.ownerStatus === 'departed' ? 'departed · ' : ''}${clean(i.owner)}`
    : i.isHuman
      ? 'a person'
      : 'no owner';
  return [
    { text: fit(row.worst ? SEVERITY_BADGE[row.worst] : '', 5), tone: row.worst ?? 'dim' },
    { text: `${fit(clean(i.name), nameWidth)} ` },
    { text: `${fit(i.kind, 9)} `, tone: 'dim' },
    {
      text: `${fit(owner, 21)} `,
      tone: i.ownerStatus === 'departed' || (!i.owner && !i.isHuman) ? 'error' : i.owner ? undefined : 'dim',
    },
    { text: `${fit(day(i.lastUsedAt), 10)} `, tone: 'dim' },
    { text: fit(row.open > 0 ? `${row.open} open` : '', 8), tone: row.worst ?? 'dim' },
  ];
}

/** A scrolled window of list rows; the selected one is marked `›` and drawn in reverse video. */
export function List({ rows, selectedId, scroll, height, width, color, empty }: ListProps) {
  const shown = rows.slice(scroll, scroll + height);
  const lines = shown.map((row, index) => {
    const id = rowId(row);
    const selected = id !== null && id === selectedId;
    const marker = id === null ? '' : selected ? '› ' : '  ';
    return (
      <SegmentLine
        key={`${scroll + index}`}
        line={[{ text: marker, tone: 'accent' }, ...rowLine(row, width)]}
        width={width}
        color={color}
        inverse={selected}
      />
    );
  });
  return (
    <Box flexDirection="column" height={height}>
      {rows.length === 0 ? (
        <SegmentLine line={[{ text: empty, tone: 'dim' }]} width={width} color={color} />
      ) : (
        lines
      )}
    </Box>
  );
}
