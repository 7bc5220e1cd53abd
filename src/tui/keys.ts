// The triage keys, in one table: the help overlay, the footer hints and the README list the same bindings.

/** One key binding as people read it. */
export interface KeyBinding {
  keys: string;
  action: string;
  /** Short form for the footer, when it has room. */
  hint?: string;
}

/** Every binding of the triage UI, in the order the help shows them. */
export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: '↑/↓, j/k', action: 'move (PgUp/PgDn, Home/End jump)' },
  {
    keys: 'Enter',
    action: 'details: reason, evidence, remediation, references, credentials, owner, last use',
    hint: '⏎ details',
  },
  { keys: '/', action: 'filter by text (Enter keeps, Esc restores)', hint: '/ filter' },
  { keys: 's', action: 'cycle the severity floor: all → low → medium → high → critical', hint: 's severity' },
  { keys: 'p', action: 'cycle the provider filter', hint: 'p provider' },
  {
    keys: 'Tab',
    action:
      'switch between findings, identities and agents (the posture scorecard: ✓ pass ✗ fail ? unknown; Enter lists the findings behind each failed property)',
    hint: 'Tab view',
  },
  {
    keys: 'g',
    action: 'granted vs used for the identity, with the suggested replacement',
    hint: 'g granted/used',
  },
  {
    keys: 'x',
    action: 'suppress the finding: a reason and an expiry (cache + baseline file)',
    hint: 'x suppress',
  },
  { keys: 'u', action: 'undo the suppression (cache + baseline file)', hint: 'u undo' },
  { keys: 'e', action: 'export the current view as Markdown or JSON', hint: 'e export' },
  { keys: 'Esc', action: 'close a pane or prompt; clear the text filter' },
  { keys: '?', action: 'this help', hint: '? keys' },
  { keys: 'q', action: 'quit (closes a pane first)', hint: 'q quit' },
];
