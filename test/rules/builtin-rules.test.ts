// Every built-in rule loads, follows the conventions, and passes its own cases both ways.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_RULES_DIR, loadRules } from '../../src/rules/load.js';
import { runRuleTests } from '../../src/rules/selftest.js';

const { rules, errors } = loadRules([BUILT_IN_RULES_DIR]);

describe('built-in rules', () => {
  it('all load without errors', () => {
    // Given the rules folder, When it is loaded, Then no file is rejected
    expect(errors).toEqual([]);
    expect(rules.length).toBeGreaterThanOrEqual(9);
  });

  it.each(rules.map((rule) => [rule.id, rule] as const))('%s follows the conventions', (_id, rule) => {
    // Given a rule, Then its id is its file name, it cites an OWASP NHI entry, and it has cases both ways
    expect(path.basename(rule.file)).toBe(`${rule.id}.yaml`);
    expect(rule.references.some((reference) => /^OWASP-NHI\d+$/.test(reference.id))).toBe(true);
    expect(rule.tests.alarm.length).toBeGreaterThan(0);
    expect(rule.tests.pass.length).toBeGreaterThan(0);
  });

  const results = runRuleTests(rules);
  it.each(
    results.map((result) => [`${result.ruleId} [${result.kind}] ${result.description}`, result] as const),
  )('%s', (_name, result) => {
    // Given the case's inventory, When the rule runs, Then it alarms (alarm cases) or checks and passes (pass cases)
    expect(result.problem).toBeNull();
  });
});
