// The triage controller: holds the state outside the components, feeds keys to the reducer and runs its effects.
import { renderExport, type ExportView } from '../triage/export.js';
import type { TriageData } from '../triage/types.js';
import { errorMessage, UserError } from '../errors/errors.js';
import type { GrantedVsUsed } from '../triage/grantedVsUsed.js';
import { findingById, identityById, listRows } from './select.js';
import { reduce, type Effect, type KeyPress, type TriageAction, type TriageState } from './state.js';

/** The data side the controller drives: the cache, the baseline file, export files, right-sizing. */
export interface TriageSessionPort {
  /** Suppresses a finding; returns the reloaded data and what was done, for the status line. */
  suppress(findingId: string, reason: string, expiresAt: string): { data: TriageData; message: string };
  /** Undoes a suppression; same return. */
  unsuppress(findingId: string): { data: TriageData; message: string };
  /** Writes an export file; returns the path written. */
  writeExport(path: string, text: string): string;
  /** Granted vs used for one identity of the scan. */
  grantedVsUsed(identityId: string): Promise<GrantedVsUsed>;
}

/** Holds the triage state; components subscribe to it and send it keys. */
export class TriageController {
  private state: TriageState;
  private readonly listeners = new Set<() => void>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly session: TriageSessionPort,
    initial: TriageState,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.state = initial;
  }

  /** The current state (stable between changes, as `useSyncExternalStore` needs). */
  readonly getState = (): TriageState => this.state;

  /** Calls `listener` after every change; returns the unsubscribe function. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Feeds a key press (Ink's `useInput` arguments). */
  readonly key = (input: string, key: Omit<KeyPress, 'input'>): void => {
    this.dispatch({ type: 'key', key: { ...key, input } });
  };

  /** Follows a terminal resize. */
  readonly resize = (columns: number, rows: number): void => {
    if (columns === this.state.size.columns && rows === this.state.size.rows) return;
    this.dispatch({ type: 'resize', columns, rows });
  };

  /** Applies an action and starts the effects it asks for. */
  dispatch(action: TriageAction): void {
    const { state, effects } = reduce(this.state, action);
    if (state !== this.state) {
      this.state = state;
      for (const listener of this.listeners) listener();
    }
    for (const effect of effects) {
      const run = this.run(effect).finally(() => this.pending.delete(run));
      this.pending.add(run);
    }
  }

  /** Resolves once every effect started so far has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async run(effect: Effect): Promise<void> {
    try {
      switch (effect.type) {
        case 'suppress': {
          const { data, message } = this.session.suppress(effect.findingId, effect.reason, effect.expiresAt);
          this.dispatch({ type: 'data', data, message });
          return;
        }
        case 'unsuppress': {
          const { data, message } = this.session.unsuppress(effect.findingId);
          this.dispatch({ type: 'data', data, message });
          return;
        }
        case 'export': {
          const text = renderExport(exportViewOf(this.state), effect.format, {
            scan: this.state.data.scan,
            filters: this.state.filter,
            exportedAt: this.now()
              .toISOString()
              .replace(/\.\d{3}Z$/, 'Z'),
          });
          const written = this.session.writeExport(effect.path, text);
          this.dispatch({
            type: 'message',
            text: `exported the ${this.state.view} view to ${written}`,
            tone: 'info',
          });
          return;
        }
        case 'granted-vs-used': {
          try {
            const view = await this.session.grantedVsUsed(effect.identityId);
            this.dispatch({
              type: 'granted-vs-used',
              identityId: effect.identityId,
              result: { status: 'ready', view },
            });
          } catch (error) {
            this.dispatch({
              type: 'granted-vs-used',
              identityId: effect.identityId,
              result: { status: 'error', message: describeError(error) },
            });
          }
          return;
        }
      }
    } catch (error) {
      this.dispatch({ type: 'message', text: describeError(error), tone: 'error' });
    }
  }
}

function describeError(error: unknown): string {
  if (error instanceof UserError) return error.hint ? `${error.message} (${error.hint})` : error.message;
  return errorMessage(error);
}

/** The rows of the current view, as filtered, for an export. */
export function exportViewOf(state: TriageState): ExportView {
  const rows = listRows(state);
  if (state.view === 'agents') {
    // The agents view exports the agents' identities (their scorecards are in the JSON report's summary.agents).
    return {
      kind: 'identities',
      rows: rows.flatMap((row) => {
        const identity = row.kind === 'agent' ? identityById(state, row.card.identity) : undefined;
        return identity ? [identity] : [];
      }),
      total: state.data.agents.length,
      severityOf: new Map(state.data.findings.map((f) => [f.id, f.severity] as const)),
    };
  }
  if (state.view === 'identities') {
    return {
      kind: 'identities',
      rows: rows.flatMap((row) => (row.kind === 'identity' ? [row.identity] : [])),
      total: state.data.identities.length,
      severityOf: new Map(state.data.findings.map((f) => [f.id, f.severity] as const)),
    };
  }
  return {
    kind: 'findings',
    rows: rows.flatMap((row) => (row.kind === 'finding' ? [findingById(state, row.finding.id)!] : [])),
    total: state.data.findings.length,
  };
}
