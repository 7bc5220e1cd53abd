// What `scan --dry-run` prints: what each planned source would run, without running anything.
import type { DryRunContext, PlannedSource } from '../connectors/contract.js';

/**
 * The text of a dry run: each source's own description of what it would run (the SQL of a pushed-down query, …),
 * or a line saying it has nothing to show (it reads local files). Pure.
 */
export function dryRunReport(sources: readonly PlannedSource[], context: DryRunContext): string {
  const header = `-- agentaudit scan --dry-run: evidence window ${context.window.since} to ${context.window.until}; nothing was run\n`;
  const parts = sources.map((source) =>
    source.dryRun
      ? source.dryRun(context)
      : `-- ${source.id}: nothing to run remotely (reads its input locally)\n`,
  );
  return [header, ...parts].join('\n');
}
