// The IAM action-pattern matcher and policy expansion: wildcards, NotAction, NotResource, Deny, Condition, boundaries.
import { describe, expect, it } from 'vitest';
import {
  catalogueFrom,
  expandIdentityGrants,
  expandPattern,
  expandPolicyDocument,
  PolicyExpander,
  withExtraActions,
} from '../../src/analysis/policy/expand.js';
import type { Grant, JsonObject } from '../../src/model/types.js';

const catalogue = catalogueFrom(
  new Map([
    ['s3', ['GetObject', 'GetBucketPolicy', 'PutObject', 'ListBucket']],
    ['iam', ['PassRole', 'CreateRole', 'GetRole', 'ListUsers', 'DeleteRolePolicy']],
    ['bedrock', ['InvokeModel']],
  ]),
);

function grant(partial: Partial<Grant>): Grant {
  return {
    identityId: 'id-1',
    permission: '*',
    resource: '*',
    effect: 'allow',
    notAction: false,
    sourcePolicy: 'inline:test',
    conditional: false,
    ...partial,
  };
}

describe('expandPattern', () => {
  it('matches wildcards anywhere, case-insensitively, within the named service', () => {
    // Given patterns with leading, inner and trailing wildcards in mixed case
    // When they are expanded
    // Then each matches exactly the catalogue actions it names
    expect(expandPattern('*', catalogue)).toHaveLength(10);
    expect(expandPattern('s3:Get*', catalogue)).toEqual(['s3:GetObject', 's3:GetBucketPolicy']);
    expect(expandPattern('IAM:*role*', catalogue)).toEqual([
      'iam:PassRole',
      'iam:CreateRole',
      'iam:GetRole',
      'iam:DeleteRolePolicy',
    ]);
    expect(expandPattern('s3:getobjec?', catalogue)).toEqual(['s3:GetObject']);
    expect(expandPattern('s3:Nothing*', catalogue)).toEqual([]);
    expect(expandPattern('*:Get*', catalogue)).toEqual(['s3:GetObject', 's3:GetBucketPolicy', 'iam:GetRole']);
  });

  it('returns the same memoized list for the same pattern in any case', () => {
    // Given one pattern spelled twice
    // When it is expanded twice
    // Then the second call returns the first result
    expect(expandPattern('s3:*', catalogue)).toBe(expandPattern('S3:*', catalogue));
  });

  it('covers actions added to the catalogue from logs', () => {
    // Given an action the catalogue lacks
    const extended = withExtraActions(catalogue, ['s3:NewShinyAction']);
    // When `s3:*` is expanded on the extended catalogue
    // Then it includes the new action
    expect(expandPattern('s3:*', extended)).toContain('s3:NewShinyAction');
  });
});

