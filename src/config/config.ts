// Reads agentaudit.config.yaml (or --config FILE): rule overrides, extra rule folders, baseline and gate defaults.
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { compileEnvironmentRules } from '../analysis/environments.js';
import { UserError } from '../errors/errors.js';
import { ajv } from '../rules/ajv.js';
import { CONFIG_SCHEMA, type AgentauditConfig } from '../rules/schema.js';

/** The config file looked for in the working folder when --config is not given. */
export const DEFAULT_CONFIG_FILE = 'agentaudit.config.yaml';

const validateConfig = ajv.compile<AgentauditConfig>(CONFIG_SCHEMA);

/**
 * Loads the config: `file` when given (it must exist), else ./agentaudit.config.yaml when present, else an empty config.
 * Relative paths inside it (rulesDirs, baseline) are resolved against the config file's folder.
 */
export function loadConfig(
  file: string | undefined,
  cwd: string = process.cwd(),
): { config: AgentauditConfig; file: string | null } {
  const candidate = file ?? path.join(cwd, DEFAULT_CONFIG_FILE);
  if (!fs.existsSync(candidate)) {
    if (file) throw new UserError(`config file ${file} does not exist`, 'check the path given to --config');
    return { config: {}, file: null };
  }
  const document = parseDocument(fs.readFileSync(candidate, 'utf8'));
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}` : '';
    throw new UserError(`${candidate}: invalid YAML${where}: ${first.message.split('\n')[0]}`);
  }
  const data: unknown = document.toJS() ?? {};
  if (!validateConfig(data)) {
    const error = validateConfig.errors?.[0];
    const field = error?.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
    const propertyName = (error as { propertyName?: string } | undefined)?.propertyName;
    const extra =
      error?.keyword === 'additionalProperties'
        ? ` "${(error.params as { additionalProperty: string }).additionalProperty}" is not a known field`
        : propertyName !== undefined
          ? ` has key "${propertyName}", which ${error?.message ?? 'is invalid'}`
          : error?.keyword === 'enum'
            ? ` must be one of ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`
            : ` ${error?.message ?? 'is invalid'}`;
    throw new UserError(
      `${candidate}: field "${field}"${extra}`,
      'see the Configuration section of the README',
    );
  }
  try {
    compileEnvironmentRules(data.environments);
  } catch (error) {
    throw new UserError(
      `${candidate}: ${(error as Error).message}`,
      'see the Configuration section of the README',
    );
  }
  const folder = path.dirname(candidate);
  const config: AgentauditConfig = { ...data };
  if (config.rulesDirs) config.rulesDirs = config.rulesDirs.map((dir) => path.resolve(folder, dir));
  if (config.baseline) config.baseline = path.resolve(folder, config.baseline);
  return { config, file: candidate };
}
