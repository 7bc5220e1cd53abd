// The whole triage screen for a state: header, the list or a pane, and the footer; sized to the terminal.
import { Box } from 'ink';
import type { TriageState } from '../state.js';
import { layout, MIN_SIZE } from '../layout.js';
import type { Line } from '../lines.js';
import {
  findingById,
  findingCounts,
  identityById,
  listRows,
  paneLines,
  rowId,
  selectedId,
} from '../select.js';
import { scorecardTotals, SCORECARD_COLUMNS } from '../../analysis/posture.js';
import { clean, day, shortResource, wrap } from '../text.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { List } from './Lists.js';
import { Pane } from './Pane.js';
import { SegmentLine } from './Segments.js';

/** Props of `TriageScreen`. */
export interface TriageScreenProps {
  state: TriageState;
  color: boolean;
}

/** Draws `state`; takes no input and reads no data (the controller does both). */
export function TriageScreen({ state, color }: TriageScreenProps) {
  const l = layout(state.size);
  if (l.tooSmall) {
    const text = `agentaudit triage needs at least ${MIN_SIZE.columns}×${MIN_SIZE.rows}: enlarge the terminal (q quits)`;
    return (
      <Box flexDirection="column" width={l.width}>
        {wrap(text, l.width)
          .slice(0, l.height)
          .map((part, index) => (
            <SegmentLine key={index} line={[{ text: part }]} width={l.width} color={color} />
          ))}
      </Box>
    );
  }
  const rows = listRows(state);
  const selectable = rows.filter((row) => rowId(row) !== null).length;
  const counts = findingCounts(state);
  const identities = state.data.identities;
  const context = contextLines(state);
  const paneHeight = l.pane - (state.prompt ? 2 : 0);
  return (
    <Box flexDirection="column" width={l.width} height={l.height}>
      <Header
        scan={state.data.scan}
        view={state.view}
        counts={counts}
        identities={{
          total: identities.length,
          agents: identities.filter((i) => i.isAgent).length,
          withoutOwner: identities.filter((i) => !i.owner && !i.isHuman).length,
          ownerDeparted: identities.filter((i) => i.ownerStatus === 'departed').length,
        }}
        shown={selectable}
        total={
          state.view === 'findings'
            ? state.data.findings.length
            : state.view === 'agents'
              ? state.data.agents.length
              : identities.length
        }
        agentsFailing={SCORECARD_COLUMNS.map(({ key, title }) => ({
          title,
          failing: scorecardTotals(state.data.agents)[key].fail,
        }))}
        filter={state.filter}
        baselineFile={state.data.baselineFile}
        width={l.width}
        color={color}
      />
      {state.overlay ? (
        <Pane
          lines={paneLines(state)}
          scroll={state.overlay.scroll}
          height={paneHeight}
          width={l.width}
          color={color}
        />
      ) : (
        <List
          rows={rows}
          selectedId={selectedId(state)}
          scroll={state.scroll[state.view]}
          height={l.body}
          width={l.width}
          color={color}
          empty={
            state.view === 'findings'
              ? state.data.findings.length === 0
                ? 'No findings in this scan.'
                : 'No finding matches the filters (Esc clears the text filter, s cycles the severity).'
              : state.view === 'agents'
                ? state.data.agents.length === 0
                  ? 'No agent identities in this scan.'
                  : 'No agent matches the filters.'
                : 'No identity matches the filters.'
          }
        />
      )}
      <Footer
        context={state.overlay && !state.prompt ? [] : context}
        status={statusLine(state, l.width)}
        width={l.width}
        color={color}
      />
    </Box>
  );
}

const findingsCount = (n: number): string => (n === 0 ? '' : ` (${n} finding${n === 1 ? '' : 's'})`);

