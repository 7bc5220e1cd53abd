// `agentaudit rightsize <identity>`: granted vs used for one identity of a cached scan, and a least-privilege policy.
import type { Command } from 'commander';
import { UserError } from '../../errors/errors.js';
import { renderGithubRightsize } from '../../rightsize/github/render.js';
import { rightsizeGithubIdentity } from '../../rightsize/github/service.js';
import { renderRightsize, RIGHTSIZE_FORMATS, type RightsizeFormat } from '../../rightsize/render.js';
import { rightsizeIdentity } from '../../rightsize/service.js';
import { agentScorecardOf } from '../../scan/posture.js';
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
    .argument(
      '<identity>',
      'an ARN, a stable id, a unique name, or a workflow file (REPO/.github/workflows/FILE.yml)',
    )
    .option('--db <path>', 'cache file', DEFAULT_DB_PATH)
    .option('--scan <id>', 'which scan (default: the latest finished one)')
    .option('--format <format>', 'text or json (default: text)')
    .option('--output <file>', 'write to a file instead of standard output')
    .action(async (identity: string, flags: RightsizeFlags) => {
      const format = parseRightsizeFormat(flags.format);
      const scanId = parsePositiveInt('--scan', flags.scan);
      // GitHub PATs, App installations and workflows first; anything else is an AWS identity.
      const github = rightsizeGithubIdentity(flags.db, identity, { scanId });
      if (github) {
        const posture =
          github.type === 'github-token'
            ? agentScorecardOf(flags.db, github.identity.id, github.scan.id)
            : null;
        emit(renderGithubRightsize(github, format, posture), flags.output);
        setExitCode(0);
        return;
      }
      const result = await rightsizeIdentity(flags.db, identity, { scanId });
      // When the identity is an agent, its posture scorecard comes with the right-sizing.
      const posture = agentScorecardOf(flags.db, result.identity.id, result.scan.id);
      emit(renderRightsize(result, format, posture), flags.output);
      setExitCode(0);
    });
}

function parseRightsizeFormat(value: string | undefined): RightsizeFormat {
  if (value === undefined) return 'text';
  if ((RIGHTSIZE_FORMATS as readonly string[]).includes(value)) return value as RightsizeFormat;
  throw new UserError(`unknown format "${value}"`, `use one of: ${RIGHTSIZE_FORMATS.join(', ')}`);
}
