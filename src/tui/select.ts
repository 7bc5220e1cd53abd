// Pure selectors over the triage state: what the filters leave visible, list rows with group headers, counts, panes.
import { SEVERITIES, type Severity } from '../model/types.js';
import type { AgentScorecard } from '../analysis/posture.js';
import type { TriageFinding, TriageIdentity } from '../triage/types.js';
import { grantedVsUsedLines } from './grantedVsUsed.js';
import { layout } from './layout.js';
import {
  agentDetailLines,
  findingDetailLines,
  helpLines,
  identityDetailLines,
  LineBuilder,
  type Line,
} from './lines.js';
import type { TriageState, ViewName } from './state.js';

const rank = (severity: Severity): number => SEVERITIES.indexOf(severity);

/** Lookups by id, built once per data set (a reload brings a new data object). */
const indexes = new WeakMap<
  TriageState['data'],
  { findings: Map<string, TriageFinding>; identities: Map<string, TriageIdentity> }
>();
function indexOf(data: TriageState['data']) {
  let index = indexes.get(data);
  if (!index) {
    index = {
      findings: new Map(data.findings.map((f) => [f.id, f] as const)),
      identities: new Map(data.identities.map((i) => [i.id, i] as const)),
    };
    indexes.set(data, index);
  }
  return index;
}

/** The last rows computed per view, reused while the data and the filter are the same objects. */
const rowCache = new WeakMap<
  TriageState['data'],
  Map<ViewName, { filter: TriageState['filter']; rows: ListRow[] }>
>();

/** Whether `severity` is at or above the floor. */
export const atOrAbove = (severity: Severity, floor: Severity): boolean => rank(severity) <= rank(floor);

/** The findings the filters leave, in the cache's order (most severe first). */
export function visibleFindings(state: TriageState): TriageFinding[] {
  const { text, floor, provider } = state.filter;
  const needle = text.trim().toLowerCase();
  const identities = indexOf(state.data).identities;
  return state.data.findings.filter((f) => {
    if (!atOrAbove(f.severity, floor)) return false;
    if (provider && f.provider !== provider) return false;
    if (!needle) return true;
    const haystack = [
      f.ruleId,
      f.title,
      f.resource,
      f.reason,
      f.category,
      f.state,
      identities.get(f.identityId ?? '')?.name,
    ]
      .join('\n')
      .toLowerCase();
    return haystack.includes(needle);
  });
}

/** The worst severity among an identity's open findings, or null when it has none. */
export function worstOpenSeverity(state: TriageState, identity: TriageIdentity): Severity | null {
  let worst: Severity | null = null;
  for (const id of identity.findingIds) {
    const finding = findingById(state, id);
    if (!finding || finding.state !== 'open') continue;
    if (worst === null || rank(finding.severity) < rank(worst)) worst = finding.severity;
  }
  return worst;
}

/**
 * The identities the filters leave, worst open finding first, then by name. Above the `info` floor only identities
 * with an open finding at or above it remain.
 */
export function visibleIdentities(state: TriageState): TriageIdentity[] {
  const { text, floor, provider } = state.filter;
  const needle = text.trim().toLowerCase();
  return state.data.identities
    .map((identity) => ({ identity, worst: worstOpenSeverity(state, identity) }))
    .filter(({ identity, worst }) => {
      if (floor !== 'info' && (worst === null || !atOrAbove(worst, floor))) return false;
      if (provider && identity.provider !== provider) return false;
      if (!needle) return true;
      const haystack = [identity.name, identity.arn, identity.kind, identity.owner, identity.purpose]
        .join('\n')
        .toLowerCase();
      return haystack.includes(needle);
    })
    .sort(
      (a, b) =>
        (a.worst === null ? 9 : rank(a.worst)) - (b.worst === null ? 9 : rank(b.worst)) ||
        a.identity.name.localeCompare(b.identity.name),
    )
    .map(({ identity }) => identity);
}

/** One row of a list: a severity group's header, a finding, or an identity. */
export type ListRow =
  | { kind: 'group'; severity: Severity; open: number; accepted: number }
  | { kind: 'finding'; finding: TriageFinding }
  | { kind: 'identity'; identity: TriageIdentity; worst: Severity | null; open: number }
  | { kind: 'agent'; card: AgentScorecard }
  /** The agents list's column titles (not selectable). */
  | { kind: 'columns' };

/** The agents' scorecards the provider and text filters leave, in the scorecard's order. */
export function visibleAgents(state: TriageState): AgentScorecard[] {
  const { text, provider } = state.filter;
  const needle = text.trim().toLowerCase();
  return state.data.agents.filter((card) => {
    if (provider && card.provider !== provider) return false;
    if (!needle) return true;
    return [card.name, card.kind, card.provider, card.identity].join('\n').toLowerCase().includes(needle);
  });
}

/** The rows of a view's list: findings under a header per severity, identities and agents flat. */
export function listRows(state: TriageState, view: ViewName = state.view): ListRow[] {
  const cached = rowCache.get(state.data)?.get(view);
  if (cached && cached.filter === state.filter) return cached.rows;
  const rows = computeRows(state, view);
  const perView = rowCache.get(state.data) ?? new Map();
  perView.set(view, { filter: state.filter, rows });
  rowCache.set(state.data, perView);
  return rows;
}

