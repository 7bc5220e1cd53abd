// The three header lines: scan and views, counts (or the agents failing each property), and the filters in force.
import { Box } from 'ink';
import { SEVERITIES, type Severity } from '../../model/types.js';
import type { Line } from '../lines.js';
import { SegmentLine } from './Segments.js';

/** Props of `Header`. */
export interface HeaderProps {
  scan: { id: number; asOf: string; status: 'complete' | 'partial' };
  view: 'findings' | 'identities' | 'agents';
  /** Open findings per severity, and the hidden ones. */
  counts: { open: Record<Severity, number>; suppressed: number; baselined: number };
  identities: { total: number; agents: number; withoutOwner: number; ownerDeparted: number };
  /** How many agents fail each posture property, for the agents view. */
  agentsFailing: { title: string; failing: number }[];
  shown: number;
  total: number;
  filter: { text: string; floor: Severity; provider: string | null };
  baselineFile: string | null;
  width: number;
  color: boolean;
}

/** The header: where you are, what is worst, what the filters hide. */
export function Header(props: HeaderProps) {
  const { scan, view, counts, identities, filter, width, color } = props;
  const title: Line = [
    { text: 'agentaudit triage', tone: 'heading' },
    { text: `  scan #${scan.id} · as of ${scan.asOf.slice(0, 10)}`, tone: 'dim' },
    ...(scan.status === 'partial' ? [{ text: '  PARTIAL', tone: 'error' as const }] : []),
    { text: '   ' },
    { text: view === 'findings' ? '[Findings]' : ' Findings ', tone: view === 'findings' ? 'accent' : 'dim' },
    { text: ' ' },
    {
      text: view === 'identities' ? '[Identities]' : ' Identities ',
      tone: view === 'identities' ? 'accent' : 'dim',
    },
    { text: ' ' },
    { text: view === 'agents' ? '[Agents]' : ' Agents ', tone: view === 'agents' ? 'accent' : 'dim' },
  ];
  const failing: Line = [
    { text: `${props.total} agents`, tone: 'heading' },
    { text: ' · failing: ', tone: 'dim' },
    ...props.agentsFailing.flatMap(({ title, failing: n }, index) => [
      { text: `${index > 0 ? ' · ' : ''}${title} `, tone: 'dim' as const },
      { text: String(n), tone: n > 0 ? ('high' as const) : ('dim' as const) },
    ]),
  ];
  const summary: Line =
    view === 'agents'
      ? failing
      : view === 'findings'
        ? [
            ...SEVERITIES.flatMap((severity) => [
              {
                text: `${severity} ${counts.open[severity]}`,
                tone: counts.open[severity] > 0 ? severity : ('dim' as const),
              },
              { text: '  ' },
            ]),
            { text: `│ ${counts.suppressed} suppressed · ${counts.baselined} baselined`, tone: 'dim' },
          ]
        : [
            { text: `${identities.total} identities`, tone: 'heading' },
            { text: ` · ${identities.agents} AI agents · ` },
            {
              text: `${identities.withoutOwner} without owner`,
              tone: identities.withoutOwner > 0 ? 'high' : 'dim',
            },
            { text: ' · ' },
            {
              text: `${identities.ownerDeparted} owner departed`,
              tone: identities.ownerDeparted > 0 ? 'high' : 'dim',
            },
          ];
  const filters: Line = [
    { text: `showing ${props.shown} of ${props.total}`, tone: 'dim' },
    { text: ' · severity ', tone: 'dim' },
    {
      text: filter.floor === 'info' ? 'all' : `≥ ${filter.floor}`,
      tone: filter.floor === 'info' ? 'dim' : 'accent',
    },
    { text: ' · provider ', tone: 'dim' },
    { text: filter.provider ?? 'all', tone: filter.provider ? 'accent' : 'dim' },
    { text: ' · filter ', tone: 'dim' },
    { text: filter.text ? `“${filter.text}”` : '—', tone: filter.text ? 'accent' : 'dim' },
    {
      text: props.baselineFile ? ` · baseline ${props.baselineFile}` : ' · no baseline file',
      tone: 'dim',
    },
  ];
  return (
    <Box flexDirection="column">
      <SegmentLine line={title} width={width} color={color} />
      <SegmentLine line={summary} width={width} color={color} />
      <SegmentLine line={filters} width={width} color={color} />
    </Box>
  );
}
