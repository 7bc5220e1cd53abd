// The registered sources' flags on a command, and the sources a set of parsed flags asks for.
import { Option, type Command } from 'commander';
import type { PlannedSource } from '../connectors/contract.js';
import { UserError } from '../errors/errors.js';
import { SOURCES } from '../scan/sources.js';
import { collect } from './common.js';

/** Adds the options every registered source declares (`--aws-authz`, `--cloudtrail`, `--github`, …), or only the replayable ones. */
export function addSourceOptions(command: Command, which: { replayableOnly?: boolean } = {}): void {
  for (const source of SOURCES) {
    if (which.replayableOnly && !source.replayable) continue;
    for (const option of source.options) {
      const description = option.env ? `${option.description} [env: ${option.env}]` : option.description;
      if (option.preset !== undefined) {
        const flag = new Option(option.flags, description).preset(option.preset);
        command.addOption(option.repeatable ? flag.argParser(collect) : flag);
      } else if (option.repeatable) command.option(option.flags, description, collect);
      else command.option(option.flags, description);
    }
  }
}

/** The sources the flags ask for, each bound to its options; throws a UserError when none is asked for. */
export function planSources(
  values: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: { allowNone?: boolean } = {},
): PlannedSource[] {
  const planned = SOURCES.map((source) => source.plan(values, env)).filter(
    (source): source is PlannedSource => source !== null,
  );
  if (planned.length === 0 && !options.allowNone) {
    throw new UserError(
      'nothing to scan',
      'pass --demo, a source such as --aws, --aws-authz, --cloudtrail, --local, --okta, or --from DIR (see `agentaudit scan --help`)',
    );
  }
  return planned;
}

/** Planned sources in registry order (their merge and link order), whether planned from flags or from snapshots. */
export function inRegistryOrder(planned: readonly PlannedSource[]): PlannedSource[] {
  const rank = (source: PlannedSource): number =>
    SOURCES.findIndex((registered) => registered.id === source.id);
  return [...planned].sort((a, b) => rank(a) - rank(b));
}
