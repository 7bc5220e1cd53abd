// `agentaudit scan`: parse flags, run the scan service, render the report, and exit with the CI gate's code.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { readBaseline } from '../../baseline/baseline.js';
import { loadConfig } from '../../config/config.js';
import { EXIT, UserError } from '../../errors/errors.js';
import { RENDERERS } from '../../report/index.js';
import { dryRunReport } from '../../scan/dryRun.js';
import { loadReportInput } from '../../scan/reportData.js';
import { runScan } from '../../scan/service.js';
import { DEFAULT_DB_PATH, openDatabaseReadOnly } from '../../store/database.js';
import type { PlannedSource } from '../../connectors/contract.js';
import { SOURCES } from '../../scan/sources.js';
import {
  DEFAULT_SINCE,
  PACKAGE_ROOT,
  collect,
  emit,
  parseAsOf,
  parseFailOn,
  parseFormat,
  parsePositiveInt,
  parseSince,
  progressReporter,
  toolVersion,
  useColor,
} from '../common.js';
import { gateExitCode } from '../gate.js';

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
  /** Every source's own options, by attribute name. */
  [option: string]: unknown;
}

/** The bundled demo estate: a fictional company's AWS account, judged as of its own date. */
export const DEMO_DIR = path.join(PACKAGE_ROOT, 'fixtures', 'demo');

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
    .option('--dry-run', 'print what the sources would run (e.g. the SQL pushed down to an engine) and exit')
    .addHelpText(
      'after',
      `
Exit codes: 0 below the --fail-on threshold, 1 findings at or above it, 2 usage/config/input error,
3 scan incomplete (some input could not be read) unless --allow-partial.

Examples:
  agentaudit scan --demo
  agentaudit scan --aws-authz authz.json --aws-credential-report report.csv --cloudtrail ./AWSLogs --fail-on high
  agentaudit scan --demo --format sarif --output agentaudit.sarif`,
    )
    .action(async (flags: ScanFlags) => setExitCode(await scanCommand(flags)));
}

/** Adds the options every registered source declares (`--aws-authz`, `--cloudtrail`, `--github`, …). */
export function addSourceOptions(command: Command): void {
  for (const source of SOURCES) {
    for (const option of source.options) {
      const description = option.env ? `${option.description} [env: ${option.env}]` : option.description;
      if (option.repeatable) command.option(option.flags, description, collect);
      else command.option(option.flags, description);
    }
  }
}

/** The sources the flags ask for, each bound to its options; throws a UserError when none is asked for. */
export function planSources(
  values: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): PlannedSource[] {
  const planned = SOURCES.map((source) => source.plan(values, env)).filter(
    (source): source is PlannedSource => source !== null,
  );
  if (planned.length === 0) {
    throw new UserError(
      'nothing to scan',
      'pass --demo, or a source such as --aws-authz, --aws-credential-report, --cloudtrail (see `agentaudit scan --help`)',
    );
  }
  return planned;
}

/** The demo estate's files as source options, added to what the flags already give. */
export function withDemoSources(flags: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const add = (name: string, file: string): string[] => [
    ...((flags[name] as string[] | undefined) ?? []),
    file,
  ];
  return {
    ...flags,
    awsAuthz: add('awsAuthz', path.join(DEMO_DIR, 'aws', 'authorization-details.json')),
    awsCredentialReport: add('awsCredentialReport', path.join(DEMO_DIR, 'aws', 'credential-report.csv')),
    cloudtrail: add('cloudtrail', path.join(DEMO_DIR, 'cloudtrail')),
    people: add('people', path.join(DEMO_DIR, 'people.csv')),
  };
}

/** The date the demo estate is judged as of, so it reads the same next year. */
export function demoAsOf(): string {
  return (JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'demo.json'), 'utf8')) as { asOf: string }).asOf;
}

async function scanCommand(flags: ScanFlags): Promise<number> {
  const format = parseFormat(flags.format);
  const { config } = loadConfig(flags.config);
  const failOn = parseFailOn(flags.failOn, config.failOn ?? 'none');
  const baselineFile = flags.baseline ?? config.baseline;
  const baseline = baselineFile ? readBaseline(baselineFile) : null;
  const values = flags.demo ? withDemoSources(flags) : flags;
  const sources = planSources(values);
  const asOf = parseAsOf(flags.asOf ?? (flags.demo ? demoAsOf() : undefined));
  const since = parseSince(flags.since, asOf);
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
    onProgress: progressReporter(),
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
