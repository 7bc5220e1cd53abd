// Agreement of the expansion with iam-dataset's effective_actions on a few real AWS managed policies.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandIdentityGrants, loadIamCatalogue } from '../../src/analysis/policy/expand.js';
import { permissionsOfPolicy } from '../../src/connectors/aws/exports/policyDocument.js';

interface ManagedPolicy {
  name: string;
  document: Record<string, unknown>;
  effective_actions: string[];
}

const policies = fs
  .readFileSync(new URL('../../fixtures/aws-managed-policies/policies.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as ManagedPolicy);

async function compare(policy: ManagedPolicy): Promise<{ extra: string[]; missing: string[] }> {
  const parsed = permissionsOfPolicy(policy.document);
  if (!parsed.ok) throw new Error(parsed.message);
  const grants = parsed.permissions.map((p) => ({
    ...p,
    identityId: policy.name,
    sourcePolicy: policy.name,
  }));
  const ours = new Set(expandIdentityGrants(grants, await loadIamCatalogue()).keys());
  const theirs = new Set(policy.effective_actions.map((a) => a.toLowerCase()));
  return {
    extra: [...ours].filter((a) => !theirs.has(a)),
    missing: [...theirs].filter((a) => !ours.has(a)),
  };
}

describe('expansion agreement with iam-dataset', () => {
  it.each(policies.filter((p) => p.name !== 'AmazonSecurityLakePermissionsBoundary').map((p) => [p.name, p]))(
    'expands %s to exactly its effective actions',
    async (_name, policy) => {
      // Given a managed policy and iam-dataset's expansion of it
      // When agentaudit expands the same document
      // Then both sets are equal
      expect(await compare(policy)).toEqual({ extra: [], missing: [] });
    },
  );

  it('over-states a NotResource Deny (stored as resource *), so it only ever under-states what is allowed', async () => {
    // Given a permissions boundary whose Deny statements use NotResource
    const policy = policies.find((p) => p.name === 'AmazonSecurityLakePermissionsBoundary')!;
    // When expanded
    const { extra, missing } = await compare(policy);
    // Then nothing extra is allowed; the actions denied "outside" a resource are missing (a known limit of the store)
    expect(extra).toEqual([]);
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((a) => a.startsWith('s3:') || a.startsWith('sqs:'))).toBe(true);
  });
});