describe('expandIdentityGrants', () => {
  it('rebuilds a NotAction statement from its rows and allows everything else', () => {
    // Given one NotAction Allow statement stored as two rows (iam:* and s3:Put*)
    const grants = [
      grant({ permission: 'iam:*', notAction: true }),
      grant({ permission: 's3:Put*', notAction: true }),
    ];
    // When expanded
    const allowed = [...expandIdentityGrants(grants, catalogue).values()].map((a) => a.action).sort();
    // Then the allowed set is the catalogue minus both patterns (not minus one pattern at a time)
    expect(allowed).toEqual(['bedrock:InvokeModel', 's3:GetBucketPolicy', 's3:GetObject', 's3:ListBucket']);
  });

  it('subtracts an unconditional Deny and keeps a conditional one with a flag', () => {
    // Given admin access, an unconditional Deny of iam:PassRole and a conditional Deny of iam:CreateRole
    const grants = [
      grant({ permission: '*' }),
      grant({ permission: 'iam:PassRole', effect: 'deny' }),
      grant({ permission: 'iam:CreateRole', effect: 'deny', conditional: true }),
    ];
    // When expanded
    const allowed = expandIdentityGrants(grants, catalogue);
    // Then PassRole is gone, CreateRole stays flagged conditional, the rest is unconditional
    expect(allowed.has('iam:passrole')).toBe(false);
    expect(allowed.get('iam:createrole')?.conditional).toBe(true);
    expect(allowed.get('iam:getrole')?.conditional).toBe(false);
    expect(allowed.size).toBe(9);
  });

  it('flags actions whose only Allow is conditional, and keeps resources per action', () => {
    // Given a conditional Allow of s3:Get* on a bucket and an unconditional Allow of s3:GetObject on another
    const grants = [
      grant({ permission: 's3:Get*', resource: 'arn:aws:s3:::a/*', conditional: true }),
      grant({ permission: 's3:GetObject', resource: 'arn:aws:s3:::b/*' }),
    ];
    // When expanded
    const allowed = expandIdentityGrants(grants, catalogue);
    // Then GetBucketPolicy is conditional; GetObject is not, with both resources
    expect(allowed.get('s3:getbucketpolicy')).toMatchObject({
      conditional: true,
      resources: ['arn:aws:s3:::a/*'],
    });
    expect(allowed.get('s3:getobject')).toMatchObject({
      conditional: false,
      resources: ['arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'],
    });
  });

  it('removes a denied resource, and records a narrower Deny on a broader Allow', () => {
    // Given s3:GetObject allowed on two buckets and everywhere for PutObject, one bucket denied for both
    const grants = [
      grant({ permission: 's3:GetObject', resource: 'arn:aws:s3:::a/*' }),
      grant({ permission: 's3:GetObject', resource: 'arn:aws:s3:::b/*' }),
      grant({ permission: 's3:PutObject', resource: '*' }),
      grant({ permission: 's3:*Object', resource: 'arn:aws:s3:::a/*', effect: 'deny' }),
    ];
    // When expanded
    const allowed = expandIdentityGrants(grants, catalogue);
    // Then GetObject keeps bucket b only; PutObject keeps * with the denied bucket noted
    expect(allowed.get('s3:getobject')?.resources).toEqual(['arn:aws:s3:::b/*']);
    expect(allowed.get('s3:putobject')).toMatchObject({
      resources: ['*'],
      exceptResources: ['arn:aws:s3:::a/*'],
    });
  });
});

const doc = (...Statement: JsonObject[]): JsonObject => ({ Version: '2012-10-17', Statement });

