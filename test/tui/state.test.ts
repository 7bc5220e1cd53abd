// The triage reducer without Ink: keys in, state and effects out.
import { describe, expect, it } from 'vitest';
import { listRows, paneLines, selectedId, visibleFindings, visibleIdentities } from '../../src/tui/select.js';
import {
  initialState,
  reduce,
  splitKeys,
  type Effect,
  type KeyPress,
  type TriageState,
} from '../../src/tui/state.js';
import { sampleData } from './data.js';

const SIZE = { columns: 80, rows: 24 };

/** Presses keys in order: a string is typed characters, an object a special key. */
function press(
  state: TriageState,
  ...keys: (string | Omit<KeyPress, 'input'>)[]
): { state: TriageState; effects: Effect[] } {
  let current = state;
  const effects: Effect[] = [];
  for (const key of keys) {
    const step = reduce(current, {
      type: 'key',
      key: typeof key === 'string' ? { input: key } : { input: '', ...key },
    });
    current = step.state;
    effects.push(...step.effects);
  }
  return { state: current, effects };
}

const ENTER = { return: true };
const ESC = { escape: true };

describe('moving through the findings', () => {
  it('starts on the most severe finding and moves with j/k and the arrows, skipping severity headers', () => {
    // Given the triage of a scan with findings of four severities
    const state = initialState(sampleData(), SIZE);
    expect(selectedId(state)).toBe('f-crit-1');
    expect(
      listRows(state)
        .filter((row) => row.kind === 'group')
        .map((row) => row.kind === 'group' && row.severity),
    ).toEqual(['critical', 'high', 'medium', 'low']);
    // When the user moves down three times, then up once
    const moved = press(state, 'j', { downArrow: true }, 'j', 'k').state;
    // Then the selection is on the third finding, past the "high" header
    expect(selectedId(moved)).toBe('f-high-1');
    // And it stops at both ends
    expect(selectedId(press(state, 'k', 'k').state)).toBe('f-crit-1');
    expect(selectedId(press(state, { end: true }, 'j').state)).toBe('f-low-1');
  });

  it('treats several characters delivered at once as several keys', () => {
    // Given a terminal that hands over "jj" and Enter in one read
    expect(splitKeys({ input: 'jj\r' })).toEqual([
      { input: 'j' },
      { input: 'j' },
      { input: '', return: true },
    ]);
    const { state } = press(initialState(sampleData(), SIZE), 'jj\r');
    // Then the selection moved twice and the details of that finding opened
    expect(state.overlay).toMatchObject({ kind: 'detail', view: 'findings', id: 'f-high-1' });
  });

  it('scrolls so that the selection stays on screen, also after the terminal shrinks', () => {
    // Given a terminal too short for the whole list (10 rows: 3 list rows)
    let state = initialState(sampleData(), { columns: 80, rows: 10 });
    // When the user goes to the last finding
    state = press(state, { end: true }).state;
    // Then the list is scrolled to show it
    const rows = listRows(state);
    const index = rows.findIndex((row) => row.kind === 'finding' && row.finding.id === 'f-low-1');
    expect(state.scroll.findings).toBeGreaterThan(0);
    expect(index).toBeLessThan(state.scroll.findings + 3);
    // And after a resize to a larger terminal everything fits from the top
    state = reduce(state, { type: 'resize', columns: 100, rows: 40 }).state;
    expect(state.scroll.findings).toBe(0);
  });
});

describe('filters', () => {
  it('filters by text as it is typed; Enter keeps the filter, Esc restores the previous one', () => {
    const state = initialState(sampleData(), SIZE);
    // When the user types "/agent"
    const typing = press(state, '/', 'a', 'g', 'e', 'n', 't').state;
    // Then only the findings about build-agent remain, while still typing
    expect(typing.prompt).toMatchObject({ kind: 'filter', value: 'agent' });
    expect(visibleFindings(typing).map((f) => f.id)).toEqual(['f-high-1', 'f-low-1']);
    // And Enter keeps it, Esc in a new prompt brings it back after edits
    const kept = press(typing, ENTER).state;
    expect(kept.prompt).toBeNull();
    expect(kept.filter.text).toBe('agent');
    const restored = press(kept, '/', { backspace: true }, { backspace: true }, ESC).state;
    expect(restored.filter.text).toBe('agent');
    // And Esc in the list clears it
    expect(press(kept, ESC).state.filter.text).toBe('');
  });

  it('cycles the severity floor with s and the provider with p', () => {
    const state = initialState(sampleData(), SIZE);
    // When the user presses s four times: low, medium, high, critical
    const floors = [1, 2, 3, 4].map((n) => press(state, ...Array<string>(n).fill('s')).state);
    expect(floors.map((s) => s.filter.floor)).toEqual(['low', 'medium', 'high', 'critical']);
    expect(visibleFindings(floors[3]!).map((f) => f.severity)).toEqual(['critical', 'critical']);
    // And a fifth press shows everything again
    expect(press(floors[3]!, 's').state.filter.floor).toBe('info');
    // When the user presses p: the first provider (aws), then github, then all
    const aws = press(state, 'p').state;
    expect(aws.filter.provider).toBe('aws');
    expect(visibleFindings(aws).every((f) => f.provider === 'aws')).toBe(true);
    expect(press(aws, 'p').state.filter.provider).toBe('github');
    expect(press(aws, 'p', 'p').state.filter.provider).toBeNull();
  });

  it('keeps the selection when it stays visible and moves to the first row when it does not', () => {
    const state = press(initialState(sampleData(), SIZE), 'j', 'j').state;
    expect(selectedId(state)).toBe('f-high-1');
    expect(selectedId(press(state, 's', 's').state)).toBe('f-high-1');
    expect(selectedId(press(state, 's', 's', 's', 's').state)).toBe('f-crit-1');
  });
});

