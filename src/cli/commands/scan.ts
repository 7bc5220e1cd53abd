// `agentaudit scan`: parse flags, run the scan service, render the report, and exit with the CI gate's code.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { readBaseline } from '../../baseline/baseline.js';
import { loadConfig } from '../../config/config.js';
import { UserError } from '../../errors/errors.js';
import { RENDERERS } from '../../report/index.js';
import { loadReportInput } from '../../scan/reportData.js';
import { runScan } from '../../scan/service.js';
import { DEFAULT_DB_PATH, openDatabaseReadOnly } from '../../store/database.js';
import {
  PACKAGE_ROOT,
  collect,
  emit,
  parseAsOf,
  parseFailOn,
  parseFormat,
  parsePositiveInt,
  progressReporter,
  toolVersion,
  useColor,
} from '../common.js';
import { gateExitCode } from '../gate.js';

interface ScanFlags {
  demo?: boolean;
  awsAuthz?: string[];
  awsCredentialReport?: string[];
  cloudtrail?: string[];
  people?: string[];
  rules?: string[];
  config?: string;
  db: string;
  asOf?: string;
  format?: string;
  output?: string;
  failOn?: string;
  allowPartial?: boolean;
  baseline?: string;
  jobs?: string;
}

/** The bundled demo estate: a fictional company's AWS account, judged as of its own date. */
export const DEMO_DIR = path.join(PACKAGE_ROOT, 'fixtures', 'demo');

/** Registers `scan`. */
export function registerScan(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('scan')
    .description('collect identities, credentials, grants and usage; evaluate the rules; print the report')
    .option('--demo', 'scan the bundled demo estate (fixtures/demo), judged as of its own date')
    .option(
      '--aws-authz <file>',
      'output of `aws iam get-account-authorization-details` (repeatable)',
      collect,
    )
    .option(
      '--aws-credential-report <file>',
      'IAM credential report: CSV, base64, or the CLI JSON (repeatable)',
      collect,
    )
    .option(
      '--cloudtrail <path>',
      'CloudTrail file or folder (.json, .json.gz, S3 layout; repeatable)',
      collect,
    )
    .option(
      '--people <file>',
      'directory export of people (CSV or JSON) to check owners against (repeatable)',
      collect,
    )
    .option('--rules <dir>', 'add your own rules from this folder (repeatable)', collect)
    .option('--config <file>', 'config file (default: ./agentaudit.config.yaml when present)')
    .option('--db <path>', 'cache file', DEFAULT_DB_PATH)
    .option('--as-of <date>', 'judge ages and "unused for N days" as of this date (default: now)')
    .option('--format <format>', 'table, json, sarif or markdown (default: table)')
    .option('--output <file>', 'write the report to a file instead of standard output')
    .option(
      '--fail-on <severity>',
      'exit 1 when a finding is at or above: critical, high, medium, low, info, none',
    )
    .option('--allow-partial', 'do not exit 3 when some input could not be read')
    .option('--baseline <file>', 'ignore findings accepted in this baseline file')
    .option('--jobs <n>', 'worker threads for log parsing (default: one per core)')
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

async function scanCommand(flags: ScanFlags): Promise<number> {
  const format = parseFormat(flags.format);
  const { config } = loadConfig(flags.config);
  const failOn = parseFailOn(flags.failOn, config.failOn ?? 'none');
  const baselineFile = flags.baseline ?? config.baseline;
  const baseline = baselineFile ? readBaseline(baselineFile) : null;
  const sources = {
    awsAuthzFiles: flags.awsAuthz ?? [],
    awsCredentialReportFiles: flags.awsCredentialReport ?? [],
    cloudtrailPaths: flags.cloudtrail ?? [],
    peopleFiles: flags.people ?? [],
  };
  let asOf = flags.asOf;
  if (flags.demo) {
    const demo = JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'demo.json'), 'utf8')) as { asOf: string };
    asOf ??= demo.asOf;
    sources.awsAuthzFiles.push(path.join(DEMO_DIR, 'aws', 'authorization-details.json'));
    sources.awsCredentialReportFiles.push(path.join(DEMO_DIR, 'aws', 'credential-report.csv'));
    sources.cloudtrailPaths.push(path.join(DEMO_DIR, 'cloudtrail'));
    sources.peopleFiles.push(path.join(DEMO_DIR, 'people.csv'));
  }
  if (Object.values(sources).every((list) => list.length === 0)) {
    throw new UserError(
      'nothing to scan',
      'pass --demo, or export files with --aws-authz, --aws-credential-report, --cloudtrail (see `agentaudit scan --help`)',
    );
  }
  const outcome = await runScan({
    dbPath: flags.db,
    asOf: parseAsOf(asOf),
    ...sources,
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
