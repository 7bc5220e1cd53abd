// Loads rule YAML files, validates each against the schema and its SQL against the rule views; errors name the file and field.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { InputError } from '../model/types.js';
import { ajv, type ErrorObject } from './ajv.js';
import { CAPABILITIES_DIR } from './capabilityFormat.js';
import { openScratchRuleDatabase } from './scratch.js';
import { RULE_SCHEMA, type RuleDefinition } from './schema.js';

/** A validated rule and the file it came from. */
export interface LoadedRule extends RuleDefinition {
  file: string;
}

/** The rules that loaded and the files that did not. */
export interface RuleLoadResult {
  rules: LoadedRule[];
  errors: InputError[];
}

/** The folder of rules shipped with agentaudit. */
export const BUILT_IN_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

const validateRule = ajv.compile<RuleDefinition>(RULE_SCHEMA);
const BUILT_IN_PARAMETERS = new Set(['as_of']);

/** Loads every `*.yaml`/`*.yml` rule under the given folders (recursively); later folders may not redefine an id. */
export function loadRules(dirs: readonly string[]): RuleLoadResult {
  const rules: LoadedRule[] = [];
  const errors: InputError[] = [];
  const seen = new Map<string, string>();
  const scratch = openScratchRuleDatabase();
  try {
    for (const dir of dirs) {
      for (const file of listRuleFiles(dir, errors)) {
        const result = loadRuleFile(file, scratch);
        if ('error' in result) {
          errors.push({ file, message: result.error });
          continue;
        }
        const earlier = seen.get(result.rule.id);
        if (earlier) {
          errors.push({ file, message: `rule id "${result.rule.id}" is already defined in ${earlier}` });
          continue;
        }
        seen.set(result.rule.id, file);
        rules.push(result.rule);
      }
    }
  } finally {
    scratch.close();
  }
  rules.sort((a, b) => a.id.localeCompare(b.id));
  return { rules, errors };
}

function listRuleFiles(dir: string, errors: InputError[]): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    errors.push({
      file: dir,
      message: `cannot read the rules folder: ${(error as NodeJS.ErrnoException).code ?? error}`,
    });
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    // `capabilities/` beside the rules holds the confused-deputy catalogue (src/rules/capabilities.ts), not rules.
    if (entry.isDirectory() && entry.name === CAPABILITIES_DIR) continue;
    if (entry.isDirectory()) files.push(...listRuleFiles(full, errors));
    else if (/\.ya?ml$/.test(entry.name)) files.push(full);
  }
  return files;
}

/** Loads and validates one rule file; returns the rule or a message saying what is wrong where. */
export function loadRuleFile(
  file: string,
  scratch: ReturnType<typeof openScratchRuleDatabase>,
): { rule: LoadedRule } | { error: string } {
  const read = readYamlFile(file);
  if ('error' in read) return read;
  const data = read.data;
  if (!validateRule(data)) return { error: describeSchemaErrors(validateRule.errors ?? []) };
  const expectedId = path.basename(file).replace(/\.ya?ml$/, '');
  if (data.id !== expectedId) {
    return {
      error: `field "id" is "${data.id}" but the file is named ${path.basename(file)}: they must match`,
    };
  }
  const declared = new Set([...Object.keys(data.parameters ?? {}), ...BUILT_IN_PARAMETERS]);
  for (const name of queryParameterNames(data.query)) {
    if (!declared.has(name)) {
      return {
        error: `field "query" uses :${name}, which is not declared under "parameters" (nor built in: :as_of)`,
      };
    }
  }
  const sqlProblem = scratch.check(data.query);
  if (sqlProblem) return { error: `field "query" is not valid SQL over the rule views: ${sqlProblem}` };
  return { rule: { ...data, file } };
}

/** Reads and parses one YAML file; the error says what is wrong and where (the caller names the file). */
export function readYamlFile(file: string): { data: unknown } | { error: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { error: `cannot read: ${(error as NodeJS.ErrnoException).code ?? error}` };
  }
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    const where = first.linePos?.[0]
      ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}`
      : '';
    return { error: `invalid YAML${where}: ${first.message.split('\n')[0]}` };
  }
  return { data: document.toJS() as unknown };
}

/** Named parameters (`:name`) a query uses, ignoring string literals and comments. */
export function queryParameterNames(sql: string): string[] {
  const stripped = sql
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![:\w]):([a-z_][a-z0-9_]*)/gi)) names.add(match[1]!);
  return [...names];
}

/** One line saying which fields of a YAML document break its schema (the first three problems). */
export function describeSchemaErrors(errors: ErrorObject[]): string {
  const messages = errors.slice(0, 3).map((error) => {
    const field = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
    if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      return `field "${field === '(top level)' ? extra : `${field}.${extra}`}" is not a known field`;
    }
    if (error.keyword === 'enum') {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.join(', ');
      return `field "${field}" must be one of ${allowed}`;
    }
    if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return `field "${field === '(top level)' ? missing : `${field}.${missing}`}" is missing`;
    }
    return `field "${field}" ${error.message ?? 'is invalid'}`;
  });
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return messages.join('; ') + more;
}
