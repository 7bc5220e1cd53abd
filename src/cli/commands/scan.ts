// `agentaudit scan`: parse flags, run the scan service, render the report, and exit with the CI gate's code.
import type { Command } from 'commander';
import { readBaseline } from '../../baseline/baseline.js';
import { loadConfig } from '../../config/config.js';
import { EXIT } from '../../errors/errors.js';
import { RENDERERS } from '../../report/index.js';
import { dryRunReport } from '../../scan/dryRun.js';
import { loadReportInput } from '../../scan/reportData.js';
import { runScan } from '../../scan/service.js';
import { planSnapshotSources, readSnapshotManifest } from '../../scan/snapshot.js';
import { SOURCES } from '../../scan/sources.js';
import { DEFAULT_DB_PATH, openDatabaseReadOnly } from '../../store/database.js';
import {
  DEFAULT_SINCE,
  collect,
  emit,
  parseAsOf,
  parseFailOn,
  parseFormat,
  parsePositiveInt,
  parseSince,
  toolVersion,
  useColor,
} from '../common.js';
import { demoAsOf, planDemoSources } from '../demoEstate.js';
import { gateExitCode } from '../gate.js';
import { progressListenerFor } from '../progress.js';
import { addSourceOptions, inRegistryOrder, planSources } from '../sourceOptions.js';

interface ScanFlags {
  demo?: boolean;
  rules?: string[];
  config?: string;
  db: string;
  asOf?: string;
  since?: string;
  format?: string;
  output?: string;
  failOn?: string;
  allowPartial?: boolean;
  baseline?: string;
  jobs?: string;
  dryRun?: boolean;
  from?: string[];
  /** Every source's own options, by attribute name. */
  [option: string]: unknown;
}

/** Registers `scan`, with every registered source's options. */
export function registerScan(program: Command, setExitCode: (code: number) => void): void {
  const command = program
    .command('scan')
    .description('collect identities, credentials, grants and usage; evaluate the rules; print the report')
    .option('--demo', 'scan the bundled demo estate (fixtures/demo), judged as of its own date');
  addSourceOptions(command);
  command
    .option('--rules <dir>', 'add your own rules from this folder (repeatable)', collect)
    .option('--config <file>', 'config file (default: ./agentaudit.config.yaml when present)')
    .option('--db <path>', 'cache file', DEFAULT_DB_PATH)
    .option('--as-of <date>', 'judge ages and "unused for N days" as of this date (default: now)')
    .option(
      '--since <duration|date>',
      `evidence window for usage: a duration before --as-of (90d, 12w, 36h) or a date (default: ${DEFAULT_SINCE})`,
    )
    .option('--format <format>', 'table, json, sarif or markdown (default: table)')
    .option('--output <file>', 'write the report to a file instead of standard output')
    .option(
      '--fail-on <severity>',
      'exit 1 when a finding is at or above: critical, high, medium, low, info, none',
    )
    .option('--allow-partial', 'do not exit 3 when some input could not be read')
    .option('--baseline <file>', 'ignore findings accepted in this baseline file')
    .option('--jobs <n>', 'worker threads for log parsing (default: one per core)')
    .option(
      '--from <dir>',
      'replay a snapshot written by `agentaudit collect` instead of calling the APIs (repeatable)',
      collect,
    )
    .option('--dry-run', 'print what the sources would run (e.g. the SQL pushed down to an engine) and exit')
    .addHelpText(
      'after',
      `
Exit codes: 0 below the --fail-on threshold, 1 findings at or above it, 2 usage/config/input error,
3 scan incomplete (some input could not be read) unless --allow-partial.

Examples:
  agentaudit scan --demo
  agentaudit scan --aws --profile audit --cloudtrail s3://my-trail-bucket --since 30d
  agentaudit scan --aws-authz authz.json --aws-credential-report report.csv --cloudtrail ./AWSLogs --fail-on high
  agentaudit scan --demo --format sarif --output agentaudit.sarif
  GITHUB_TOKEN=… agentaudit scan --github acme --aws-authz authz.json
  agentaudit scan --local --okta acme.okta.com --openai --anthropic
  agentaudit scan --from ./snapshot-2026-10-30 --format json`,
    )
    .action(async (flags: ScanFlags) => setExitCode(await scanCommand(flags)));
}

async function scanCommand(flags: ScanFlags): Promise<number> {
  const format = parseFormat(flags.format);
  const { config } = loadConfig(flags.config);
  const failOn = parseFailOn(flags.failOn, config.failOn ?? 'none');
  const baselineFile = flags.baseline ?? config.baseline;
  const baseline = baselineFile ? readBaseline(baselineFile) : null;
  const snapshots = (flags.from ?? []).map((dir) => ({ dir, manifest: readSnapshotManifest(dir) }));
  const replayed = snapshots.flatMap(({ dir, manifest }) =>
    planSnapshotSources(dir, manifest, SOURCES, process.env),
  );
  const sources = inRegistryOrder([
    ...(flags.demo
      ? planDemoSources(flags, process.env, replayed)
      : planSources(flags, process.env, { allowNone: replayed.length > 0 })),
    ...replayed,
  ]);
  // A replay is judged as of its collection, like the demo: "unused for 90 days" means the same next month.
  const latest = snapshots.map(({ manifest }) => manifest).sort((a, b) => b.asOf.localeCompare(a.asOf))[0];
  const asOf = parseAsOf(flags.asOf ?? (flags.demo ? demoAsOf() : latest?.asOf));
  // The snapshot's window goes with the snapshot's date only: the demo's date (or --as-of) brings its own window,
  // which is also the one the demo's GitHub recording answers.
  const judgedAsOfSnapshot = latest !== undefined && !flags.asOf && !flags.demo;
  const since = parseSince(flags.since ?? (judgedAsOfSnapshot ? latest.window.since : undefined), asOf);
  if (flags.dryRun) {
    emit(dryRunReport(sources, { asOf, window: { since, until: asOf } }), flags.output);
    return EXIT.ok;
  }
  const outcome = await runScan({
    dbPath: flags.db,
    asOf,
    since,
    sources,
    rulesDirs: flags.rules ?? [],
    config,
    baseline,
    concurrency: parsePositiveInt('--jobs', flags.jobs),
    onProgress: progressListenerFor(process.stderr),
  });
  const db = openDatabaseReadOnly(flags.db);
  try {
    const input = loadReportInput(db, {
      scanId: outcome.scanId,
      baseline,
      rules: outcome.rules,
      color: useColor(format, flags.output),
      tool: { version: toolVersion() },
    });
    emit(RENDERERS[format](input), flags.output);
    if (flags.output)
      process.stderr.write(`wrote the ${format} report of scan ${outcome.scanId} to ${flags.output}\n`);
    return gateExitCode({
      severities: input.findings.map((finding) => finding.severity),
      partial: outcome.status === 'partial',
      failOn,
      allowPartial: flags.allowPartial === true,
    });
  } finally {
    db.close();
  }
}
