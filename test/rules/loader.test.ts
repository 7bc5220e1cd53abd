// Rule loading rejects broken rule files with a message naming the file and the field, and keeps the others.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_RULES_DIR, loadRules, queryParameterNames } from '../../src/rules/load.js';
import { runRuleTests } from '../../src/rules/selftest.js';

const template = fs.readFileSync(path.join(BUILT_IN_RULES_DIR, 'aws-user-two-active-keys.yaml'), 'utf8');

function folderWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-rules-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const renamed = (id: string, text = template): string =>
  text.replace('id: aws-user-two-active-keys', `id: ${id}`);

describe('loadRules', () => {
  it('loads a valid user rule next to the built-in ones', () => {
    const dir = folderWith({ 'my-rule.yaml': renamed('my-rule') });
    const { rules, errors } = loadRules([BUILT_IN_RULES_DIR, dir]);
    expect(errors).toEqual([]);
    expect(rules.map((rule) => rule.id)).toContain('my-rule');
  });

  it.each([
    [
      'a misspelt field',
      renamed('typo').replace('severity: medium', 'severty: medium'),
      /field "severty" is not a known field/,
    ],
    [
      'a bad enum value',
      renamed('bad-enum').replace('severity: medium', 'severity: urgent'),
      /field "severity" must be one of critical, high/,
    ],
    [
      'a missing field',
      renamed('missing').replace(/^risk: >[\s\S]*?(?=^remediation)/m, ''),
      /field "risk" is missing/,
    ],
    ['broken YAML', 'id: [unclosed\n', /invalid YAML at line/],
    [
      'SQL that does not compile',
      renamed('bad-sql').replace('FROM identities i', 'FROM identitiez i'),
      /not valid SQL.*identitiez/,
    ],
    [
      'SQL without the status column',
      renamed('no-status').replace(/END AS status,/, 'END AS state,'),
      /missing: status/,
    ],
    [
      'an undeclared parameter',
      renamed('undeclared').replace("k.active >= 2 THEN 'alarm'", "k.active >= :limit THEN 'alarm'"),
      /uses :limit/,
    ],
    [
      'a write statement',
      renamed('writer').replace(
        /^query: \|[\s\S]*?(?=^tests:)/m,
        "query: |\n  DELETE FROM identities WHERE id = 'x' RETURNING id\n",
      ),
      /not valid SQL|must be a query/,
    ],
  ])('rejects %s, naming the file, and keeps loading the rest', (_what, text, message) => {
    const id = /^id: (\S+)/m.exec(text)?.[1] ?? 'broken';
    const dir = folderWith({ [`${id}.yaml`]: text, 'fine.yaml': renamed('fine') });
    const { rules, errors } = loadRules([dir]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.file).toBe(path.join(dir, `${id}.yaml`));
    expect(errors[0]!.message).toMatch(message);
    expect(rules.map((rule) => rule.id)).toEqual(['fine']);
  });

  it('rejects an id that differs from the file name, and a duplicate id', () => {
    const dir = folderWith({ 'other-name.yaml': renamed('my-rule') });
    expect(loadRules([dir]).errors[0]!.message).toMatch(/must match/);
    const dupe = folderWith({ 'aws-user-two-active-keys.yaml': template });
    const { errors } = loadRules([BUILT_IN_RULES_DIR, dupe]);
    expect(errors[0]!.message).toMatch(/already defined/);
  });

  it('finds named parameters outside string literals and comments', () => {
    expect(
      queryParameterNames("SELECT :a, ':b', x::int -- :c\n /* :d */ FROM t WHERE y = :e").sort(),
    ).toEqual(['a', 'e']);
  });
});

describe('rule self-tests', () => {
  it('fail a rule whose alarm case does not alarm, and a pass case that checks nothing', () => {
    // Given a rule whose query never alarms and returns nothing for the pass case
    const text = renamed('never-alarms').replace(
      "CASE WHEN k.active >= 2 THEN 'alarm' ELSE 'ok' END AS status",
      "'ok' AS status",
    );
    const dir = folderWith({ 'never-alarms.yaml': text });
    const { rules } = loadRules([dir]);
    const results = runRuleTests(rules);
    expect(results.find((r) => r.kind === 'alarm')!.problem).toMatch(/expected at least one alarm/);
    const empty = renamed('checks-nothing').replace('WHERE i.kind IN', 'WHERE 0 AND i.kind IN');
    const results2 = runRuleTests(loadRules([folderWith({ 'checks-nothing.yaml': empty })]).rules);
    expect(results2.find((r) => r.kind === 'pass')!.problem).toMatch(/at least one resource checked/);
  });
});
