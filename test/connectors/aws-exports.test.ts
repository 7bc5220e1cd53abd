// The AWS IAM export connector, through readAwsExports: real exports, their variant forms, and bad input.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAwsExports, type AwsExportResult } from '../../src/connectors/aws/exports/index.js';
import { awsAccessKeySlotId, awsRoleId, awsRootId, awsUserId } from '../../src/model/ids.js';
import type { Credential, Grant } from '../../src/model/types.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/aws/', import.meta.url));
const CLOUDSPLAINING = path.join(FIXTURES, 'cloudsplaining-test/example-authz-details.json');
const CLOUDMAPPER_AUTHZ = path.join(FIXTURES, 'cloudmapper-demo/iam-get-account-authorization-details.json');
const CLOUDMAPPER_REPORT = path.join(FIXTURES, 'cloudmapper-demo/iam-get-credential-report.json');
const AIRIAM = path.join(FIXTURES, 'airiam/iam_data.json');

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'agentaudit-aws-exports-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Writes a scratch file for one test and returns its path. */
async function scratch(name: string, content: string): Promise<string> {
  const file = path.join(workDir, name);
  await writeFile(file, content);
  return file;
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}

const grantsOf = (result: AwsExportResult, identityId: string): Grant[] =>
  result.inventory.grants.filter((grant) => grant.identityId === identityId);

