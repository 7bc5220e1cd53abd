// `agentaudit inventory`: every identity of a cached scan with owner, purpose, age, last use, expiry and credentials.
import type { Command } from 'commander';
import { UserError } from '../../errors/errors.js';
import { INVENTORY_FORMATS, renderInventory, type InventoryFormat } from '../../inventory/render.js';
import { DEFAULT_DB_PATH } from '../../store/database.js';
import { TriageSession } from '../../triage/service.js';
import { emit, parsePositiveInt } from '../common.js';

interface InventoryFlags {
  db: string;
  scan?: string;
  format?: string;
  output?: string;
  provider?: string;
  kind?: string;
  agents?: boolean;
  nonHuman?: boolean;
}

/** Registers `inventory`. */
export function registerInventory(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('inventory')
    .description('list every identity of the last scan with owner, age, last use, expiry and credentials')
    .option('--db <path>', 'cache file', DEFAULT_DB_PATH)
    .option('--scan <id>', 'which scan (default: the latest finished one)')
    .option('--provider <name>', 'only this provider (aws, github, okta, openai, anthropic, slack, local, …)')
    .option('--kind <kind>', 'only this kind (iam-user, iam-role, fine-grained-pat, deploy-key, api-key, …)')
    .option('--agents', 'only identities judged to be AI agents (with the evidence in JSON)')
    .option('--non-human', 'leave out people’s own sign-ins')
    .option('--format <format>', `${INVENTORY_FORMATS.join(', ')} (default: table)`)
    .option('--output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Examples:
  agentaudit inventory
  agentaudit inventory --provider github --kind deploy-key
  agentaudit inventory --agents --format json
  agentaudit inventory --format csv --output identities.csv`,
    )
    .action((flags: InventoryFlags) => {
      const format = parseInventoryFormat(flags.format);
      const session = new TriageSession({
        dbPath: flags.db,
        scanId: parsePositiveInt('--scan', flags.scan),
        baselineFile: null,
      });
      emit(
        renderInventory(session.current(), format, {
          provider: flags.provider,
          kind: flags.kind,
          agentsOnly: flags.agents === true,
          nonHumanOnly: flags.nonHuman === true,
        }),
        flags.output,
      );
      setExitCode(0);
    });
}

function parseInventoryFormat(value: string | undefined): InventoryFormat {
  if (value === undefined) return 'table';
  if ((INVENTORY_FORMATS as readonly string[]).includes(value)) return value as InventoryFormat;
  throw new UserError(`unknown --format ${value}`, `use one of ${INVENTORY_FORMATS.join(', ')}`);
}
