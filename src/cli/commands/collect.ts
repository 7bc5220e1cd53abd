// `agentaudit collect`: record every API source's raw (masked) responses into a snapshot folder, for `scan --from DIR`.
import path from 'node:path';
import { Option, type Command } from 'commander';
import { EXIT, UserError } from '../../errors/errors.js';
import { runCollect, type CollectSource } from '../../scan/snapshot.js';
import { SOURCES } from '../../scan/sources.js';
import { parseAsOf, parseSince, toolVersion } from '../common.js';
import { progressListenerFor } from '../progress.js';
import { addSourceOptions } from '../sourceOptions.js';

interface CollectFlags {
  output?: string;
  asOf?: string;
  since?: string;
  allowPartial?: boolean;
  [option: string]: unknown;
}

/** Registers `collect`, with the options of every replayable source (file sources need no snapshot: they are files). */
export function registerCollect(program: Command, setExitCode: (code: number) => void): void {
  const command = program
    .command('collect')
    .description(
      'call the APIs (and local discovery) and save what they return into a snapshot folder, for `scan --from DIR`',
    )
    .requiredOption('--output <dir>', 'the snapshot folder to write (created 0700, files 0600)');
  addSourceOptions(command, { replayableOnly: true });
  command
    .option('--as-of <date>', 'the date the snapshot is judged as of when replayed (default: now)')
    .option('--since <duration|date>', 'evidence window for usage logs (default: 90d)')
    .option('--allow-partial', 'exit 0 even when some endpoint could not be read')
    .addHelpText(
      'after',
      `
Responses are stored with secret-shaped values masked; credentials are never written (auth headers are dropped).
Local discovery stores fingerprints and hints only. Exit codes: 0 complete, 2 usage error, 3 partial.

Example:
  OKTA_API_TOKEN=… agentaudit collect --okta acme.okta.com --local --output ./snapshot
  agentaudit scan --from ./snapshot --format json`,
    )
    .action(async (flags: CollectFlags) => setExitCode(await collectCommand(flags)));
}

/** commander's attribute name of a flag (`--aws-authz <file>` → `awsAuthz`). */
const attributeOf = (flags: string): string => new Option(flags).attributeName();

async function collectCommand(flags: CollectFlags): Promise<number> {
  const sources: CollectSource[] = [];
  for (const registered of SOURCES) {
    if (!registered.replayable) continue;
    const planned = registered.plan(flags, process.env);
    if (!planned) continue;
    const values: Record<string, unknown> = {};
    for (const option of registered.options) {
      const name = attributeOf(option.flags);
      if (flags[name] !== undefined) values[name] = flags[name];
    }
    const env: Record<string, string> = {};
    for (const name of registered.recordedEnv ?? []) {
      const value = process.env[name];
      if (value) env[name] = value;
    }
    sources.push({ registered, planned, values, env });
  }
  if (sources.length === 0) {
    throw new UserError(
      'nothing to collect',
      'pass an API source such as --okta, --openai, --anthropic, --slack, or --local',
    );
  }
  const asOf = parseAsOf(flags.asOf);
  const outcome = await runCollect({
    dir: flags.output!,
    sources,
    asOf,
    since: parseSince(flags.since, asOf),
    tool: toolVersion(),
    onProgress: progressListenerFor(process.stderr),
  });
  for (const source of outcome.manifest.sources) {
    for (const result of source.results) {
      process.stdout.write(`${result.status.padEnd(8)} ${result.name}: ${result.detail}\n`);
    }
  }
  process.stdout.write(
    `wrote the snapshot to ${path.resolve(flags.output!)}; replay it with: agentaudit scan --from ${flags.output}\n`,
  );
  return outcome.status === 'partial' && !flags.allowPartial ? EXIT.partial : EXIT.ok;
}
