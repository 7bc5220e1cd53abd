// The triage UI's state and its pure reducer: a key (or a result from the controller) in, the next state and effects out.
import { SEVERITIES, type Severity } from '../model/types.js';
import { defaultExpiry, parseExpiry } from '../triage/expiry.js';
import type { ExportFormat } from '../triage/export.js';
import type { TriageData } from '../triage/types.js';
import type { GrantedVsUsed } from '../triage/grantedVsUsed.js';
import { layout } from './layout.js';
import {
  findingById,
  listRows,
  paneLines,
  providers,
  rowId,
  selectableIds,
  selectedId,
  targetFinding,
  targetIdentity,
} from './select.js';

/** The three lists: findings, identities, and the agents' posture scorecards. */
export type ViewName = 'findings' | 'identities' | 'agents';

/** The order Tab cycles the lists in. */
export const VIEW_CYCLE: readonly ViewName[] = ['findings', 'identities', 'agents'];

/** A key press, as Ink's `useInput` reports it (only the fields triage reads). */
export interface KeyPress {
  input: string;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

/** A question on the status line, with what has been typed so far. */
export type Prompt =
  | { kind: 'filter'; value: string; previous: string }
  | { kind: 'suppress-reason'; findingId: string; value: string; error: string | null }
  | { kind: 'suppress-expiry'; findingId: string; reason: string; value: string; error: string | null }
  | { kind: 'export-format' }
  | { kind: 'export-path'; format: ExportFormat; value: string; error: string | null };

/** A pane over the list: details of a finding or identity, granted vs used, or the keys. */
export type Overlay =
  | { kind: 'detail'; view: ViewName; id: string; scroll: number }
  | { kind: 'granted'; identityId: string; scroll: number }
  | { kind: 'help'; scroll: number };

/** Where a granted-vs-used computation stands. */
export type GrantedState =
  { status: 'loading' } | { status: 'ready'; view: GrantedVsUsed } | { status: 'error'; message: string };

/** Everything the screen shows. */
export interface TriageState {
  data: TriageData;
  view: ViewName;
  /** The remembered selection per list (by id, so filtering keeps it when it stays visible). */
  selected: Record<ViewName, string | null>;
  /** First list row drawn, per list. */
  scroll: Record<ViewName, number>;
  filter: { text: string; floor: Severity; provider: string | null };
  prompt: Prompt | null;
  overlay: Overlay | null;
  granted: Record<string, GrantedState>;
  message: { text: string; tone: 'info' | 'error' } | null;
  size: { columns: number; rows: number };
  quit: boolean;
}

/** Work the reducer asks the controller to do (I/O), whose outcome comes back as an action. */
export type Effect =
  | { type: 'suppress'; findingId: string; reason: string; expiresAt: string }
  | { type: 'unsuppress'; findingId: string }
  | { type: 'export'; format: ExportFormat; path: string }
  | { type: 'granted-vs-used'; identityId: string };

/** What changes the state: keys, resizes, and the controller's results. */
export type TriageAction =
  | { type: 'key'; key: KeyPress }
  | { type: 'resize'; columns: number; rows: number }
  | { type: 'data'; data: TriageData; message?: string }
  | { type: 'granted-vs-used'; identityId: string; result: GrantedState }
  | { type: 'message'; text: string; tone: 'info' | 'error' };

/** The reducer's answer. */
export interface Transition {
  state: TriageState;
  effects: Effect[];
}

/** The state the UI opens with. */
export function initialState(data: TriageData, size: { columns: number; rows: number }): TriageState {
  return {
    data,
    view: 'findings',
    selected: { findings: null, identities: null, agents: null },
    scroll: { findings: 0, identities: 0, agents: 0 },
    filter: { text: '', floor: 'info', provider: null },
    prompt: null,
    overlay: null,
    granted: {},
    message: null,
    size,
    quit: false,
  };
}

/** Severity floors in the order `s` cycles them: all (info) → low → medium → high → critical → all. */
const FLOOR_CYCLE: readonly Severity[] = [...SEVERITIES].reverse();

/** The next state for `action`. Pure: I/O is returned as effects. */
export function reduce(state: TriageState, action: TriageAction): Transition {
  switch (action.type) {
    case 'resize':
      return done(keepSelectionVisible({ ...state, size: { columns: action.columns, rows: action.rows } }));
    case 'data':
      return done(
        keepSelectionVisible({
          ...state,
          data: action.data,
          message: action.message ? { text: action.message, tone: 'info' } : state.message,
        }),
      );
    case 'granted-vs-used':
      return done({ ...state, granted: { ...state.granted, [action.identityId]: action.result } });
    case 'message':
      return done({ ...state, message: { text: action.text, tone: action.tone } });
    case 'key': {
      let next: Transition = { state: { ...state, message: null }, effects: [] };
      for (const key of splitKeys(action.key)) {
        const step = onKey(next.state, key);
        next = { state: step.state, effects: [...next.effects, ...step.effects] };
      }
      return next;
    }
  }
}

/**
 * The key presses in one input: the terminal may deliver several typed characters at once (fast typing, a
 * paste, a test driving a pseudo-terminal), which Ink hands over as one string. Enter, Tab and Backspace
 * inside such a run become their keys.
 */
export function splitKeys(key: KeyPress): KeyPress[] {
  const { input } = key;
  const special = key.ctrl || key.meta || key.return || key.tab || key.escape || key.backspace || key.delete;
  if (input.length <= 1 || special) return [key];
  return [...input].map((ch): KeyPress => {
    if (ch === '\r' || ch === '\n') return { input: '', return: true };
    if (ch === '\t') return { input: '', tab: true };
    if (ch === '\x7f' || ch === '\b') return { input: '', backspace: true };
    return { input: ch };
  });
}

const done = (state: TriageState, effects: Effect[] = []): Transition => ({ state, effects });

function onKey(state: TriageState, key: KeyPress): Transition {
  if (key.ctrl && key.input === 'c') return done({ ...state, quit: true });
  if (state.prompt) return onPromptKey(state, state.prompt, key);
  if (state.overlay) return onPaneKey(state, state.overlay, key);
  return onListKey(state, key);
}

/** Typed characters of a key press, without control characters. */
function typed(key: KeyPress): string {
  if (key.ctrl || key.meta) return '';
  // eslint-disable-next-line no-control-regex -- dropping control characters is the point
  return key.input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/** Applies an editing key to a prompt's value: typing appends, Backspace removes, Ctrl+U clears. */
function edit(value: string, key: KeyPress): string {
  if (key.backspace || key.delete) return value.slice(0, -1);
  if (key.ctrl && key.input === 'u') return '';
  return value + typed(key);
}

function onPromptKey(state: TriageState, prompt: Prompt, key: KeyPress): Transition {
  if (prompt.kind === 'export-format') {
    if (key.escape) return done({ ...state, prompt: null });
    const choice = key.input.toLowerCase();
    if (choice !== 'm' && choice !== 'j') return done(state);
    const format: ExportFormat = choice === 'm' ? 'markdown' : 'json';
    const value = `agentaudit-${state.view}.${format === 'markdown' ? 'md' : 'json'}`;
    return done({ ...state, prompt: { kind: 'export-path', format, value, error: null } });
  }
  if (prompt.kind === 'filter') {
    if (key.escape) return done(withFilterText({ ...state, prompt: null }, prompt.previous));
    if (key.return) return done({ ...state, prompt: null });
    const value = edit(prompt.value, key);
    return done(withFilterText({ ...state, prompt: { ...prompt, value } }, value));
  }
  if (key.escape) return done({ ...state, prompt: null, message: { text: 'cancelled', tone: 'info' } });
  if (!key.return)
    return done({ ...state, prompt: { ...prompt, value: edit(prompt.value, key), error: null } });

  if (prompt.kind === 'suppress-reason') {
    const reason = prompt.value.trim();
    if (!reason) return done({ ...state, prompt: { ...prompt, error: 'a reason is required' } });
    const finding = findingById(state, prompt.findingId);
    const current = finding?.acceptance?.expiresAt;
    const value =
      current && current > state.data.scan.asOf ? current.slice(0, 10) : defaultExpiry(state.data.scan.asOf);
    return done({
      ...state,
      prompt: { kind: 'suppress-expiry', findingId: prompt.findingId, reason, value, error: null },
    });
  }
  if (prompt.kind === 'suppress-expiry') {
    const parsed = parseExpiry(prompt.value, state.data.scan.asOf);
    if (!parsed.ok) return done({ ...state, prompt: { ...prompt, error: parsed.error } });
    return done({ ...state, prompt: null }, [
      { type: 'suppress', findingId: prompt.findingId, reason: prompt.reason, expiresAt: parsed.expiresAt },
    ]);
  }
  const path = prompt.value.trim();
  if (!path) return done({ ...state, prompt: { ...prompt, error: 'a file name is required' } });
  return done({ ...state, prompt: null }, [{ type: 'export', format: prompt.format, path }]);
}

function withFilterText(state: TriageState, text: string): TriageState {
  return keepSelectionVisible({ ...state, filter: { ...state.filter, text } });
}

function onPaneKey(state: TriageState, overlay: Overlay, key: KeyPress): Transition {
  const lines = paneLines(state).length;
  const height = layout(state.size).pane;
  const maxScroll = Math.max(0, lines - height);
  const scrollTo = (scroll: number): Transition =>
    done({ ...state, overlay: { ...overlay, scroll: Math.max(0, Math.min(maxScroll, scroll)) } });
  const close = (): TriageState => ({ ...state, overlay: null });

  if (overlay.kind === 'help') {
    if (key.downArrow || key.input === 'j') return scrollTo(overlay.scroll + 1);
    if (key.upArrow || key.input === 'k') return scrollTo(overlay.scroll - 1);
    return done(close());
  }
  if (key.escape || key.return || key.backspace || key.leftArrow || key.input === 'q') return done(close());
  if (key.ctrl || key.meta) return done(state);
  if (key.downArrow || key.input === 'j') return scrollTo(overlay.scroll + 1);
  if (key.upArrow || key.input === 'k') return scrollTo(overlay.scroll - 1);
  if (key.pageDown || key.input === ' ') return scrollTo(overlay.scroll + height);
  if (key.pageUp) return scrollTo(overlay.scroll - height);
  if (key.home) return scrollTo(0);
  if (key.end) return scrollTo(maxScroll);
  if (key.tab) return switchView(close());
  if (key.input === '?') return done({ ...state, overlay: { kind: 'help', scroll: 0 } });
  if (key.input === 'g' && overlay.kind === 'detail') return openGrantedVsUsed(state);
  if (key.input === 'x' && overlay.kind === 'detail') return startSuppress(state);
  if (key.input === 'u' && overlay.kind === 'detail') return undoSuppress(state);
  return done(state);
}

function onListKey(state: TriageState, key: KeyPress): Transition {
  const rows = layout(state.size).body;
  if (key.downArrow || key.input === 'j') return done(move(state, 1));
  if (key.upArrow || key.input === 'k') return done(move(state, -1));
  if (key.pageDown) return done(move(state, rows));
  if (key.pageUp) return done(move(state, -rows));
  if (key.home) return done(move(state, -Infinity));
  if (key.end) return done(move(state, Infinity));
  if (key.tab) return switchView(state);
  if (key.return) {
    const id = selectedId(state);
    if (!id) return done({ ...state, message: { text: 'nothing selected', tone: 'info' } });
    return done({ ...state, overlay: { kind: 'detail', view: state.view, id, scroll: 0 } });
  }
  if (key.escape) return done(state.filter.text ? withFilterText(state, '') : state);
  if (key.ctrl || key.meta) return done(state);
  switch (key.input) {
    case 'q':
      return done({ ...state, quit: true });
    case '?':
      return done({ ...state, overlay: { kind: 'help', scroll: 0 } });
    case '/':
      return done({
        ...state,
        prompt: { kind: 'filter', value: state.filter.text, previous: state.filter.text },
      });
    case 's': {
      const next = FLOOR_CYCLE[(FLOOR_CYCLE.indexOf(state.filter.floor) + 1) % FLOOR_CYCLE.length]!;
      return done(keepSelectionVisible({ ...state, filter: { ...state.filter, floor: next } }));
    }
    case 'p': {
      const cycle: (string | null)[] = [null, ...providers(state)];
      const next = cycle[(cycle.indexOf(state.filter.provider) + 1) % cycle.length] ?? null;
      return done(keepSelectionVisible({ ...state, filter: { ...state.filter, provider: next } }));
    }
    case 'g':
      return openGrantedVsUsed(state);
    case 'x':
      return startSuppress(state);
    case 'u':
      return undoSuppress(state);
    case 'e':
      return done({ ...state, prompt: { kind: 'export-format' } });
    default:
      return done(state);
  }
}

function switchView(state: TriageState): Transition {
  const next = VIEW_CYCLE[(VIEW_CYCLE.indexOf(state.view) + 1) % VIEW_CYCLE.length]!;
  return done(keepSelectionVisible({ ...state, view: next }));
}

/** Moves the selection by `delta` rows (±Infinity: first / last), keeping it on screen. */
function move(state: TriageState, delta: number): TriageState {
  const ids = selectableIds(state);
  if (ids.length === 0) return state;
  const current = selectedId(state);
  const index = current ? ids.indexOf(current) : 0;
  const next = Number.isFinite(delta)
    ? Math.max(0, Math.min(ids.length - 1, index + delta))
    : delta < 0
      ? 0
      : ids.length - 1;
  return keepSelectionVisible({ ...state, selected: { ...state.selected, [state.view]: ids[next]! } });
}

/** Scrolls the current list so the selected row (and its group header, when just above) is on screen. */
function keepSelectionVisible(state: TriageState): TriageState {
  const rows = listRows(state);
  const height = layout(state.size).body;
  const id = selectedId(state);
  let index = rows.findIndex((row) => rowId(row) === id);
  if (index < 0) index = 0;
  if (index > 0 && rowId(rows[index - 1]!) === null) index -= 1;
  const end = rows.findIndex((row) => rowId(row) === id);
  let scroll = Math.min(state.scroll[state.view], Math.max(0, rows.length - height));
  if (index < scroll) scroll = index;
  if (end >= scroll + height) scroll = end - height + 1;
  scroll = Math.max(0, scroll);
  if (scroll === state.scroll[state.view]) return state;
  return { ...state, scroll: { ...state.scroll, [state.view]: scroll } };
}

function openGrantedVsUsed(state: TriageState): Transition {
  const identity = targetIdentity(state);
  if (!identity) {
    return done({
      ...state,
      message: {
        text: 'no identity here: select a finding about an identity, or an identity',
        tone: 'error',
      },
    });
  }
  const overlay: Overlay = { kind: 'granted', identityId: identity.id, scroll: 0 };
  const known = state.granted[identity.id];
  if (known && known.status !== 'error') return done({ ...state, overlay });
  return done({ ...state, overlay, granted: { ...state.granted, [identity.id]: { status: 'loading' } } }, [
    { type: 'granted-vs-used', identityId: identity.id },
  ]);
}

function startSuppress(state: TriageState): Transition {
  const finding = targetFinding(state);
  if (!finding) {
    return done({
      ...state,
      message: { text: 'select a finding to suppress (Tab: findings)', tone: 'error' },
    });
  }
  const value = finding.state === 'suppressed' ? (finding.acceptance?.reason ?? '') : '';
  return done({ ...state, prompt: { kind: 'suppress-reason', findingId: finding.id, value, error: null } });
}

function undoSuppress(state: TriageState): Transition {
  const finding = targetFinding(state);
  if (!finding)
    return done({ ...state, message: { text: 'select a finding (Tab: findings)', tone: 'error' } });
  if (finding.state === 'open') {
    return done({ ...state, message: { text: 'this finding is not suppressed', tone: 'info' } });
  }
  if (finding.state === 'baselined' && !state.data.baselineFile) {
    return done({
      ...state,
      message: {
        text: 'accepted by the baseline the scan used: pass --baseline FILE to triage to edit it',
        tone: 'error',
      },
    });
  }
  return done(state, [{ type: 'unsuppress', findingId: finding.id }]);
}
