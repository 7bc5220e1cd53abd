// The CLI entry: registers the commands and is the one place that turns errors into messages and exit codes.
import { Command, CommanderError } from 'commander';
import { EXIT, UserError } from '../errors/errors.js';
import { registerBaseline } from './commands/baseline.js';
import { registerCollect } from './commands/collect.js';
import { registerReport } from './commands/report.js';
import { registerRightsize } from './commands/rightsize.js';
import { registerRules } from './commands/rules.js';
import { registerScan } from './commands/scan.js';
import { registerTriage } from './commands/triage.js';
import { toolVersion } from './common.js';

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  const program = new Command()
    .name('agentaudit')
    .description(
      'Audit non-human identities: who holds which credentials and permissions, what they used, and what is dangerous.',
    )
    .version(toolVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerScan(program, setExitCode);
  registerCollect(program, setExitCode);
  registerReport(program, setExitCode);
  registerBaseline(program, setExitCode);
  registerRightsize(program, setExitCode);
  registerRules(program, setExitCode);
  registerTriage(program, setExitCode);
  for (const command of program.commands) command.exitOverride();

  try {
    await program.parseAsync(argv as string[]);
    return exitCode;
  } catch (error) {
    return handleError(error);
  }
}

function handleError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; commander has already printed its message for usage errors.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UserError) {
    process.stderr.write(`agentaudit: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint}\n`);
    return error.exitCode;
  }
  process.stderr.write(
    `agentaudit: internal error (a bug in agentaudit, please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.usage;
}
