// `agentaudit baseline`: write the findings of the last scan to a baseline file, so CI fails only on new ones.
import type { Command } from 'commander';
import { baselineFromFindings, writeBaseline } from '../../baseline/baseline.js';
import { loadConfig } from '../../config/config.js';
import { UserError } from '../../errors/errors.js';
import { DEFAULT_DB_PATH, openDatabaseReadOnly } from '../../store/database.js';
import { getFindings, latestFinishedScanId } from '../../store/reads.js';
import { parsePositiveInt, toIso } from '../common.js';

/** Where `baseline` writes when neither --output nor the config says. */
export const DEFAULT_BASELINE_FILE = 'agentaudit-baseline.json';

interface BaselineFlags {
  db: string;
  scan?: string;
  output?: string;
  config?: string;
}

/** Registers `baseline`. */
export function registerBaseline(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('baseline')
    .description('accept the current findings: write them to a baseline file that `scan --baseline` ignores')
    .option('--db <path>', 'cache file', DEFAULT_DB_PATH)
    .option('--scan <id>', 'which scan (default: the latest finished one)')
    .option(
      '--output <file>',
      `baseline file (default: the config's baseline, else ${DEFAULT_BASELINE_FILE})`,
    )
    .option('--config <file>', 'config file (default: ./agentaudit.config.yaml when present)')
    .action((flags: BaselineFlags) => {
      const { config } = loadConfig(flags.config);
      const file = flags.output ?? config.baseline ?? DEFAULT_BASELINE_FILE;
      const db = openDatabaseReadOnly(flags.db);
      try {
        const scanId = parsePositiveInt('--scan', flags.scan) ?? latestFinishedScanId(db);
        if (scanId === null)
          throw new UserError('the cache holds no finished scan', 'run `agentaudit scan` first');
        const findings = getFindings(db, scanId).filter((f) => !f.suppressedBy?.startsWith('suppressed'));
        writeBaseline(file, baselineFromFindings(findings, toIso(new Date())));
        process.stdout.write(`wrote ${findings.length} accepted findings of scan ${scanId} to ${file}\n`);
        setExitCode(0);
      } finally {
        db.close();
      }
    });
}
