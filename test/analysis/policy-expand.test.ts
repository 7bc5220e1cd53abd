// The IAM action-pattern matcher and grant expansion: wildcards, NotAction rebuilt from rows, Deny, Condition.
import { describe, expect, it } from 'vitest';
import {
  catalogueFrom,
  expandGrants,
  expandIdentityGrants,
  expandPattern,
  withExtraActions,
} from '../../src/analysis/policy/expand.js';
import type { Grant } from '../../src/model/types.js';

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
      deniedResources: ['arn:aws:s3:::a/*'],
    });
  });

  it('expands per identity', () => {
    // Given grants of two identities
    const result = expandGrants(
      [grant({ permission: 'bedrock:*' }), grant({ identityId: 'id-2', permission: 'iam:List*' })],
      catalogue,
    );
    // Then each identity gets its own set
    expect([...result.get('id-1')!.keys()]).toEqual(['bedrock:invokemodel']);
    expect([...result.get('id-2')!.keys()]).toEqual(['iam:listusers']);
  });
});