const identity = (result: AwsExportResult, id: string) => {
  const found = result.inventory.identities.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no identity ${id}`);
  return found;
};

/** Grants and edges in a stable order, to compare two readings of the same account. */
const comparable = (result: AwsExportResult) => ({
  identities: result.inventory.identities.map((i) => i.id).sort(),
  grants: result.inventory.grants.map((g) => JSON.stringify(g)).sort(),
  edges: result.inventory.edges.map((e) => JSON.stringify(e)).sort(),
  summary: result.summary,
});

const byId = (credentials: Credential[]) => [...credentials].sort((a, b) => a.id.localeCompare(b.id));

/** A minimal authorization-details document around the given entities. */
const authz = (parts: { users?: unknown[]; roles?: unknown[]; groups?: unknown[]; policies?: unknown[] }) =>
  JSON.stringify({
    UserDetailList: parts.users ?? [],
    RoleDetailList: parts.roles ?? [],
    GroupDetailList: parts.groups ?? [],
    Policies: parts.policies ?? [],
  });

const ACCOUNT = '111122223333';
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const allow = (Action: unknown, Resource: unknown = '*') => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action, Resource }],
});

describe('real exports', () => {
  it('cloudsplaining: the raw get-account-authorization-details shape loads with its counts', async () => {
    // Given cloudsplaining's example export, When it is read
    const result = await readAwsExports({ authzFiles: [CLOUDSPLAINING], credentialReportFiles: [] });
    // Then every entity is there and nothing is reported as broken
    expect(result.errors).toEqual([]);
    expect(result.summary).toEqual({
      users: 3,
      roles: 3,
      groups: 2,
      policies: 32,
      credentialRows: 0,
      unresolvedPolicies: [],
    });
    expect(result.inventory.grants.length).toBe(110);
    // And a role's attached customer-managed policy is expanded from the Policies list
    const overprivileged = awsRoleId('arn:aws:iam::012345678901:role/OverprivilegedEC2');
    expect(grantsOf(result, overprivileged)).toContainEqual({
      identityId: overprivileged,
      permission: 's3:PutObjectAcl',
      resource: '*',
      effect: 'allow',
      notAction: false,
      sourcePolicy: 'arn:aws:iam::012345678901:policy/InsecurePolicy',
      conditional: false,
    });
    expect(identity(result, overprivileged).lastUsedAt).toBe('2019-01-20T18:48:00Z');
    expect(identity(result, overprivileged).attributes['instance_profiles']).toEqual([
      'arn:aws:iam::012345678901:instance-profile/OverprivilegedEC2',
    ]);
  });

  it('cloudmapper: authorization details and its credential report load together', async () => {
    // Given cloudmapper's demo export and its credential report (CLI JSON with raw CSV inside Content)
    const result = await readAwsExports({
      authzFiles: [CLOUDMAPPER_AUTHZ],
      credentialReportFiles: [CLOUDMAPPER_REPORT],
    });
    // Then the two exported users, the two users known only from the report, 4 roles and the root are there
    expect(result.errors).toEqual([]);
    expect(result.summary).toEqual({
      users: 4,
      roles: 4,
      groups: 1,
      policies: 2,
      credentialRows: 3,
      unresolvedPolicies: [],
    });
    const reportOnly = identity(result, awsUserId('arn:aws:iam::123456789012:user/user'));
    expect(reportOnly.attributes['sources']).toEqual(['credential-report']);
    expect(reportOnly.isHuman).toBe(true);
    expect(reportOnly.createdAt).toBe('2018-05-07T15:35:54Z');
    // And the role trusting "*" can be assumed by anyone
    expect(result.inventory.edges).toEqual([
      {
        from: '*',
        to: awsRoleId('arn:aws:iam::123456789012:role/bad_role'),
        kind: 'can-assume',
        evidence: { actions: ['sts:AssumeRole'], conditions: null, principal: '*' },
      },
    ]);
  });

  it('AirIAM: the wrapper layout loads users, roles, groups, policies and its embedded credential report', async () => {
    // Given AirIAM's iam_data.json, When it is read as authorization details alone
    const result = await readAwsExports({ authzFiles: [AIRIAM], credentialReportFiles: [] });
    // Then every section is read, the CredentialReport included
    expect(result.errors).toEqual([]);
    expect(result.summary).toEqual({
      users: 5,
      roles: 8,
      groups: 1,
      policies: 19,
      credentialRows: 6,
      unresolvedPolicies: [],
    });
    const gandalf = identity(result, awsUserId('arn:aws:iam::000000000000:user/gandalf@bridgecrew.io'));
    expect(gandalf.isHuman).toBe(true);
    expect(gandalf.createdAt).toBe('2019-07-10T20:47:04Z');
    expect(gandalf.lastUsedAt).toBe('2020-03-19T06:03:00Z');
    expect(gandalf.attributes).toMatchObject({
      groups: ['aws-admins'],
      mfa_active: true,
      password_enabled: true,
    });
    const wifi = identity(result, awsUserId('arn:aws:iam::000000000000:user/wifi'));
    expect(wifi.isHuman).toBe(false);
    // And a role's Description is its purpose, and a Cognito-federated role trusts its identity pool
    const esRole = identity(result, awsRoleId('arn:aws:iam::000000000000:role/AmazonESCognitoAccessRole'));
    expect(esRole.purpose).toBe('Allows ES to connect to Cognito');
    expect(result.inventory.edges).toContainEqual({
      from: 'cognito-identity.amazonaws.com',
      to: awsRoleId('arn:aws:iam::000000000000:role/app_users_authenticated'),
      kind: 'trusts-oidc',
      evidence: {
        actions: ['sts:AssumeRoleWithWebIdentity'],
        conditions: { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } },
        provider: 'cognito-identity.amazonaws.com',
        protocol: 'web-identity',
      },
    });
  });
});

describe('grants', () => {
  it('group policies reach every member, named after the group', async () => {
    // Given cloudsplaining, where biden is in group "biden" (an inline policy and AmazonRDSFullAccess)
    const result = await readAwsExports({ authzFiles: [CLOUDSPLAINING], credentialReportFiles: [] });
    const biden = awsUserId('arn:aws:iam::012345678901:user/biden');
    const sources = new Set(grantsOf(result, biden).map((grant) => grant.sourcePolicy));
    // Then biden holds its own policies and the group's, each named after where it comes from
    expect([...sources].sort()).toEqual([
      'arn:aws:iam::aws:policy/AWSLambdaFullAccess',
      'group:biden/InlinePolicyForBidenGroup',
      'group:biden/arn:aws:iam::aws:policy/AmazonRDSFullAccess',
      'inline:InsecureUserPolicy',
    ]);
    // And obama has AdministratorAccess both directly and through group "admin"
    const obama = awsUserId('arn:aws:iam::012345678901:user/obama');
    const admin = grantsOf(result, obama).filter((grant) => grant.permission === '*');
    expect(admin.map((grant) => grant.sourcePolicy).sort()).toEqual([
      'arn:aws:iam::aws:policy/AdministratorAccess',
      'group:admin/arn:aws:iam::aws:policy/AdministratorAccess',
    ]);
  });

  it('a managed policy is read from its default version, not the first one listed', async () => {
    // Given a policy whose first version (not default) allows s3:* and whose default allows s3:GetObject
    const policyArn = `arn:aws:iam::${ACCOUNT}:policy/Versioned`;
    const file = await scratch(
      'versions.json',
      authz({
        users: [{ UserName: 'ci', Arn: userArn('ci'), AttachedManagedPolicies: [{ PolicyArn: policyArn }] }],
        policies: [
          {
            Arn: policyArn,
            DefaultVersionId: 'v2',
            PolicyVersionList: [
              { VersionId: 'v1', IsDefaultVersion: false, Document: allow('s3:*') },
              { VersionId: 'v2', IsDefaultVersion: true, Document: allow('s3:GetObject') },
            ],
          },
        ],
      }),
    );
    // When it is read
    const result = await readAwsExports({ authzFiles: [file], credentialReportFiles: [] });
    // Then only the default version's permission is granted
    expect(grantsOf(result, awsUserId(userArn('ci'))).map((grant) => grant.permission)).toEqual([
      's3:GetObject',
    ]);
  });

  it('one grant per action × resource, with deny, NotAction, NotResource and conditions kept', async () => {
    // Given an inline policy mixing statement forms (a single Statement object would work the same)
    const file = await scratch(
      'statements.json',
      authz({
        users: [
          {
            UserName: 'mixed',
            Arn: userArn('mixed'),
            UserPolicyList: [
              {
                PolicyName: 'mixed',
                PolicyDocument: {
                  Statement: [
                    {
                      Effect: 'Allow',
                      Action: ['S3:GetObject', 'S3:PutObject'],
                      Resource: ['arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'],
                    },
                    {
                      Effect: 'Deny',
                      NotAction: 'iam:*',
                      Resource: '*',
                      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
                    },
                    { Effect: 'Allow', Action: 'ec2:*', NotResource: 'arn:aws:ec2:*:*:instance/prod-*' },
                  ],
                },
              },
            ],
          },
        ],
      }),
    );
    // When it is read
    const result = await readAwsExports({ authzFiles: [file], credentialReportFiles: [] });
    const grants = grantsOf(result, awsUserId(userArn('mixed'))).map(
      ({ permission, resource, effect, notAction, conditional }) => [
        permission,
        resource,
        effect,
        notAction,
        conditional,
      ],
    );
    // Then service prefixes are lower-cased, every pair is a grant, and NotResource reads as "*"
    expect(grants).toEqual([
      ['s3:GetObject', 'arn:aws:s3:::a/*', 'allow', false, false],
      ['s3:GetObject', 'arn:aws:s3:::b/*', 'allow', false, false],
      ['s3:PutObject', 'arn:aws:s3:::a/*', 'allow', false, false],
      ['s3:PutObject', 'arn:aws:s3:::b/*', 'allow', false, false],
      ['iam:*', '*', 'deny', true, true],
      ['ec2:*', '*', 'allow', false, false],
    ]);
  });

  it('AWS-managed policies left out of the export are resolved from the shipped table, others are listed as unresolved', async () => {
    // Given an export filtered to local policies: AdministratorAccess and PowerUserAccess are referenced but absent
    const file = await scratch(
      'filtered.json',
      authz({
        users: [
          {
            UserName: 'admin',
            Arn: userArn('admin'),
            AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
          },
        ],
        roles: [
          {
            RoleName: 'builder',
            Arn: roleArn('builder'),
            AssumeRolePolicyDocument: { Statement: [] },
            AttachedManagedPolicies: [
              { PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
              { PolicyArn: 'arn:aws:iam::aws:policy/AmazonGuardDutyReadOnlyAccess' },
            ],
          },
        ],
      }),
    );
    // When it is read
    const result = await readAwsExports({ authzFiles: [file], credentialReportFiles: [] });
    // Then AdministratorAccess grants everything and PowerUserAccess everything but IAM/Organizations/Account
    expect(grantsOf(result, awsUserId(userArn('admin'))).map((g) => [g.permission, g.resource])).toEqual([
      ['*', '*'],
    ]);
    const builder = grantsOf(result, awsRoleId(roleArn('builder')));
    expect(builder.filter((g) => g.notAction).map((g) => g.permission)).toEqual([
      'iam:*',
      'organizations:*',
      'account:*',
    ]);
    expect(builder.map((g) => g.permission)).toContain('iam:CreateServiceLinkedRole');
    // And the policy agentaudit does not ship is named, on the role and in the summary, not dropped silently
    expect(identity(result, awsRoleId(roleArn('builder'))).attributes['unresolved_policies']).toEqual([
      'arn:aws:iam::aws:policy/AmazonGuardDutyReadOnlyAccess',
    ]);
    expect(result.summary.unresolvedPolicies).toEqual([
      'arn:aws:iam::aws:policy/AmazonGuardDutyReadOnlyAccess',
    ]);
  });
});

describe('identities', () => {
  it('owner and purpose come from tags, the owner source naming the tag', async () => {
    // Given a user tagged Owner-Email and Purpose, and a role with only a team-owner tag
    const file = await scratch(
      'tags.json',
      authz({
        users: [
          {
            UserName: 'deploy-bot',
            Arn: userArn('deploy-bot'),
            CreateDate: '2021-03-13T18:42:09+00:00',
            Tags: [
              { Key: 'Owner-Email', Value: 'alice@example.com' },
              { Key: 'Purpose', Value: 'deploys the web app' },
            ],
            PermissionsBoundary: {
              PermissionsBoundaryType: 'Policy',
              PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
            },
          },
        ],
        roles: [
          {
            RoleName: 'etl',
            Arn: roleArn('etl'),
            Path: '/aws-service-role/',
            AssumeRolePolicyDocument: allow('sts:AssumeRole'),
            Tags: [{ Key: 'team_owner', Value: 'data-team' }],
          },
        ],
      }),
    );
    // When it is read
    const result = await readAwsExports({ authzFiles: [file], credentialReportFiles: [] });
    // Then owner, its source, purpose, tags and the boundary are on the identities
    const bot = identity(result, awsUserId(userArn('deploy-bot')));
    expect(bot).toMatchObject({
      owner: 'alice@example.com',
      ownerSource: 'tag:Owner-Email',
      purpose: 'deploys the web app',
      account: ACCOUNT,
      createdAt: '2021-03-13T18:42:09Z',
      isHuman: false,
      tags: { 'Owner-Email': 'alice@example.com', Purpose: 'deploys the web app' },
    });
    expect(bot.attributes['permissions_boundary']).toBe(`arn:aws:iam::${ACCOUNT}:policy/boundary`);
    const etl = identity(result, awsRoleId(roleArn('etl')));
    expect(etl).toMatchObject({ owner: 'data-team', ownerSource: 'tag:team_owner' });
    expect(etl.attributes['service_linked']).toBe(true);
  });

  it('trust policies become can-assume and trusts-oidc edges with their conditions', async () => {
    // Given a role trusting another account by id, a user, a service and GitHub's OIDC provider with a condition
    const oidc = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const condition = { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/web:*' } };
    const file = await scratch(
      'trust.json',
      authz({
        roles: [
          {
            RoleName: 'deploy',
            Arn: roleArn('deploy'),
            MaxSessionDuration: 3600,
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: ['444455556666', userArn('alice')], Service: 'ec2.amazonaws.com' },
                  Action: 'sts:AssumeRole',
                },
                {
                  Effect: 'Allow',
                  Principal: { Federated: oidc },
                  Action: 'sts:AssumeRoleWithWebIdentity',
                  Condition: condition,
                },
                { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' },
              ],
            },
          },
        ],
      }),
    );
    // When it is read
    const result = await readAwsExports({ authzFiles: [file], credentialReportFiles: [] });
    const deploy = awsRoleId(roleArn('deploy'));
    // Then each allowed principal has an edge to the role, and the Deny adds none
    expect(result.inventory.edges.map((e) => [e.kind, e.from])).toEqual([
      ['can-assume', awsRootId('444455556666')],
      ['can-assume', awsUserId(userArn('alice'))],
      ['trusts-oidc', oidc],
    ]);
    expect(result.inventory.edges[2]?.evidence).toMatchObject({ conditions: condition, protocol: 'oidc' });
    // And the role's attributes summarize who it trusts
    expect(identity(result, deploy).attributes).toMatchObject({
      trusted_principals: {
        aws: ['arn:aws:iam::444455556666:root', userArn('alice')],
        service: ['ec2.amazonaws.com'],
        federated: [oidc],
      },
      trust_conditions: true,
      max_session_duration: 3600,
      service_linked: false,
    });
  });
});

describe('document forms', () => {
  it('URL-encoded policy documents (raw API) give the same inventory as decoded ones', async () => {
    // Given cloudmapper's export with every policy document URL-encoded, as the raw IAM API returns them
    const document = await readJson(CLOUDMAPPER_AUTHZ);
    const encode = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(encode);
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) =>
          ['PolicyDocument', 'AssumeRolePolicyDocument', 'Document'].includes(key)
            ? [key, encodeURIComponent(JSON.stringify(inner))]
            : [key, encode(inner)],
        ),
      );
    };
    const encoded = JSON.stringify(encode(document));
    expect(encoded).toContain('%22Statement%22');
    const file = await scratch('encoded.json', encoded);
    // When both are read
    const plain = await readAwsExports({ authzFiles: [CLOUDMAPPER_AUTHZ], credentialReportFiles: [] });
    const decoded = await readAwsExports({ authzFiles: [file], credentialReportFiles: [] });
    // Then they agree, grants, edges and trust policy included
    expect(decoded.errors).toEqual([]);
    expect(comparable(decoded)).toEqual(comparable(plain));
    const badRole = awsRoleId('arn:aws:iam::123456789012:role/bad_role');
    expect(identity(decoded, badRole).attributes['trust_policy']).toEqual(
      identity(plain, badRole).attributes['trust_policy'],
    );
  });

  it('multi-page exports (array of pages, concatenated documents, one file per page) equal the single document', async () => {
    // Given cloudsplaining's export split into three pages
    const document = await readJson(CLOUDSPLAINING);
    const pages = [
      { UserDetailList: document['UserDetailList'], IsTruncated: true, Marker: 'a' },
      {
        GroupDetailList: document['GroupDetailList'],
        RoleDetailList: document['RoleDetailList'],
        IsTruncated: true,
        Marker: 'b',
      },
      { Policies: document['Policies'], IsTruncated: false },
    ];
    const arrayFile = await scratch('pages-array.json', JSON.stringify(pages));
    const concatenatedFile = await scratch(
      'pages-concatenated.json',
      pages.map((p) => JSON.stringify(p, null, 2)).join('\n'),
    );
    const pageFiles = await Promise.all(
      pages.map((page, i) => scratch(`page-${i}.json`, JSON.stringify(page))),
    );
    // When each form is read
    const single = comparable(
      await readAwsExports({ authzFiles: [CLOUDSPLAINING], credentialReportFiles: [] }),
    );
    for (const authzFiles of [[arrayFile], [concatenatedFile], pageFiles]) {
      const result = await readAwsExports({ authzFiles, credentialReportFiles: [] });
      // Then each reads as the whole account
      expect(result.errors).toEqual([]);
      expect(comparable(result)).toEqual(single);
    }
  });
});

describe('credential report', () => {
  /** The CSV inside cloudmapper's CLI JSON (its Content is raw CSV). */
  const cloudmapperCsv = async () => (await readJson(CLOUDMAPPER_REPORT))['Content'] as string;

  it('raw CSV, base64, CLI JSON and AirIAM row objects give the same credentials', async () => {
    // Given the same report in each exported form
    const csv = await cloudmapperCsv();
    const base64 = Buffer.from(csv).toString('base64');
    const [header, ...lines] = csv.trim().split('\n');
    const columns = (header ?? '').split(',');
    // AirIAM leaves N/A columns out of its row objects.
    const rows = lines.map((line) =>
      Object.fromEntries(
        line
          .split(',')
          .map((value, i) => [columns[i], value])
          .filter(([, value]) => value !== 'N/A'),
      ),
    );
    const files = [
      await scratch('report.csv', csv),
      await scratch('report.b64', base64.replace(/(.{76})/g, '$1\n')),
      await scratch(
        'report-cli.json',
        JSON.stringify({ Content: base64, ReportFormat: 'text/csv', GeneratedTime: '2019-05-07T15:40:22Z' }),
      ),
      CLOUDMAPPER_REPORT,
      await scratch('report-airiam.json', JSON.stringify({ CredentialReport: rows })),
      await scratch('report-rows.json', JSON.stringify(rows)),
    ];
    // When each is read beside the same authorization details
    const results = await Promise.all(
      files.map((file) => readAwsExports({ authzFiles: [CLOUDMAPPER_AUTHZ], credentialReportFiles: [file] })),
    );
    // Then every form yields the same credentials, and the CSV reading is the expected one
    for (const result of results) expect(result.errors).toEqual([]);
    const expected = byId(results[0]?.inventory.credentials ?? []);
    for (const result of results) expect(byId(result.inventory.credentials)).toEqual(expected);
    const user = 'arn:aws:iam::123456789012:user/user';
    expect(expected.map((c) => [c.id, c.kind, c.status])).toEqual([
      [awsAccessKeySlotId('arn:aws:iam::123456789012:root', 1), 'aws-access-key', 'active'],
      [awsAccessKeySlotId('arn:aws:iam::123456789012:user/auditor_tmp', 1), 'aws-access-key', 'active'],
      [awsAccessKeySlotId(user, 1), 'aws-access-key', 'active'],
      [awsAccessKeySlotId(user, 2), 'aws-access-key', 'active'],
      [`aws:console-password:${user}`, 'console-password', 'active'],
    ]);
    expect(expected.find((c) => c.id === awsAccessKeySlotId(user, 2))).toEqual({
      id: awsAccessKeySlotId(user, 2),
      identityId: awsUserId(user),
      kind: 'aws-access-key',
      keyId: null,
      createdAt: '2018-05-07T15:35:54Z',
      lastRotatedAt: '2018-05-07T15:35:54Z',
      lastUsedAt: '2018-05-07T15:35:54Z',
      expiresAt: null,
      status: 'active',
      scopes: [],
      fingerprint: null,
      hint: null,
      attributes: { slot: 2, last_used_region: 'us-east-1', last_used_service: 's3' },
    });
  });

  it("the root row becomes the account's root identity holding the root's access keys", async () => {
    // Given cloudmapper's report, whose <root_account> row has an active access key
    const result = await readAwsExports({ authzFiles: [], credentialReportFiles: [CLOUDMAPPER_REPORT] });
    // Then the root is a human identity of its account, and the key is its credential
    const root = identity(result, awsRootId('123456789012'));
    expect(root).toMatchObject({
      kind: 'aws-root',
      account: '123456789012',
      isHuman: true,
      createdAt: '2018-08-12T17:20:55Z',
      lastUsedAt: '2019-03-03T16:58:16Z',
    });
    const rootKeys = result.inventory.credentials.filter((c) => c.identityId === root.id);
    expect(rootKeys).toHaveLength(1);
    expect(rootKeys[0]).toMatchObject({
      kind: 'aws-access-key',
      status: 'active',
      createdAt: '2018-11-23T16:01:14Z',
      lastUsedAt: '2018-11-27T00:02:00Z',
      attributes: { slot: 1, last_used_region: 'us-east-1', last_used_service: 'ecr' },
    });
  });

  it('inactive keys are kept as inactive, active certificates become x509 credentials', async () => {
    // Given a report row with an inactive second key and an active signing certificate
    const header =
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
    const row = `svc,${userArn('svc')},2020-01-01T00:00:00+00:00,false,no_information,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,2020-02-01T00:00:00+00:00,no_information,N/A,N/A,true,2020-03-01T00:00:00+00:00,false,N/A`;
    const file = await scratch('certs.csv', `${header}\n${row}\n`);
    // When it is read
    const result = await readAwsExports({ authzFiles: [], credentialReportFiles: [file] });
    // Then slot 2 is an inactive key, the certificate is active, and no password is invented
    expect(result.inventory.credentials.map((c) => [c.kind, c.status, c.createdAt, c.lastUsedAt])).toEqual([
      ['aws-access-key', 'inactive', '2020-02-01T00:00:00Z', null],
      ['x509-certificate', 'active', '2020-03-01T00:00:00Z', null],
    ]);
  });
});

describe('bad input', () => {
  it('each broken file gets a named error and the good files still load', async () => {
    // Given one good export and several broken files
    const invalidJson = await scratch(
      'invalid.json',
      '{\n  "UserDetailList": [\n    {"UserName": "x",}\n  ]\n}',
    );
    const notAuthz = await scratch('not-authz.json', JSON.stringify({ Reservations: [] }));
    const missing = path.join(workDir, 'does-not-exist.json');
    const result = await readAwsExports({
      authzFiles: [invalidJson, notAuthz, CLOUDSPLAINING, missing, CLOUDMAPPER_REPORT],
      credentialReportFiles: [],
    });
    // Then each problem names its file and says what is wrong
    expect(result.errors).toEqual([
      { file: invalidJson, message: expect.stringMatching(/^invalid JSON at line 3, column 22/) },
      { file: notAuthz, message: expect.stringContaining('not an authorization-details document') },
      { file: missing, message: expect.stringContaining('cannot read the file') },
      { file: CLOUDMAPPER_REPORT, message: expect.stringContaining('pass it as a credential report file') },
    ]);
    // And the good file loaded in full
    expect(result.summary).toMatchObject({ users: 3, roles: 3, groups: 2, policies: 32 });
  });

  it('a malformed policy is an error naming the file and the policy; the identity keeps its other policies', async () => {
    // Given a user with a policy lacking Effect, a bad JSON string document and a good policy
    const file = await scratch(
      'malformed.json',
      authz({
        users: [
          {
            UserName: 'broken',
            Arn: userArn('broken'),
            UserPolicyList: [
              { PolicyName: 'no-effect', PolicyDocument: { Statement: [{ Action: 's3:*', Resource: '*' }] } },
              { PolicyName: 'bad-string', PolicyDocument: '%7B%22Statement%22%3A' },
              { PolicyName: 'good', PolicyDocument: allow('sqs:SendMessage') },
            ],
          },
        ],
      }),
    );
    // When it is read
    const result = await readAwsExports({ authzFiles: [file], credentialReportFiles: [] });
    // Then both bad policies are reported by name, and the good one still grants
    expect(result.errors).toEqual([
      {
        file,
        message: `inline policy "no-effect" of ${userArn('broken')}: statement 1 has no valid Effect (expected "Allow" or "Deny")`,
      },
      {
        file,
        message: expect.stringMatching(
          /^inline policy "bad-string" of .*: the policy document is not valid JSON/,
        ),
      },
    ]);
    const broken = awsUserId(userArn('broken'));
    expect(grantsOf(result, broken).map((g) => g.permission)).toEqual(['sqs:SendMessage']);
    expect(identity(result, broken).attributes['unresolved_policies']).toEqual([
      'inline:no-effect',
      'inline:bad-string',
    ]);
  });

  it('credential reports that cannot be read say why', async () => {
    // Given a CSV without the report's columns, base64 of something else, and a JSON without Content
    const noColumns = await scratch('people.csv', 'user,email\nalice,alice@example.com\n');
    const otherBase64 = await scratch(
      'other.b64',
      Buffer.from('hello, this is not a report').toString('base64'),
    );
    const noContent = await scratch('no-content.json', JSON.stringify({ ReportFormat: 'text/csv' }));
    // When they are read beside a good report
    const result = await readAwsExports({
      authzFiles: [],
      credentialReportFiles: [noColumns, otherBase64, noContent, CLOUDMAPPER_REPORT],
    });
    // Then each is named with its reason, and the good report still loads
    expect(result.errors).toEqual([
      {
        file: noColumns,
        message: expect.stringMatching(/^CSV missing required columns: arn, user_creation_time/),
      },
      { file: otherBase64, message: expect.stringContaining('unknown base64') },
      { file: noContent, message: expect.stringContaining('"Content"') },
    ]);
    expect(result.summary.credentialRows).toBe(3);
  });
});