/** The two lines above the status line: what a prompt asks, else a preview of the selection. */
function contextLines(state: TriageState): Line[] {
  const prompt = state.prompt;
  if (prompt) {
    const help = (error: string | null, text: string): Line =>
      error ? [{ text: error, tone: 'error' }] : [{ text, tone: 'dim' }];
    switch (prompt.kind) {
      case 'filter':
        return [
          [{ text: 'Filter by text: rule, resource, reason, identity name, owner' }],
          help(null, 'Enter keeps it · Esc restores the previous filter · Ctrl+U clears'),
        ];
      case 'suppress-reason':
      case 'suppress-expiry': {
        const finding = findingById(state, prompt.findingId);
        const what = finding ? `${clean(finding.ruleId)} on ${clean(shortResource(finding.resource))}` : '';
        const where = state.data.baselineFile
          ? `cache + ${state.data.baselineFile}`
          : 'the cache only (no baseline file)';
        return prompt.kind === 'suppress-reason'
          ? [
              [{ text: `Suppress ${what}: why is it acceptable? (kept in ${where})` }],
              help(prompt.error, 'Enter: next, the expiry · Esc: cancel'),
            ]
          : [
              [{ text: `Suppress ${what} until (a date after ${day(state.data.scan.asOf)}):` }],
              help(prompt.error, 'Enter: suppress · Esc: cancel'),
            ];
      }
      case 'export-format':
        return [
          [{ text: `Export the ${state.view} view as shown (filters applied)` }],
          help(null, 'Esc: cancel'),
        ];
      case 'export-path':
        return [
          [
            {
              text: `${prompt.format === 'markdown' ? 'Markdown' : 'JSON'} export of the ${state.view} view`,
            },
          ],
          help(prompt.error, 'Enter: write the file (0600) · Esc: cancel'),
        ];
    }
  }
  const id = selectedId(state);
  if (state.view === 'findings') {
    const finding = id ? findingById(state, id) : undefined;
    if (!finding) return [[{ text: '' }], [{ text: '' }]];
    const second =
      finding.state === 'open'
        ? clean(finding.reason)
        : `${finding.state}${finding.acceptance?.expiresAt ? ` until ${day(finding.acceptance.expiresAt)}` : ''}${finding.acceptance?.reason ? `: ${clean(finding.acceptance.reason)}` : ''}`;
    return [[{ text: clean(finding.resource), tone: 'accent' }], [{ text: second, tone: 'dim' }]];
  }
  if (state.view === 'agents') {
    const card = id ? state.data.agents.find((a) => a.identity === id) : undefined;
    if (!card) return [[{ text: '' }], [{ text: '' }]];
    const failed = SCORECARD_COLUMNS.filter(({ key }) => card.properties[key].status === 'fail');
    return [
      [{ text: clean(card.identity), tone: 'accent' }],
      [
        {
          text:
            failed.length === 0
              ? 'fails no property'
              : `fails ${failed.map(({ key, title }) => `${title}${findingsCount(card.properties[key].findings.length)}`).join(', ')} · ⏎ the findings behind each`,
          tone: 'dim',
        },
      ],
    ];
  }
  const identity = id ? identityById(state, id) : undefined;
  if (!identity) return [[{ text: '' }], [{ text: '' }]];
  const owner = identity.owner
    ? `owner ${clean(identity.owner)}${identity.ownerStatus ? ` (${identity.ownerStatus})` : ''}`
    : 'no owner';
  return [
    [{ text: clean(identity.arn ?? identity.id), tone: 'accent' }],
    [
      {
        text: `${owner} · last used ${day(identity.lastUsedAt)} · ${identity.credentials.length} credential(s) · ${identity.findingIds.length} finding(s)`,
        tone: 'dim',
      },
    ],
  ];
}

const LIST_HINTS = [
  '⏎ details',
  '/ filter',
  'x suppress',
  'u undo',
  'g granted/used',
  's severity',
  'p provider',
  'Tab identities',
  'e export',
];
const AGENT_HINTS = [
  '⏎ findings behind',
  'g granted/used',
  '/ filter',
  'p provider',
  'Tab findings',
  'e export',
];
const IDENTITY_HINTS = [
  '⏎ details',
  'g granted/used',
  '/ filter',
  's severity',
  'p provider',
  'Tab agents',
  'e export',
];
const PANE_HINTS = ['↑↓ scroll', 'Esc back', 'g granted/used', 'x suppress', 'u undo'];

/** Hints that fit in `width`, the help and quit keys always last. */
function hintsLine(hints: readonly string[], tail: readonly string[], width: number): Line {
  const end = tail.join('  ');
  let text = '';
  for (const hint of hints) {
    const next = text ? `${text}  ${hint}` : hint;
    if (next.length + 2 + end.length > width) break;
    text = next;
  }
  return [{ text: text ? `${text}  ${end}` : end, tone: 'dim' }];
}

/** The status line: a prompt with its input and cursor, a message, or the key hints. */
function statusLine(state: TriageState, width: number): Line {
  const prompt = state.prompt;
  if (prompt) {
    const input = (label: string, value: string): Line => [
      { text: label, tone: 'accent' },
      { text: value },
      { text: '█', tone: 'accent' },
    ];
    switch (prompt.kind) {
      case 'filter':
        return input('/', prompt.value);
      case 'suppress-reason':
        return input('Reason: ', prompt.value);
      case 'suppress-expiry':
        return input('Expires (YYYY-MM-DD): ', prompt.value);
      case 'export-format':
        return [{ text: 'Export as (m) Markdown or (j) JSON? ', tone: 'accent' }];
      case 'export-path':
        return input('Export to: ', prompt.value);
    }
  }
  if (state.message) {
    return [{ text: state.message.text, tone: state.message.tone === 'error' ? 'error' : 'ok' }];
  }
  if (state.overlay) {
    const hints = state.overlay.kind === 'detail' ? PANE_HINTS : PANE_HINTS.slice(0, 2);
    return hintsLine(hints, ['? keys'], width);
  }
  const hints =
    state.view === 'findings' ? LIST_HINTS : state.view === 'agents' ? AGENT_HINTS : IDENTITY_HINTS;
  return hintsLine(hints, ['? keys', 'q quit'], width);
}
