// `agentaudit triage`: parse flags, make sure there is a scan to triage (scanning the demo if asked), open the UI.
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { UserError } from '../../errors/errors.js';
import { runScan } from '../../scan/service.js';
import { DEFAULT_DB_PATH } from '../../store/database.js';
import { latestScanJudgedAsOf, TriageSession } from '../../triage/service.js';
import { runTriage } from '../../tui/run.js';
import { colorWanted } from '../../tui/theme.js';
import { parsePositiveInt } from '../common.js';
import { demoAsOf, demoScanRequest } from '../demoEstate.js';
import { inCi, progressListenerFor } from '../progress.js';

interface TriageFlags {
  demo?: boolean;
  db: string;
  scan?: string;
  baseline?: string;
  config?: string;
}

/** Registers `triage`. */
export function registerTriage(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('triage')
    .description(
      'browse the cached findings and identities in a terminal UI; suppress findings with a reason',
    )
    .option(
      '--demo',
      'triage the bundled demo estate (scanned into the cache first when it holds no scan of it)',
    )
    .option('--db <path>', 'cache file', DEFAULT_DB_PATH)
    .option('--scan <id>', 'which scan (default: the latest finished one)')
    .option(
      '--baseline <file>',
      'also write suppressions to this baseline file, so `scan --baseline FILE` honours them',
    )
    .option(
      '--config <file>',
      'config file (default: ./agentaudit.config.yaml when present; its baseline: is used)',
    )
    .addHelpText(
      'after',
      `
Keys: ↑/↓ j/k move · Enter details · / filter · s severity floor · p provider · Tab findings/identities/agents
      g granted vs used · x suppress (reason + expiry) · u undo · e export · ? help · q quit

Needs a terminal; for a report to read or pipe, use \`agentaudit report\`.

Examples:
  agentaudit triage --demo --baseline demo-baseline.json
  agentaudit triage --baseline .agentaudit-baseline.json`,
    )
    .action(async (flags: TriageFlags) => setExitCode(await triageCommand(flags)));
}

async function triageCommand(flags: TriageFlags): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new UserError(
      `agentaudit triage is interactive, and standard ${process.stdout.isTTY ? 'input' : 'output'} is not a terminal`,
      'for a report you can read, pipe or save, run `agentaudit report` (--format markdown or --format json)',
    );
  }
  if (inCi()) {
    throw new UserError(
      'agentaudit triage is interactive and does not run in CI (the CI variable is set)',
      'run `agentaudit report` for a report, or unset CI to triage in this terminal',
    );
  }
  const { config } = loadConfig(flags.config);
  const baselineFile = flags.baseline ?? config.baseline ?? null;
  let scanId = parsePositiveInt('--scan', flags.scan);
  if (flags.demo && scanId === undefined) {
    const asOf = demoAsOf();
    scanId = latestScanJudgedAsOf(flags.db, asOf) ?? undefined;
    if (scanId === undefined) {
      const outcome = await runScan(
        demoScanRequest(flags.db, { config, onProgress: progressListenerFor(process.stderr) }),
      );
      scanId = outcome.scanId;
    }
  }
  const session = new TriageSession({ dbPath: flags.db, scanId, baselineFile });
  await runTriage(session, { color: colorWanted() });
  const { suppressed, unsuppressed } = session.changes;
  if (suppressed + unsuppressed > 0) {
    process.stdout.write(
      `triage of scan ${session.scanId}: ${suppressed} suppression(s) made, ${unsuppressed} undone; ${
        baselineFile
          ? `CI honours them with: agentaudit scan … --baseline ${baselineFile}`
          : 'kept in the cache only (pass --baseline FILE so CI honours them)'
      }\n`,
    );
  }
  return 0;
}