describe('expandPolicyDocument', () => {
  it('keeps an Allow with NotResource as everywhere-but, with the exclusion recorded', () => {
    // Given s3:Get* allowed on every resource except one bucket
    const allowed = expandPolicyDocument(
      doc({ Effect: 'Allow', Action: 's3:Get*', NotResource: 'arn:aws:s3:::secret/*' }),
      catalogue,
    );
    // Then both Get actions are allowed on * except the bucket
    expect(allowed.get('s3:getobject')).toMatchObject({
      resources: ['*'],
      exceptResources: ['arn:aws:s3:::secret/*'],
    });
    expect(allowed.size).toBe(2);
  });

  it('narrows an Allow to what a Deny with NotResource leaves, instead of removing the action', () => {
    // Given s3:* allowed everywhere and every s3 action denied outside one bucket
    const allowed = expandPolicyDocument(
      doc(
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::mine', 'arn:aws:s3:::mine/*'] },
      ),
      catalogue,
    );
    // Then every s3 action stays, limited to that bucket
    expect(allowed.size).toBe(4);
    expect(allowed.get('s3:putobject')?.resources).toEqual(['arn:aws:s3:::mine', 'arn:aws:s3:::mine/*']);
  });

  it('removes everything a Deny with NotAction does not exempt', () => {
    // Given admin access and a Deny of everything but iam:Get*
    const allowed = expandPolicyDocument(
      doc(
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', NotAction: 'iam:Get*', Resource: '*' },
      ),
      catalogue,
    );
    // Then only iam:GetRole is left
    expect([...allowed.keys()]).toEqual(['iam:getrole']);
  });

  it('removes an action whose every allowed resource a Deny names with a wildcard', () => {
    // Given GetObject allowed on one prefix and denied on the whole bucket
    const allowed = expandPolicyDocument(
      doc(
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/reports/*' },
        { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
      ),
      catalogue,
    );
    // Then nothing is left
    expect(allowed.size).toBe(0);
  });
});

describe('PolicyExpander', () => {
  const admin = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
  const boundary = doc(
    { Effect: 'Allow', Action: ['s3:*', 'iam:Get*'], Resource: '*' },
    {
      Effect: 'Allow',
      Action: 'bedrock:InvokeModel',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'true' } },
    },
  );

  it('caps identity policies with the permission boundary and counts what the cap removes', () => {
    // Given AdministratorAccess under a boundary allowing s3, iam:Get* and (conditionally) bedrock
    const granted = new PolicyExpander(catalogue).grantedActions({
      policies: [{ sourcePolicy: 'arn:aws:iam::aws:policy/AdministratorAccess', document: admin }],
      boundary: { sourcePolicy: 'arn:aws:iam::111122223333:policy/fence', document: boundary },
      grants: [],
    });
    // Then only the boundary's actions remain, bedrock flagged conditional, and 4 iam actions are capped away
    expect([...granted.actions.keys()].sort()).toEqual([
      'bedrock:invokemodel',
      'iam:getrole',
      's3:getbucketpolicy',
      's3:getobject',
      's3:listbucket',
      's3:putobject',
    ]);
    expect(granted.actions.get('bedrock:invokemodel')?.conditional).toBe(true);
    expect(granted.actions.get('s3:getobject')?.sourcePolicies).toEqual([
      'arn:aws:iam::aws:policy/AdministratorAccess',
    ]);
    expect(granted).toMatchObject({
      boundary: 'arn:aws:iam::111122223333:policy/fence',
      removedByBoundary: 4,
    });
  });

  it('narrows resources to the boundary, and lets a Deny in the boundary deny', () => {
    // Given s3:* on * under a boundary allowing s3:* on one bucket and denying PutObject
    const granted = new PolicyExpander(catalogue).grantedActions({
      policies: [
        { sourcePolicy: 'inline:s3', document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) },
      ],
      boundary: {
        sourcePolicy: 'fence',
        document: doc(
          { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' },
          { Effect: 'Deny', Action: 's3:PutObject', Resource: '*' },
        ),
      },
      grants: [],
    });
    // Then GetObject is limited to the bucket and PutObject is gone
    expect(granted.actions.get('s3:getobject')?.resources).toEqual(['arn:aws:s3:::b/*']);
    expect(granted.actions.has('s3:putobject')).toBe(false);
  });

  it('expands each distinct document once, whatever its key order or how many identities hold it', () => {
    // Given three identities holding the same managed policy (one copy written with its keys in another order)
    const expander = new PolicyExpander(catalogue);
    const reordered: JsonObject = {
      Statement: [{ Resource: '*', Action: '*', Effect: 'Allow' }],
      Version: '2012-10-17',
    };
    for (const document of [admin, admin, reordered]) {
      expander.grantedActions({
        policies: [{ sourcePolicy: 'admin', document }],
        boundary: null,
        grants: [],
      });
    }
    // Then the document was expanded once
    expect(expander.expandedCount).toBe(1);
  });

  it('uses stored grant rows for the policies no document covers', () => {
    // Given one policy as a document and another only as grant rows
    const granted = new PolicyExpander(catalogue).grantedActions({
      policies: [
        { sourcePolicy: 'inline:a', document: doc({ Effect: 'Allow', Action: 'bedrock:*', Resource: '*' }) },
      ],
      boundary: null,
      grants: [
        grant({ permission: 'bedrock:*', sourcePolicy: 'inline:a' }),
        grant({ permission: 'iam:List*', sourcePolicy: 'inline:b' }),
      ],
    });
    // Then both contribute, each once
    expect([...granted.actions.keys()].sort()).toEqual(['bedrock:invokemodel', 'iam:listusers']);
  });
});