describe('identities', () => {
  it('lists identities worst open finding first with Tab, and narrows them by the severity floor', () => {
    const state = press(initialState(sampleData(), SIZE), { tab: true }).state;
    expect(state.view).toBe('identities');
    // deploy-bot and web-key have a critical open finding; build-agent a high; quiet-role none
    expect(visibleIdentities(state).map((i) => i.name)).toEqual([
      'deploy-bot',
      'web-key',
      'build-agent',
      'quiet-role',
    ]);
    expect(visibleIdentities(press(state, 's', 's', 's').state).map((i) => i.name)).toEqual([
      'deploy-bot',
      'web-key',
      'build-agent',
    ]);
    // And Tab goes on to the agents, then back to the findings
    expect(press(state, { tab: true }).state.view).toBe('agents');
    expect(press(state, { tab: true }, { tab: true }).state.view).toBe('findings');
  });
});

describe('agents', () => {
  it('lists the agents’ scorecards on the third Tab, and Enter shows the findings behind each failed property', () => {
    // Given the sample estate, whose one agent (build-agent) fails owner and short-lived through a finding each
    const state = press(initialState(sampleData(), SIZE), { tab: true }, { tab: true }).state;
    // Then the agents list has a column header and the agent, selected
    expect(state.view).toBe('agents');
    expect(listRows(state).map((row) => row.kind)).toEqual(['columns', 'agent']);
    expect(selectedId(state)).toBe('aws:iam-user:build-agent');
    // When Enter opens its pane
    const pane = press(state, ENTER).state;
    expect(pane.overlay).toEqual({
      kind: 'detail',
      view: 'agents',
      id: 'aws:iam-user:build-agent',
      scroll: 0,
    });
    const text = paneLines(pane)
      .map((line) => line.map((s) => s.text).join(''))
      .join('\n');
    // Then each property is shown with its status and reason, and a failed one lists its findings' rules
    expect(text).toContain('Agent posture: build-agent');
    expect(text).toMatch(
      /✗ owner +fail\n +1 finding of identity-owner-departed\n +high +identity-owner-departed/,
    );
    expect(text).toMatch(
      /✗ short-lived +fail\n +1 finding of aws-user-two-active-keys\n +low +aws-user-two-active-keys/,
    );
    expect(text).toMatch(/\? scoped +unknown/);
    expect(text).toMatch(/✓ observable +pass/);
    // And g works on the agent's identity, as in the identities list
    expect(press(state, 'g').effects).toEqual([
      { type: 'granted-vs-used', identityId: 'aws:iam-user:build-agent' },
    ]);
    // And the provider filter narrows the agents
    expect(listRows(press(state, 'p').state)).toHaveLength(2);
    expect(listRows(press(state, 'p', 'p').state)).toEqual([]);
  });
});

describe('details and granted vs used', () => {
  it('opens the details on Enter, scrolls them, and closes them with Esc or q', () => {
    const opened = press(initialState(sampleData(), { columns: 80, rows: 12 }), ENTER).state;
    expect(opened.overlay).toEqual({ kind: 'detail', view: 'findings', id: 'f-crit-1', scroll: 0 });
    const scrolled = press(opened, 'j', 'j').state;
    expect(scrolled.overlay?.scroll).toBe(2);
    expect(press(scrolled, ESC).state.overlay).toBeNull();
    // q closes the pane, it does not quit
    const closed = press(scrolled, 'q').state;
    expect(closed.overlay).toBeNull();
    expect(closed.quit).toBe(false);
    expect(press(closed, 'q').state.quit).toBe(true);
  });

  it('asks the controller for granted vs used once per identity', () => {
    // When the user presses g on a finding about deploy-bot
    const first = press(initialState(sampleData(), SIZE), 'g');
    // Then the pane opens loading and the computation is requested
    expect(first.state.overlay).toEqual({
      kind: 'granted',
      identityId: 'aws:iam-user:deploy-bot',
      scroll: 0,
    });
    expect(first.state.granted['aws:iam-user:deploy-bot']).toEqual({ status: 'loading' });
    expect(first.effects).toEqual([{ type: 'granted-vs-used', identityId: 'aws:iam-user:deploy-bot' }]);
    // And once the result is there, g again shows it without asking again
    const ready = reduce(first.state, {
      type: 'granted-vs-used',
      identityId: 'aws:iam-user:deploy-bot',
      result: { status: 'error', message: 'no grants' },
    }).state;
    expect(press(press(ready, ESC).state, 'g').effects).toHaveLength(1);
  });
});

