// `agentaudit report`: render a cached scan again in any format, offline; `--list` shows the scans in the cache.
import type { Command } from 'commander';
import { readBaseline } from '../../baseline/baseline.js';
import { loadConfig } from '../../config/config.js';
import { RENDERERS } from '../../report/index.js';
import { BUILT_IN_RULES_DIR, loadRules } from '../../rules/load.js';
import { loadReportInput } from '../../scan/reportData.js';
import { DEFAULT_DB_PATH, openDatabaseReadOnly } from '../../store/database.js';
import { listScans } from '../../store/reads.js';
import {
  collect,
  emit,
  parseFailOn,
  parseFormat,
  parsePositiveInt,
  toolVersion,
  useColor,
} from '../common.js';
import { gateExitCode } from '../gate.js';

interface ReportFlags {
  db: string;
  scan?: string;
  list?: boolean;
  format?: string;
  output?: string;
  baseline?: string;
  config?: string;
  rules?: string[];
  failOn?: string;
  allowPartial?: boolean;
}

/** Registers `report`. */
export function registerReport(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('report')
    .description('render the last scan (or --scan ID) again from the cache, without reading any source')
    .option('--db <path>', 'cache file', DEFAULT_DB_PATH)
    .option('--scan <id>', 'which scan (default: the latest finished one)')
    .option('--list', 'list the scans in the cache')
    .option('--format <format>', 'table, json, sarif or markdown (default: table)')
    .option('--output <file>', 'write the report to a file instead of standard output')
    .option('--baseline <file>', 'hide findings accepted in this baseline file')
    .option('--config <file>', 'config file (default: ./agentaudit.config.yaml when present)')
    .option('--rules <dir>', 'folders of your own rules, for their metadata (repeatable)', collect)
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
    .option('--allow-partial', 'do not exit 3 when the scan was partial')
    .action((flags: ReportFlags) => setExitCode(reportCommand(flags)));
}

function reportCommand(flags: ReportFlags): number {
  const db = openDatabaseReadOnly(flags.db);
  try {
    if (flags.list) {
      const lines = listScans(db).map(
        (scan) =>
          `${String(scan.id).padStart(4)}  ${scan.startedAt}  as of ${scan.asOf}  ${scan.status}${scan.error ? `: ${scan.error}` : ''}`,
      );
      emit(lines.length > 0 ? lines.join('\n') : 'no scans in the cache', undefined);
      return 0;
    }
    const format = parseFormat(flags.format);
    const { config } = loadConfig(flags.config);
    const baselineFile = flags.baseline ?? config.baseline;
    const { rules } = loadRules([BUILT_IN_RULES_DIR, ...(config.rulesDirs ?? []), ...(flags.rules ?? [])]);
    const input = loadReportInput(db, {
      scanId: parsePositiveInt('--scan', flags.scan),
      baseline: baselineFile ? readBaseline(baselineFile) : null,
      rules,
      color: useColor(format, flags.output),
      tool: { version: toolVersion() },
    });
    emit(RENDERERS[format](input), flags.output);
    return gateExitCode({
      severities: input.findings.map((finding) => finding.severity),
      partial: input.scan.status === 'partial',
      failOn: parseFailOn(flags.failOn, config.failOn ?? 'none'),
      allowPartial: flags.allowPartial === true,
    });
  } finally {
    db.close();
  }
}
