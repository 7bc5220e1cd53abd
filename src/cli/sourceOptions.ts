// The registered sources' flags on a command, and the sources a set of parsed flags asks for.
import type { Command } from 'commander';
import type { PlannedSource } from '../connectors/contract.js';
import { UserError } from '../errors/errors.js';
import { SOURCES } from '../scan/sources.js';
import { collect } from './common.js';

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
      'pass --demo, or a source such as --aws, --aws-authz, --aws-credential-report, --cloudtrail (see `agentaudit scan --help`)',
    );
  }
  return planned;
}
