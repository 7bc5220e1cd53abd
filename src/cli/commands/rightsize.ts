// `agentaudit rightsize <identity>`: granted vs used for one identity of a cached scan, and a least-privilege policy.
import type { Command } from 'commander';
import { UserError } from '../../errors/errors.js';
import { renderRightsize, RIGHTSIZE_FORMATS, type RightsizeFormat } from '../../rightsize/render.js';
import { rightsizeIdentity } from '../../rightsize/service.js';
import { DEFAULT_DB_PATH } from '../../store/database.js';
import { emit, parsePositiveInt } from '../common.js';

interface RightsizeFlags {
  db: string;
  scan?: string;
  format?: string;
  output?: string;
}

/** Registers `rightsize`. */
export function registerRightsize(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('rightsize')
    .description(
      'compare what one identity is granted with what it used, and suggest a least-privilege policy',
    )
    .argument('<identity>', 'an ARN, a stable id, or a unique name')
    .option('--db <path>', 'cache file', DEFAULT_DB_PATH)
    .option('--scan <id>', 'which scan (default: the latest finished one)')
    .option('--format <format>', 'text or json (default: text)')
    .option('--output <file>', 'write to a file instead of standard output')
    .action(async (identity: string, flags: RightsizeFlags) => {
      const format = parseRightsizeFormat(flags.format);
      const result = await rightsizeIdentity(flags.db, identity, {
        scanId: parsePositiveInt('--scan', flags.scan),
      });
      emit(renderRightsize(result, format), flags.output);
      setExitCode(0);
    });
}

function parseRightsizeFormat(value: string | undefined): RightsizeFormat {
  if (value === undefined) return 'text';
  if ((RIGHTSIZE_FORMATS as readonly string[]).includes(value)) return value as RightsizeFormat;
  throw new UserError(`unknown format "${value}"`, `use one of: ${RIGHTSIZE_FORMATS.join(', ')}`);
}