function computeRows(state: TriageState, view: ViewName): ListRow[] {
  if (view === 'agents') {
    const agents = visibleAgents(state);
    return agents.length === 0
      ? []
      : [{ kind: 'columns' }, ...agents.map((card) => ({ kind: 'agent' as const, card }))];
  }
  if (view === 'identities') {
    return visibleIdentities(state).map((identity) => ({
      kind: 'identity' as const,
      identity,
      worst: worstOpenSeverity(state, identity),
      open: identity.findingIds.filter((id) => findingById(state, id)?.state === 'open').length,
    }));
  }
  const rows: ListRow[] = [];
  let current: Extract<ListRow, { kind: 'group' }> | null = null;
  for (const finding of visibleFindings(state)) {
    if (!current || current.severity !== finding.severity) {
      current = { kind: 'group', severity: finding.severity, open: 0, accepted: 0 };
      rows.push(current);
    }
    if (finding.state === 'open') current.open += 1;
    else current.accepted += 1;
    rows.push({ kind: 'finding', finding });
  }
  return rows;
}

/** The id of a selectable row, or null for a group header. */
export function rowId(row: ListRow): string | null {
  if (row.kind === 'finding') return row.finding.id;
  if (row.kind === 'identity') return row.identity.id;
  if (row.kind === 'agent') return row.card.identity;
  return null;
}

/** Ids of the selectable rows of a view, in order. */
export function selectableIds(state: TriageState, view: ViewName = state.view): string[] {
  return listRows(state, view)
    .map(rowId)
    .filter((id): id is string => id !== null);
}

/** The id selected in a view: the remembered one when still visible, else the first visible. */
export function selectedId(state: TriageState, view: ViewName = state.view): string | null {
  const ids = selectableIds(state, view);
  const remembered = state.selected[view];
  return remembered && ids.includes(remembered) ? remembered : (ids[0] ?? null);
}

/** A finding by fingerprint. */
export function findingById(state: TriageState, id: string): TriageFinding | undefined {
  return indexOf(state.data).findings.get(id);
}

/** An identity by id. */
export function identityById(state: TriageState, id: string): TriageIdentity | undefined {
  return indexOf(state.data).identities.get(id);
}

/** The finding the user acts on: the one a details pane shows, else the one selected in the findings list. */
export function targetFinding(state: TriageState): TriageFinding | undefined {
  const overlay = state.overlay;
  if (overlay?.kind === 'detail')
    return overlay.view === 'findings' ? findingById(state, overlay.id) : undefined;
  if (state.view !== 'findings') return undefined;
  const id = selectedId(state, 'findings');
  return id ? findingById(state, id) : undefined;
}

/** The identity the user acts on (for `g`): of the pane, the selected identity, or the selected finding's. */
export function targetIdentity(state: TriageState): TriageIdentity | undefined {
  const overlay = state.overlay;
  if (overlay?.kind === 'detail' && overlay.view !== 'findings') return identityById(state, overlay.id);
  if (overlay?.kind === 'granted') return identityById(state, overlay.identityId);
  if (state.view !== 'findings' && !overlay) {
    const id = selectedId(state, state.view);
    return id ? identityById(state, id) : undefined;
  }
  const finding = targetFinding(state);
  return finding?.identityId ? identityById(state, finding.identityId) : undefined;
}

/** Open findings per severity, and how many are suppressed or baselined, over the whole scan. */
export function findingCounts(state: TriageState): {
  open: Record<Severity, number>;
  suppressed: number;
  baselined: number;
} {
  const open = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let suppressed = 0;
  let baselined = 0;
  for (const f of state.data.findings) {
    if (f.state === 'open') open[f.severity] += 1;
    else if (f.state === 'suppressed') suppressed += 1;
    else baselined += 1;
  }
  return { open, suppressed, baselined };
}

/** Every provider of the scan, for `p` to cycle through. */
export function providers(state: TriageState): string[] {
  return [
    ...new Set([
      ...state.data.identities.map((i) => i.provider),
      ...state.data.findings.map((f) => f.provider),
    ]),
  ].sort();
}

/** The lines of the open pane, wrapped to the screen's width (empty when no pane is open). */
export function paneLines(state: TriageState): Line[] {
  const overlay = state.overlay;
  if (!overlay) return [];
  const width = layout(state.size).width;
  if (overlay.kind === 'help') return helpLines(width);
  if (overlay.kind === 'detail') {
    if (overlay.view === 'findings') {
      const finding = findingById(state, overlay.id);
      return finding ? findingDetailLines(state.data, finding, width) : [];
    }
    if (overlay.view === 'agents') {
      const card = state.data.agents.find((a) => a.identity === overlay.id);
      return card ? agentDetailLines(state.data, card, width) : [];
    }
    const identity = identityById(state, overlay.id);
    return identity ? identityDetailLines(state.data, identity, width) : [];
  }
  const granted = state.granted[overlay.identityId];
  const identity = identityById(state, overlay.identityId);
  const b = new LineBuilder(width);
  if (!granted || granted.status === 'loading') {
    b.heading(`Granted vs used  ${identity?.name ?? overlay.identityId}`).text('computing…', 'dim');
    return b.lines;
  }
  if (granted.status === 'error') {
    b.heading(`Granted vs used  ${identity?.name ?? overlay.identityId}`).text(granted.message, 'error');
    return b.lines;
  }
  return grantedVsUsedLines(granted.view, width);
}
