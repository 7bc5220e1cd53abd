// The scan's fast granted sets give the same answer as the exact per-action expansion, on real managed policies.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIamCatalogue, PolicyExpander, type IamCatalogue } from '../../src/analysis/policy/expand.js';
import { countBits, forEachBit, GrantedSetBuilder } from '../../src/analysis/policy/grantedSet.js';
import type { JsonObject } from '../../src/model/types.js';

const policies = fs
  .readFileSync(new URL('../../fixtures/aws-managed-policies/policies.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as { name: string; document: JsonObject });

const boundaries: (JsonObject | null)[] = [
  null,
  {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['s3:*', 'ec2:*', 'iam:Get*', 'kms:*', 'logs:*'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'sts:*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'true' } },
      },
      { Effect: 'Deny', Action: 's3:Delete*', Resource: 'arn:aws:s3:::audit/*' },
      { Effect: 'Deny', Action: 'ec2:Terminate*', NotResource: 'arn:aws:ec2:*:*:instance/i-sandbox*' },
    ],
  },
];

let catalogue: IamCatalogue;
beforeAll(async () => {
  catalogue = await loadIamCatalogue();
});

describe('GrantedSetBuilder', () => {
  it('agrees with PolicyExpander.grantedActions on every sample policy, alone and under a boundary with partial Denies', () => {
    // Given one expander, 60 real managed policies paired with an inline policy, with and without a boundary
    const expander = new PolicyExpander(catalogue);
    const builder = new GrantedSetBuilder(expander);
    const inline: JsonObject = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Deny', Action: ['s3:GetObject', 'kms:Decrypt'], Resource: 'arn:aws:s3:::secret/*' },
      ],
    };
    const narrow = {
      name: 'narrow (a Deny covering every allowed resource removes the action)',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', 'ec2:TerminateInstances'],
            Resource: 'arn:aws:s3:::secret/reports/*',
          },
        ],
      },
    };
    for (const policy of [...policies, narrow]) {
      for (const boundary of boundaries) {
        const sources = {
          policies: [
            { sourcePolicy: policy.name, document: policy.document },
            { sourcePolicy: 'inline:fence', document: inline },
          ],
          boundary: boundary ? { sourcePolicy: 'boundary', document: boundary } : null,
          grants: [],
        };
        // When both compute what the identity is granted
        const exact = expander.grantedActions(sources);
        const fast = builder.grantedSet(sources);
        // Then the actions, the conditional ones and the boundary's removals are the same
        const fastKeys: string[] = [];
        forEachBit(fast.granted, (n) => fastKeys.push(fast.index.keys[n]!));
        expect(fastKeys.sort(), policy.name).toEqual([...exact.actions.keys()].sort());
        expect(countBits(fast.conditional), policy.name).toBe(
          [...exact.actions.values()].filter((a) => a.conditional).length,
        );
        expect(fast.removedByBoundary, policy.name).toBe(exact.removedByBoundary);
      }
    }
  });
});
