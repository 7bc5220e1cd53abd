// `agentaudit rules list|show|test|capabilities`: the rule catalogue, one rule in full, every rule's own test cases, and the confused-deputy catalogue.
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { UserError } from '../../errors/errors.js';
import { loadCapabilities } from '../../rules/capabilities.js';
import { BUILT_IN_RULES_DIR, loadRules, type RuleLoadResult } from '../../rules/load.js';
import { runRuleTests } from '../../rules/selftest.js';
import { collect, emit } from '../common.js';

interface RulesFlags {
  rules?: string[];
  config?: string;
  format?: string;
}

function ruleDirs(flags: RulesFlags): string[] {
  const { config } = loadConfig(flags.config);
  return [BUILT_IN_RULES_DIR, ...(config.rulesDirs ?? []), ...(flags.rules ?? [])];
}

function load(flags: RulesFlags): RuleLoadResult {
  return loadRules(ruleDirs(flags));
}

function reportLoadErrors(result: Pick<RuleLoadResult, 'errors'>): void {
  for (const error of result.errors) process.stderr.write(`error: ${error.file}: ${error.message}\n`);
}

/** Registers `rules` and its subcommands. */
export function registerRules(program: Command, setExitCode: (code: number) => void): void {
  const rules = program
    .command('rules')
    .description('the rule catalogue: list, show one, run their test cases, the capability catalogue');
  const common = (command: Command): Command =>
    command
      .option('--rules <dir>', 'add your own rules from this folder (repeatable)', collect)
      .option('--config <file>', 'config file (default: ./agentaudit.config.yaml when present)');

  common(rules.command('list').description('list every rule with its severity and category'))
    .option('--format <format>', 'text or json', 'text')
    .action((flags: RulesFlags) => {
      const result = load(flags);
      reportLoadErrors(result);
      if (flags.format === 'json') {
        emit(
          JSON.stringify(
            result.rules.map(({ query: _q, tests: _t, ...meta }) => meta),
            null,
            2,
          ),
          undefined,
        );
      } else {
        const width = Math.max(...result.rules.map((rule) => rule.id.length), 10);
        const lines = result.rules.map(
          (rule) =>
            `${rule.id.padEnd(width)}  ${rule.severity.padEnd(8)}  ${rule.category.padEnd(18)}  ${rule.title}`,
        );
        emit([`${'ID'.padEnd(width)}  SEVERITY  CATEGORY            TITLE`, ...lines].join('\n'), undefined);
      }
      setExitCode(result.errors.length > 0 ? 2 : 0);
    });

  common(
    rules
      .command('capabilities')
      .description(
        'list the confused-deputy catalogue: what reads content outsiders write, what acts with consequences',
      ),
  )
    .option('--format <format>', 'text or json', 'text')
    .action((flags: RulesFlags) => {
      const result = loadCapabilities(ruleDirs(flags));
      reportLoadErrors(result);
      if (flags.format === 'json') {
        emit(JSON.stringify(result.capabilities, null, 2), undefined);
      } else {
        const width = Math.max(...result.capabilities.map((c) => c.id.length), 10);
        const lines = result.capabilities.map((c) => {
          const where = c.resources ? ` on ${c.resources.join(', ')}` : c.reach ? ` on ${c.reach}` : '';
          return `${c.id.padEnd(width)}  ${c.provider.padEnd(8)}  ${c.kind.padEnd(19)}  ${c.title}\n${' '.repeat(width + 2)}${c.permissions.join(', ')}${where}`;
        });
        emit(
          [`${'ID'.padEnd(width)}  PROVIDER  KIND                 TITLE / PERMISSIONS`, ...lines].join('\n'),
          undefined,
        );
      }
      setExitCode(result.errors.length > 0 ? 2 : 0);
    });

  common(
    rules.command('show <id>').description('show one rule: metadata, parameters, SQL and test cases'),
  ).action((id: string, flags: RulesFlags) => {
    const result = load(flags);
    const rule = result.rules.find((candidate) => candidate.id === id);
    if (!rule) {
      reportLoadErrors(result);
      throw new UserError(`no rule with id ${id}`, 'list them with `agentaudit rules list`');
    }
    const parameters = Object.entries(rule.parameters ?? {}).map(
      ([name, p]) => `  ${name} = ${JSON.stringify(p.default)}  ${p.description}`,
    );
    emit(
      [
        `${rule.id} — ${rule.title}`,
        `severity: ${rule.severity}   category: ${rule.category}${rule.posture ? `   posture: ${rule.posture}` : ''}   file: ${rule.file}`,
        '',
        rule.description.trim(),
        '',
        `Risk: ${rule.risk.trim()}`,
        '',
        `Remediation: ${rule.remediation.trim()}`,
        '',
        'References:',
        ...rule.references.map((r) => `  ${r.id}  ${r.title}  ${r.url}`),
        ...(parameters.length > 0
          ? ['', 'Parameters (override under rules.<id>.parameters in the config):', ...parameters]
          : []),
        '',
        'Query:',
        ...rule.query
          .trimEnd()
          .split('\n')
          .map((line) => `  ${line}`),
        '',
        `Test cases: ${rule.tests.alarm.length} must alarm, ${rule.tests.pass.length} must pass`,
      ].join('\n'),
      undefined,
    );
    setExitCode(0);
  });

  common(
    rules.command('test').description("run every rule's test cases (each inventory must alarm or must pass)"),
  ).action((flags: RulesFlags) => {
    const result = load(flags);
    reportLoadErrors(result);
    const outcomes = runRuleTests(result.rules);
    for (const outcome of outcomes) {
      const mark = outcome.passed ? 'ok  ' : 'FAIL';
      const line = `${mark} ${outcome.ruleId} [${outcome.kind}] ${outcome.description}`;
      process.stdout.write(
        outcome.passed ? `${line}\n` : `${line}\n       ${outcome.problem} (${outcome.file})\n`,
      );
    }
    const failed = outcomes.filter((outcome) => !outcome.passed).length;
    process.stdout.write(
      `${outcomes.length - failed} passed, ${failed} failed (${result.rules.length} rules${result.errors.length > 0 ? `, ${result.errors.length} rule files did not load` : ''})\n`,
    );
    setExitCode(failed > 0 || result.errors.length > 0 ? 1 : 0);
  });
}