describe('suppressing', () => {
  it('asks for a reason and an expiry, validates both, then asks the controller to suppress', () => {
    const state = initialState(sampleData(), SIZE);
    // When the user presses x and Enter without a reason
    const noReason = press(state, 'x', ENTER).state;
    expect(noReason.prompt).toMatchObject({ kind: 'suppress-reason', error: 'a reason is required' });
    // When they type a reason: the expiry is offered, 90 days after the scan's date
    const expiry = press(noReason, 'rotated in INC-7', ENTER).state;
    expect(expiry.prompt).toMatchObject({
      kind: 'suppress-expiry',
      reason: 'rotated in INC-7',
      value: '2026-08-30',
    });
    // When they type a date before the scan's: an error, no effect
    const early = press(expiry, { ctrl: true, input: 'u' } as KeyPress, '2026-05-01', ENTER);
    expect(early.effects).toEqual([]);
    expect(early.state.prompt).toMatchObject({
      error: "the expiry must be after the scan's date (2026-06-01)",
    });
    // When they type a valid date: the suppression is requested with the reason and the expiry
    const done = press(early.state, { ctrl: true, input: 'u' } as KeyPress, '2026-12-31', ENTER);
    expect(done.state.prompt).toBeNull();
    expect(done.effects).toEqual([
      {
        type: 'suppress',
        findingId: 'f-crit-1',
        reason: 'rotated in INC-7',
        expiresAt: '2026-12-31T00:00:00Z',
      },
    ]);
  });

  it('cancels with Esc and does nothing', () => {
    const { state, effects } = press(initialState(sampleData(), SIZE), 'x', 'because', ESC);
    expect(state.prompt).toBeNull();
    expect(effects).toEqual([]);
  });

  it('undoes a suppression or baseline entry with u, and says so when there is nothing to undo', () => {
    const state = initialState(sampleData(), SIZE);
    expect(press(state, 'u').state.message).toEqual({ text: 'this finding is not suppressed', tone: 'info' });
    // The medium finding is baselined and a baseline file is configured: u asks to remove it
    const onBaselined = press(state, 'j', 'j', 'j');
    expect(selectedId(onBaselined.state)).toBe('f-med-1');
    expect(press(onBaselined.state, 'u').effects).toEqual([{ type: 'unsuppress', findingId: 'f-med-1' }]);
    // Without a baseline file, the triage cannot edit the scan's baseline
    const withoutFile = press(initialState(sampleData({ baselineFile: null }), SIZE), 'j', 'j', 'j', 'u');
    expect(withoutFile.effects).toEqual([]);
    expect(withoutFile.state.message?.tone).toBe('error');
  });

  it('only suppresses findings: in the identities list x says so', () => {
    const { state, effects } = press(initialState(sampleData(), SIZE), { tab: true }, 'x');
    expect(effects).toEqual([]);
    expect(state.message?.text).toContain('select a finding');
  });
});

describe('export and help', () => {
  it('exports the current view: e, a format, a file name', () => {
    const { state, effects } = press(initialState(sampleData(), SIZE), 'e', 'j');
    expect(state.prompt).toMatchObject({
      kind: 'export-path',
      format: 'json',
      value: 'agentaudit-findings.json',
    });
    expect(press(state, ENTER).effects).toEqual([
      { type: 'export', format: 'json', path: 'agentaudit-findings.json' },
    ]);
    expect(effects).toEqual([]);
    const markdown = press(initialState(sampleData(), SIZE), { tab: true }, 'e', 'm', ENTER).effects;
    expect(markdown).toEqual([{ type: 'export', format: 'markdown', path: 'agentaudit-identities.md' }]);
  });

  it('shows the keys with ? and closes the help with any key', () => {
    const help = press(initialState(sampleData(), SIZE), '?').state;
    expect(help.overlay).toEqual({ kind: 'help', scroll: 0 });
    expect(press(help, 'x').state.overlay).toBeNull();
  });

  it('quits with q and with Ctrl+C', () => {
    expect(press(initialState(sampleData(), SIZE), 'q').state.quit).toBe(true);
    expect(press(initialState(sampleData(), SIZE), { ctrl: true, input: 'c' } as KeyPress).state.quit).toBe(
      true,
    );
  });
});
