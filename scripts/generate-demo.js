// Generates fixtures/demo/: Northwind Robotics' AWS account (IAM exports, credential report, CloudTrail, directory), deterministically.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { writeGithubDemo } from './demo-github.js';

const OUT = fileURLToPath(new URL('../fixtures/demo/', import.meta.url));
const ACCOUNT = '210987654321';
const AS_OF = '2026-10-30T12:00:00Z';
const TRAIL_START = Date.parse('2026-10-26T00:00:00Z');
const TRAIL_END = Date.parse('2026-10-30T11:00:00Z');

// A seeded PRNG (mulberry32): the same files on every run.
let seed = 0x5eed2026;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const between = (low, high) => low + Math.floor(random() * (high - low + 1));
const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
const upper = (n) =>
  Array.from({ length: n }, () => pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.split(''))).join('');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const arn = (kind, name, pathPrefix = '/') => `arn:aws:iam::${ACCOUNT}:${kind}${pathPrefix}${name}`;

// ---------------------------------------------------------------- identities
const KEYS = {
  deploy: 'AKIANWRDDEPLOYKEY001',
  maria: 'AKIANWRDMARIAGKEY002',
  artifacts: 'AKIANWRDARTIFACTS003',
};

const doc = (...statements) => ({ Version: '2012-10-17', Statement: statements });
const allow = (Action, Resource = '*', extra = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
const tags = (record) => Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
const trust = (Principal, extra = {}) =>
  doc({
    Effect: 'Allow',
    Principal,
    Action: extra.Action ?? 'sts:AssumeRole',
    ...(extra.Condition ? { Condition: extra.Condition } : {}),
  });

const POLICIES = {
  AdministratorAccess: {
    PolicyName: 'AdministratorAccess',
    PolicyId: 'ANPAIWMBCKSKIEE64ZLYK',
    Arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: 2,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: '2015-02-06T18:39:46Z',
    UpdateDate: '2015-02-06T18:39:46Z',
    PolicyVersionList: [
      {
        Document: doc(allow('*')),
        VersionId: 'v1',
        IsDefaultVersion: true,
        CreateDate: '2015-02-06T18:39:46Z',
      },
    ],
  },
  AWSSupportServiceRolePolicy: {
    PolicyName: 'AWSSupportServiceRolePolicy',
    PolicyId: 'ANPAJ7W6266ELXF5MISDS',
    Arn: 'arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy',
    Path: '/aws-service-role/',
    DefaultVersionId: 'v32',
    AttachmentCount: 1,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: '2018-04-19T18:04:44Z',
    UpdateDate: '2026-06-11T17:12:08Z',
    PolicyVersionList: [
      {
        Document: doc(
          allow([
            'ec2:Describe*',
            'iam:GetAccountSummary',
            'iam:ListRoles',
            'rds:Describe*',
            's3:GetBucketPolicy',
            'trustedadvisor:Describe*',
          ]),
        ),
        VersionId: 'v32',
        IsDefaultVersion: true,
        CreateDate: '2026-06-11T17:12:08Z',
      },
    ],
  },
  NorthwindReadOnly: {
    PolicyName: 'NorthwindReadOnly',
    PolicyId: 'ANPATNWRDREADONLY0001',
    Arn: arn('policy', 'NorthwindReadOnly'),
    Path: '/',
    DefaultVersionId: 'v3',
    AttachmentCount: 1,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: '2023-05-02T10:11:12Z',
    UpdateDate: '2025-01-14T08:00:00Z',
    PolicyVersionList: [
      {
        Document: doc(allow(['ec2:Describe*', 's3:ListAllMyBuckets'])),
        VersionId: 'v2',
        IsDefaultVersion: false,
        CreateDate: '2024-02-01T08:00:00Z',
      },
      {
        Document: doc(
          allow([
            'ce:Get*',
            'ec2:Describe*',
            'rds:Describe*',
            's3:ListAllMyBuckets',
            's3:GetBucketLocation',
            'cloudwatch:GetMetricData',
          ]),
        ),
        VersionId: 'v3',
        IsDefaultVersion: true,
        CreateDate: '2025-01-14T08:00:00Z',
      },
    ],
  },
  NorthwindDeveloperAccess: {
    PolicyName: 'NorthwindDeveloperAccess',
    PolicyId: 'ANPATNWRDDEVELOPER002',
    Arn: arn('policy', 'NorthwindDeveloperAccess'),
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: 1,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: '2023-05-02T10:11:12Z',
    UpdateDate: '2023-05-02T10:11:12Z',
    PolicyVersionList: [
      {
        Document: doc(
          allow([
            'ec2:Describe*',
            'logs:FilterLogEvents',
            'logs:GetLogEvents',
            'cloudformation:Describe*',
            'lambda:Get*',
            'lambda:List*',
          ]),
          allow(
            ['s3:GetObject', 's3:ListBucket'],
            ['arn:aws:s3:::northwind-dev-*', 'arn:aws:s3:::northwind-dev-*/*'],
          ),
          allow(
            ['dynamodb:Query', 'dynamodb:Scan', 'dynamodb:GetItem'],
            `arn:aws:dynamodb:*:${ACCOUNT}:table/dev-*`,
          ),
          allow(
            ['iam:ChangePassword', 'iam:CreateVirtualMFADevice', 'iam:EnableMFADevice'],
            `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`,
          ),
        ),
        VersionId: 'v1',
        IsDefaultVersion: true,
        CreateDate: '2023-05-02T10:11:12Z',
      },
    ],
  },
  NorthwindCiBoundary: {
    PolicyName: 'NorthwindCiBoundary',
    PolicyId: 'ANPATNWRDCIBOUNDARY03',
    Arn: arn('policy', 'NorthwindCiBoundary'),
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: 0,
    PermissionsBoundaryUsageCount: 1,
    IsAttachable: true,
    CreateDate: '2025-06-02T09:00:00Z',
    UpdateDate: '2025-06-02T09:00:00Z',
    PolicyVersionList: [
      {
        Document: doc(allow(['s3:*', 'cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']), {
          Effect: 'Deny',
          Action: ['iam:*', 'organizations:*', 'account:*'],
          Resource: '*',
        }),
        VersionId: 'v1',
        IsDefaultVersion: true,
        CreateDate: '2025-06-02T09:00:00Z',
      },
    ],
  },
};
const attached = (...names) => names.map((name) => ({ PolicyName: name, PolicyArn: POLICIES[name].Arn }));

const users = [
  {
    UserName: 'github-actions-deploy',
    Path: '/ci/',
    UserId: 'AIDATNWRDDEPLOY00001',
    CreateDate: '2025-02-11T09:14:22Z',
    GroupList: [],
    UserPolicyList: [],
    AttachedManagedPolicies: attached('AdministratorAccess'),
    Tags: tags({
      owner: 'platform-team@northwind.example',
      purpose: 'Deploys services from GitHub Actions',
      'cost-center': 'platform',
    }),
  },
  {
    UserName: 'maria.gonzalez',
    Path: '/',
    UserId: 'AIDATNWRDMARIAG00002',
    CreateDate: '2023-06-05T08:30:00Z',
    GroupList: ['developers'],
    UserPolicyList: [],
    AttachedManagedPolicies: [],
    Tags: tags({ team: 'platform', email: 'maria.gonzalez@northwind.example' }),
  },
  {
    UserName: 'ana.silva',
    Path: '/',
    UserId: 'AIDATNWRDANASILVA003',
    CreateDate: '2024-01-08T09:00:00Z',
    GroupList: ['developers'],
    UserPolicyList: [],
    AttachedManagedPolicies: [],
    Tags: tags({ team: 'data', email: 'ana.silva@northwind.example' }),
  },
  {
    UserName: 'legacy-backup',
    Path: '/',
    UserId: 'AIDATNWRDLEGACYBK004',
    CreateDate: '2021-04-19T14:02:51Z',
    GroupList: [],
    UserPolicyList: [
      {
        PolicyName: 'backup-s3',
        PolicyDocument: doc(
          allow(
            ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
            ['arn:aws:s3:::northwind-backups', 'arn:aws:s3:::northwind-backups/*'],
          ),
        ),
      },
    ],
    AttachedManagedPolicies: [],
    Tags: [],
  },
  {
    UserName: 'ci-artifacts',
    Path: '/ci/',
    UserId: 'AIDATNWRDCIARTIF0005',
    CreateDate: '2024-09-23T11:45:00Z',
    GroupList: [],
    UserPolicyList: [
      {
        PolicyName: 'artifacts-rw',
        PolicyDocument: doc(
          allow(
            ['s3:PutObject', 's3:GetObject', 's3:ListBucket'],
            ['arn:aws:s3:::northwind-build-artifacts', 'arn:aws:s3:::northwind-build-artifacts/*'],
          ),
        ),
      },
    ],
    AttachedManagedPolicies: [],
    Tags: tags({ owner: 'platform-team@northwind.example', purpose: 'Uploads build artifacts from CI' }),
  },
].map((user) => ({ ...user, Arn: arn('user', user.UserName, user.Path) }));

const groups = [
  {
    GroupName: 'developers',
    Path: '/',
    GroupId: 'AGPATNWRDDEVELOPERS1',
    Arn: arn('group', 'developers'),
    CreateDate: '2023-05-02T10:11:12Z',
    GroupPolicyList: [
      {
        PolicyName: 'read-own-logs',
        PolicyDocument: doc(allow(['logs:DescribeLogGroups', 'logs:DescribeLogStreams'])),
      },
    ],
    AttachedManagedPolicies: attached('NorthwindDeveloperAccess'),
  },
];

const GITHUB_OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const roles = [
  {
    RoleName: 'data-pipeline',
    Path: '/service-role/',
    RoleId: 'AROATNWRDDATAPIPE001',
    CreateDate: '2023-09-12T16:20:00Z',
    AssumeRolePolicyDocument: trust({ Service: ['glue.amazonaws.com', 'lambda.amazonaws.com'] }),
    RolePolicyList: [
      {
        PolicyName: 'pipeline-data',
        PolicyDocument: doc(
          allow(
            ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
            ['arn:aws:s3:::northwind-datalake', 'arn:aws:s3:::northwind-datalake/*'],
          ),
          allow(
            ['glue:GetTable', 'glue:GetPartitions', 'glue:BatchCreatePartition', 'glue:StartJobRun'],
            '*',
          ),
          allow(['logs:CreateLogStream', 'logs:PutLogEvents'], '*'),
        ),
      },
    ],
    AttachedManagedPolicies: [],
    Tags: tags({
      owner: 'tom.becker@northwind.example',
      purpose: 'Nightly ETL from the robot telemetry bucket into the data lake',
    }),
    RoleLastUsed: { LastUsedDate: '2026-10-30T02:41:17Z', Region: 'eu-west-1' },
  },
  {
    RoleName: 'support-agent',
    Path: '/agents/',
    RoleId: 'AROATNWRDSUPPORTAG02',
    CreateDate: '2026-07-01T13:05:44Z',
    AssumeRolePolicyDocument: trust({ Service: ['lambda.amazonaws.com', 'bedrock.amazonaws.com'] }),
    RolePolicyList: [
      {
        PolicyName: 'support-agent-tools',
        PolicyDocument: doc(
          allow(
            ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
            `arn:aws:bedrock:us-east-1::foundation-model/*`,
          ),
          allow(['ses:SendEmail', 'ses:SendRawEmail'], '*'),
          allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::northwind-support-tickets/*'),
          allow(
            ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
            `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/support-*`,
          ),
          allow(['iam:PassRole', 'lambda:InvokeFunction'], '*'),
        ),
      },
    ],
    AttachedManagedPolicies: [],
    Tags: tags({
      'ai-agent': 'true',
      purpose: 'Answers customer support tickets with Bedrock (Strands Agents)',
    }),
    RoleLastUsed: { LastUsedDate: '2026-10-30T10:58:02Z', Region: 'us-east-1' },
  },
  {
    RoleName: 'reporting-readonly',
    Path: '/',
    RoleId: 'AROATNWRDREPORTING03',
    CreateDate: '2023-05-02T10:20:00Z',
    AssumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }),
    RolePolicyList: [],
    AttachedManagedPolicies: attached('NorthwindReadOnly'),
    Tags: tags({ owner: 'ana.silva@northwind.example', purpose: 'Daily cost and inventory report' }),
    RoleLastUsed: { LastUsedDate: '2026-10-30T06:01:09Z', Region: 'us-east-1' },
  },
  {
    RoleName: 'terraform-ci',
    Path: '/ci/',
    RoleId: 'AROATNWRDTERRAFORM04',
    CreateDate: '2024-03-18T09:00:00Z',
    AssumeRolePolicyDocument: trust(
      { Federated: GITHUB_OIDC },
      {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: {
            'token.actions.githubusercontent.com:sub':
              'repo:northwind-robotics/infrastructure:ref:refs/heads/main',
          },
        },
      },
    ),
    RolePolicyList: [
      {
        PolicyName: 'terraform-apply',
        PolicyDocument: doc(
          allow(['ec2:*', 'ecs:*', 'elasticloadbalancing:*', 'autoscaling:*', 'cloudwatch:*'], '*'),
          allow(
            ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
            ['arn:aws:s3:::northwind-terraform-state', 'arn:aws:s3:::northwind-terraform-state/*'],
          ),
          allow(
            ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
            `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/terraform-locks`,
          ),
          allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/ecs-task-*`),
        ),
      },
    ],
    AttachedManagedPolicies: [],
    Tags: tags({
      owner: 'platform-team@northwind.example',
      purpose: 'Terraform plans and applies from GitHub Actions (OIDC)',
    }),
    RoleLastUsed: { LastUsedDate: '2026-10-29T15:12:40Z', Region: 'us-east-1' },
  },
  {
    RoleName: 'vendor-integration',
    Path: '/',
    RoleId: 'AROATNWRDVENDORINT05',
    CreateDate: '2022-11-07T12:00:00Z',
    AssumeRolePolicyDocument: trust({ AWS: '*' }),
    RolePolicyList: [
      {
        PolicyName: 'read-exports',
        PolicyDocument: doc(
          allow(
            ['s3:GetObject', 's3:ListBucket'],
            ['arn:aws:s3:::northwind-partner-exports', 'arn:aws:s3:::northwind-partner-exports/*'],
          ),
        ),
      },
    ],
    AttachedManagedPolicies: [],
    Tags: tags({
      owner: 'ana.silva@northwind.example',
      purpose: 'Partner pulls order exports (set up for a 2022 pilot)',
    }),
    RoleLastUsed: { LastUsedDate: '2026-03-20T17:44:03Z', Region: 'us-east-1' },
  },
  {
    // Deployed by the website repository's workflow through GitHub OIDC, but its trust has no `sub` condition:
    // any workflow of any GitHub repository can assume it.
    RoleName: 'website-deploy',
    Path: '/ci/',
    RoleId: 'AROATNWRDWEBSITE0008',
    CreateDate: '2025-06-02T10:00:00Z',
    AssumeRolePolicyDocument: trust(
      { Federated: GITHUB_OIDC },
      {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
      },
    ),
    RolePolicyList: [
      {
        PolicyName: 'website-sync',
        PolicyDocument: doc(
          allow(
            ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'],
            ['arn:aws:s3:::northwind-website', 'arn:aws:s3:::northwind-website/*'],
          ),
          allow('cloudfront:CreateInvalidation', '*'),
        ),
      },
    ],
    AttachedManagedPolicies: [],
    Tags: tags({
      owner: 'platform-team@northwind.example',
      purpose: 'Deploys the public website from GitHub Actions (OIDC)',
    }),
    RoleLastUsed: { LastUsedDate: '2026-10-29T16:20:11Z', Region: 'us-east-1' },
  },
  {
    RoleName: 'AWSServiceRoleForSupport',
    Path: '/aws-service-role/support.amazonaws.com/',
    RoleId: 'AROATNWRDSUPPORTSL06',
    CreateDate: '2019-03-04T08:15:00Z',
    AssumeRolePolicyDocument: trust({ Service: 'support.amazonaws.com' }),
    RolePolicyList: [],
    AttachedManagedPolicies: attached('AWSSupportServiceRolePolicy'),
    Tags: [],
    RoleLastUsed: { LastUsedDate: '2026-10-21T09:00:00Z', Region: 'us-east-1' },
  },
  {
    RoleName: 'AWSReservedSSO_AdministratorAccess_8f2c1a9e4b7d3e60',
    Path: '/aws-reserved/sso.amazonaws.com/',
    RoleId: 'AROATNWRDSSOADMIN007',
    CreateDate: '2023-05-02T09:00:00Z',
    AssumeRolePolicyDocument: trust(
      { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_4e1a7c2b9d3f5a60_DO_NOT_DELETE` },
      {
        Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      },
    ),
    RolePolicyList: [],
    AttachedManagedPolicies: attached('AdministratorAccess'),
    Tags: [],
    RoleLastUsed: { LastUsedDate: '2026-10-28T14:03:11Z', Region: 'us-east-1' },
  },
  {
    RoleName: 'partner-analytics',
    Path: '/partners/',
    RoleId: 'AROATNWRDPARTNERAN08',
    CreateDate: '2025-03-10T10:00:00Z',
    AssumeRolePolicyDocument: trust(
      { AWS: 'arn:aws:iam::999988887777:root' },
      { Condition: { StringEquals: { 'sts:ExternalId': 'northwind-analytics-7f3a' } } },
    ),
    RolePolicyList: [
      {
        PolicyName: 'read-fleet-metrics',
        PolicyDocument: doc(
          allow(
            ['s3:GetObject', 's3:ListBucket'],
            ['arn:aws:s3:::northwind-fleet-metrics', 'arn:aws:s3:::northwind-fleet-metrics/*'],
          ),
        ),
      },
    ],
    AttachedManagedPolicies: [],
    Tags: tags({
      owner: 'ana.silva@northwind.example',
      purpose: 'Fleet analytics vendor (Acme Insights) reads the metrics bucket from its own account',
    }),
    RoleLastUsed: { LastUsedDate: '2026-10-28T07:15:00Z', Region: 'us-east-1' },
  },
  {
    RoleName: 'preview-deploy',
    Path: '/ci/',
    RoleId: 'AROATNWRDPREVIEWDP09',
    CreateDate: '2025-06-02T09:05:00Z',
    AssumeRolePolicyDocument: trust(
      { Federated: GITHUB_OIDC },
      {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:northwind-robotics/*' },
        },
      },
    ),
    RolePolicyList: [
      {
        PolicyName: 'preview-sites',
        PolicyDocument: doc(allow(['s3:*', 'cloudfront:*', 'lambda:*'])),
      },
    ],
    AttachedManagedPolicies: [],
    PermissionsBoundary: {
      PermissionsBoundaryType: 'Policy',
      PermissionsBoundaryArn: POLICIES.NorthwindCiBoundary.Arn,
    },
    Tags: tags({
      owner: 'platform-team@northwind.example',
      purpose: 'Publishes pull-request preview sites from GitHub Actions (OIDC)',
    }),
    RoleLastUsed: { LastUsedDate: '2026-10-29T13:20:00Z', Region: 'us-east-1' },
  },
].map((role) => ({
  ...role,
  Arn: arn('role', role.RoleName, role.Path),
  InstanceProfileList: [],
  MaxSessionDuration: 3600,
}));

const authorizationDetails = {
  UserDetailList: users,
  GroupDetailList: groups,
  RoleDetailList: roles,
  Policies: Object.values(POLICIES),
  IsTruncated: false,
};

// ---------------------------------------------------------------- credential report
const CSV_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
];
const noKey = ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
const key = (rotated, used, region, service) => [
  'true',
  rotated,
  used ?? 'N/A',
  used ? region : 'N/A',
  used ? service : 'N/A',
];
const noCerts = ['false', 'N/A', 'false', 'N/A'];
const reportRows = [
  [
    '<root_account>',
    `arn:aws:iam::${ACCOUNT}:root`,
    '2019-03-04T08:12:40+00:00',
    'not_supported',
    '2026-09-14T16:40:02+00:00',
    'not_supported',
    'not_supported',
    'true',
    ...key('2019-03-04T09:01:11+00:00', '2026-09-14T16:42:00+00:00', 'us-east-1', 's3'),
    ...noKey,
    ...noCerts,
  ],
  [
    'github-actions-deploy',
    users[0].Arn,
    '2025-02-11T09:14:22+00:00',
    'false',
    'N/A',
    'N/A',
    'N/A',
    'false',
    ...key('2025-02-11T09:20:03+00:00', '2026-10-30T10:52:00+00:00', 'us-east-1', 'cloudformation'),
    ...noKey,
    ...noCerts,
  ],
  [
    'maria.gonzalez',
    users[1].Arn,
    '2023-06-05T08:30:00+00:00',
    'true',
    '2026-10-30T08:05:41+00:00',
    '2026-05-11T07:58:10+00:00',
    'N/A',
    'true',
    ...key('2026-08-20T15:31:09+00:00', '2026-10-30T10:47:00+00:00', 'us-east-1', 'dynamodb'),
    ...noKey,
    ...noCerts,
  ],
  [
    'ana.silva',
    users[2].Arn,
    '2024-01-08T09:00:00+00:00',
    'true',
    '2026-10-29T09:12:55+00:00',
    '2026-07-02T10:00:00+00:00',
    'N/A',
    'true',
    ...noKey,
    ...noKey,
    ...noCerts,
  ],
  [
    'legacy-backup',
    users[3].Arn,
    '2021-04-19T14:02:51+00:00',
    'false',
    'N/A',
    'N/A',
    'N/A',
    'false',
    ...key('2021-04-19T14:05:30+00:00', '2026-03-02T03:00:12+00:00', 'us-east-1', 's3'),
    ...key('2024-01-15T10:22:48+00:00', null),
    ...noCerts,
  ],
  [
    'ci-artifacts',
    users[4].Arn,
    '2024-09-23T11:45:00+00:00',
    'false',
    'N/A',
    'N/A',
    'N/A',
    'false',
    ...key('2026-10-05T09:30:00+00:00', '2026-10-30T10:31:00+00:00', 'us-east-1', 's3'),
    ...noKey,
    ...noCerts,
  ],
];

// ---------------------------------------------------------------- CloudTrail
const records = [];
const GITHUB_RUNNER_NETS = [
  '20.55.12',
  '20.57.71',
  '20.102.36',
  '40.84.167',
  '52.225.74',
  '52.234.39',
  '20.169.1',
  '4.175.114',
];
const runnerIp = () => `${pick(GITHUB_RUNNER_NETS)}.${between(2, 250)}`;
const MARIA_IP = '203.0.113.45';
const AGENT_LAPTOP_IP = '198.51.100.23';
const UA = {
  deploySdk:
    'aws-sdk-js/3.658.1 ua/2.1 os/linux#6.8.0-1015-azure lang/js md/nodejs#20.18.0 api/cloudformation#3.658.1 m/E',
  claudeCode:
    'aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/macos#24.0.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#cloudformation.describe-stacks app/claude-code',
  mariaAgent:
    'Boto3/1.35.44 md/Botocore#1.35.44 ua/2.0 os/macos#24.0.0 md/arch#arm64 lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.44 langgraph/0.2.39',
  browser:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  glue: 'Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10.226-214.879.amzn2.x86_64 md/arch#x86_64 lang/python#3.10.14 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.131',
  strands:
    'Boto3/1.35.44 md/Botocore#1.35.44 ua/2.0 os/linux#5.10.227-239.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.35.44 strands-agents/1.4.0',
  reportingGo:
    'aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/costexplorer#1.43.3 m/E',
  terraform:
    'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.72.1 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.182.0',
  artifactsGo:
    'aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/s3#1.66.0 m/E,Z',
};

const iamUser = (user, accessKeyId) => ({
  type: 'IAMUser',
  principalId: user.UserId,
  arn: user.Arn,
  accountId: ACCOUNT,
  accessKeyId,
  userName: user.UserName,
});
const session = (role, sessionName, startMs) => ({
  type: 'AssumedRole',
  principalId: `${role.RoleId}:${sessionName}`,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role.RoleName}/${sessionName}`,
  accountId: ACCOUNT,
  accessKeyId: `ASIA${upper(16)}`,
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: role.RoleId,
      arn: role.Arn,
      accountId: ACCOUNT,
      userName: role.RoleName,
    },
    attributes: { creationDate: iso(startMs), mfaAuthenticated: 'false' },
  },
});

const READ_ONLY = /^(Get|List|Describe|Head|Lookup|Filter|Query|Scan|BatchGet|Search)/;
const DATA_EVENTS = new Set([
  'GetObject',
  'PutObject',
  'HeadObject',
  'DeleteObject',
  'InvokeFunction',
  'Invoke',
]);

function emit(
  time,
  identity,
  source,
  name,
  { region = 'us-east-1', ip, ua, params = null, resources, error, type } = {},
) {
  const service = source.replace('.amazonaws.com', '');
  const record = {
    eventVersion: '1.10',
    userIdentity: identity,
    eventTime: iso(time),
    eventSource: source,
    eventName: name,
    awsRegion: region,
    sourceIPAddress: ip,
    userAgent: ua,
    requestParameters: params,
    responseElements: null,
    requestID: uuid(),
    eventID: uuid(),
    readOnly: READ_ONLY.test(name),
    eventType: type ?? 'AwsApiCall',
    managementEvent: !DATA_EVENTS.has(name),
    recipientAccountId: ACCOUNT,
    eventCategory: DATA_EVENTS.has(name) ? 'Data' : 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${service}.${region}.amazonaws.com`,
    },
  };
  if (resources) record.resources = resources;
  if (error) {
    record.errorCode = error;
    record.errorMessage = `User: ${identity.arn} is not authorized to perform: ${service}:${name} because no identity-based policy allows the ${service}:${name} action`;
  }
  records.push(record);
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const days = [];
for (let day = TRAIL_START; day < TRAIL_END; day += 24 * HOUR) days.push(day);
const weekday = (ms) => ![0, 6].includes(new Date(ms).getUTCDay());
const s3Object = (bucket, key) => [
  { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
  { type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
];

// 1. github-actions-deploy: deploys from GitHub Actions (SDK, runner networks) ...
const deployUser = users[0];
for (const day of days) {
  if (!weekday(day)) continue;
  for (let at = day + 13 * HOUR; at < day + 22 * HOUR && at < TRAIL_END; at += between(45, 110) * MINUTE) {
    const ip = runnerIp();
    const id = iamUser(deployUser, KEYS.deploy);
    const service = pick(['orders-api', 'fleet-telemetry', 'robot-firmware-portal']);
    let t = at;
    const step = () => (t += between(1, 9) * 1000);
    emit(step(), id, 'sts.amazonaws.com', 'GetCallerIdentity', { ip, ua: UA.deploySdk });
    emit(step(), id, 'ecr.amazonaws.com', 'GetAuthorizationToken', { ip, ua: UA.deploySdk });
    for (let i = 0; i < between(3, 6); i++)
      emit(step(), id, 'ecr.amazonaws.com', 'BatchCheckLayerAvailability', {
        ip,
        ua: UA.deploySdk,
        params: { repositoryName: service },
      });
    emit(step(), id, 's3.amazonaws.com', 'PutObject', {
      ip,
      ua: UA.deploySdk,
      params: { bucketName: 'northwind-deploy-artifacts', key: `${service}/${hex(12)}.zip` },
      resources: s3Object('northwind-deploy-artifacts', `${service}/release.zip`),
    });
    emit(step(), id, 'cloudformation.amazonaws.com', 'CreateChangeSet', {
      ip,
      ua: UA.deploySdk,
      params: { stackName: service },
    });
    emit(step(), id, 'cloudformation.amazonaws.com', 'ExecuteChangeSet', {
      ip,
      ua: UA.deploySdk,
      params: { stackName: service },
    });
    for (let i = 0; i < between(6, 14); i++)
      emit(step(), id, 'cloudformation.amazonaws.com', 'DescribeStackEvents', {
        ip,
        ua: UA.deploySdk,
        params: { stackName: service },
      });
    emit(step(), id, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', {
      ip,
      ua: UA.deploySdk,
      params: { functionName: `${service}-handler` },
    });
    emit(step(), id, 'lambda.amazonaws.com', 'GetFunctionConfiguration20150331v2', {
      ip,
      ua: UA.deploySdk,
      params: { functionName: `${service}-handler` },
    });
  }
}
// ... and, with the same key copied to a laptop, by an AI coding agent (Claude Code driving the AWS CLI).
for (const day of [days[1], days[3]]) {
  let t = day + 15 * HOUR + between(0, 40) * MINUTE;
  const id = iamUser(deployUser, KEYS.deploy);
  for (let i = 0; i < 48; i++) {
    t += between(2, 40) * 1000;
    const [source, name] = pick([
      ['cloudformation.amazonaws.com', 'DescribeStacks'],
      ['cloudformation.amazonaws.com', 'DescribeStackEvents'],
      ['logs.amazonaws.com', 'FilterLogEvents'],
      ['lambda.amazonaws.com', 'GetFunction20150331v2'],
      ['s3.amazonaws.com', 'ListBuckets'],
      ['ecs.amazonaws.com', 'DescribeServices'],
    ]);
    emit(t, id, source, name, { ip: AGENT_LAPTOP_IP, ua: UA.claudeCode });
  }
  emit(t + 5000, id, 'iam.amazonaws.com', 'ListAttachedRolePolicies', {
    ip: AGENT_LAPTOP_IP,
    ua: UA.claudeCode,
    params: { roleName: 'support-agent' },
  });
}

// 2. maria.gonzalez: signs in to the console each morning, and her access key runs a LangGraph agent at machine pace.
const maria = users[1];
for (const day of days) {
  if (!weekday(day)) continue;
  const login = day + 8 * HOUR + between(0, 25) * MINUTE;
  const consoleIdentity = {
    ...iamUser(maria, `ASIA${upper(16)}`),
    sessionContext: { attributes: { creationDate: iso(login), mfaAuthenticated: 'true' } },
  };
  emit(
    login,
    {
      type: 'IAMUser',
      principalId: maria.UserId,
      arn: maria.Arn,
      accountId: ACCOUNT,
      userName: maria.UserName,
    },
    'signin.amazonaws.com',
    'ConsoleLogin',
    {
      ip: MARIA_IP,
      ua: UA.browser,
      type: 'AwsConsoleSignIn',
    },
  );
  for (let i = 0, t = login; i < between(8, 20); i++) {
    t += between(20, 300) * 1000;
    const [source, name] = pick([
      ['ec2.amazonaws.com', 'DescribeInstances'],
      ['cloudformation.amazonaws.com', 'DescribeStacks'],
      ['logs.amazonaws.com', 'DescribeLogGroups'],
      ['lambda.amazonaws.com', 'ListFunctions20150331'],
    ]);
    emit(t, consoleIdentity, source, name, { ip: MARIA_IP, ua: UA.browser });
  }
  // The agent: bursts of 40–70 calls a minute against the dev tables and buckets.
  for (const hour of [10, 14, 16]) {
    let t = day + hour * HOUR + between(0, 30) * MINUTE;
    if (t > TRAIL_END) continue;
    const id = iamUser(maria, KEYS.maria);
    for (let i = 0; i < between(90, 160); i++) {
      t += between(700, 1400);
      const [source, name, params] = pick([
        ['dynamodb.amazonaws.com', 'Query', { tableName: 'dev-robot-telemetry' }],
        ['dynamodb.amazonaws.com', 'Scan', { tableName: 'dev-robot-telemetry' }],
        [
          's3.amazonaws.com',
          'GetObject',
          { bucketName: 'northwind-dev-datasets', key: 'fleet/2026-10.parquet' },
        ],
        ['s3.amazonaws.com', 'ListObjects', { bucketName: 'northwind-dev-datasets' }],
        ['logs.amazonaws.com', 'FilterLogEvents', { logGroupName: '/aws/lambda/fleet-telemetry-handler' }],
      ]);
      emit(t, id, source, name, {
        ip: MARIA_IP,
        ua: UA.mariaAgent,
        params,
        resources:
          name === 'GetObject' ? s3Object('northwind-dev-datasets', 'fleet/2026-10.parquet') : undefined,
      });
    }
  }
}

// 3. ana.silva: a person at the console, at a human pace.
const ana = users[2];
for (const day of days) {
  if (!weekday(day)) continue;
  const login = day + 9 * HOUR + between(0, 50) * MINUTE;
  emit(
    login,
    { type: 'IAMUser', principalId: ana.UserId, arn: ana.Arn, accountId: ACCOUNT, userName: ana.UserName },
    'signin.amazonaws.com',
    'ConsoleLogin',
    {
      ip: '203.0.113.82',
      ua: UA.browser,
      type: 'AwsConsoleSignIn',
    },
  );
  const id = {
    ...iamUser(ana, `ASIA${upper(16)}`),
    sessionContext: { attributes: { creationDate: iso(login), mfaAuthenticated: 'true' } },
  };
  for (let i = 0, t = login; i < between(5, 12); i++) {
    t += between(60, 900) * 1000;
    const [source, name] = pick([
      ['ce.amazonaws.com', 'GetCostAndUsage'],
      ['ec2.amazonaws.com', 'DescribeInstances'],
    ]);
    emit(t, id, source, name, { ip: '203.0.113.82', ua: UA.browser });
  }
}

// 4. data-pipeline: nightly Glue ETL in eu-west-1, sessions assumed by the Glue service.
const pipeline = roles[0];
for (const day of days) {
  let t = day + 2 * HOUR + between(0, 10) * MINUTE;
  if (t > TRAIL_END) continue;
  const sessionName = `GlueJobRunnerSession-${hex(8)}`;
  emit(t, { type: 'AWSService', invokedBy: 'glue.amazonaws.com' }, 'sts.amazonaws.com', 'AssumeRole', {
    region: 'eu-west-1',
    ip: 'glue.amazonaws.com',
    ua: 'glue.amazonaws.com',
    params: { roleArn: pipeline.Arn, roleSessionName: sessionName },
    resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: pipeline.Arn }],
  });
  const id = session(pipeline, sessionName, t);
  const ip = `34.248.${between(1, 250)}.${between(2, 250)}`;
  for (let i = 0; i < between(60, 110); i++) {
    t += between(3, 20) * 1000;
    const part = `dt=${iso(day).slice(0, 10)}/part-${String(i).padStart(5, '0')}.parquet`;
    const [source, name, params, resources] = pick([
      [
        's3.amazonaws.com',
        'GetObject',
        { bucketName: 'northwind-telemetry-raw' },
        s3Object('northwind-telemetry-raw', part),
      ],
      [
        's3.amazonaws.com',
        'PutObject',
        { bucketName: 'northwind-datalake' },
        s3Object('northwind-datalake', part),
      ],
      ['glue.amazonaws.com', 'GetTable', { databaseName: 'fleet', name: 'telemetry' }],
      ['glue.amazonaws.com', 'BatchCreatePartition', { databaseName: 'fleet', tableName: 'telemetry' }],
    ]);
    emit(t, id, source, name, { region: 'eu-west-1', ip, ua: UA.glue, params, resources });
  }
  // The raw bucket is not in its policy: the job's reads there are denied.
  emit(t + 1000, id, 's3.amazonaws.com', 'ListObjects', {
    region: 'eu-west-1',
    ip,
    ua: UA.glue,
    params: { bucketName: 'northwind-telemetry-raw' },
    error: 'AccessDenied',
  });
}

// 5. support-agent: a Strands agent in Lambda answering tickets all day.
const agent = roles[1];
for (const day of days) {
  for (let hour = 6; hour < 22; hour++) {
    let t = day + hour * HOUR + between(0, 20) * MINUTE;
    if (t > TRAIL_END) continue;
    for (let ticket = 0; ticket < between(1, 3); ticket++) {
      const sessionName = `support-agent-session-${hex(10)}`;
      const id = session(agent, sessionName, t);
      const ip = `3.${between(80, 95)}.${between(1, 250)}.${between(2, 250)}`;
      const ticketId = `T-${between(40000, 49999)}`;
      emit(t, id, 'dynamodb.amazonaws.com', 'GetItem', {
        ip,
        ua: UA.strands,
        params: { tableName: 'support-tickets', key: { id: ticketId } },
      });
      emit((t += 900), id, 's3.amazonaws.com', 'GetObject', {
        ip,
        ua: UA.strands,
        resources: s3Object('northwind-support-tickets', `${ticketId}/thread.json`),
      });
      for (let turn = 0; turn < between(2, 4); turn++)
        emit((t += between(2, 9) * 1000), id, 'bedrock.amazonaws.com', 'InvokeModel', {
          ip,
          ua: UA.strands,
          params: { modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0' },
        });
      emit((t += 1200), id, 'ses.amazonaws.com', 'SendEmail', {
        ip,
        ua: UA.strands,
        params: { destination: { toAddresses: ['HIDDEN_DUE_TO_SECURITY_REASONS'] } },
      });
      emit((t += 600), id, 'dynamodb.amazonaws.com', 'UpdateItem', {
        ip,
        ua: UA.strands,
        params: { tableName: 'support-tickets', key: { id: ticketId } },
      });
      t += between(2, 8) * MINUTE;
    }
  }
}

// 6. reporting-readonly: a Go report job on EC2 every morning.
const reporting = roles[2];
for (const day of days) {
  let t = day + 6 * HOUR + between(0, 3) * MINUTE;
  const id = session(reporting, `i-0${hex(16)}`, t);
  for (let i = 0; i < between(12, 25); i++) {
    t += between(1, 6) * 1000;
    const [source, name] = pick([
      ['ce.amazonaws.com', 'GetCostAndUsage'],
      ['ec2.amazonaws.com', 'DescribeInstances'],
      ['rds.amazonaws.com', 'DescribeDBInstances'],
      ['s3.amazonaws.com', 'ListBuckets'],
      ['monitoring.amazonaws.com', 'GetMetricData'],
    ]);
    emit(t, id, source, name, { ip: '10.20.3.17', ua: UA.reportingGo });
  }
}

// 7. terraform-ci: GitHub OIDC → role → Terraform plan/apply.
const terraform = roles[3];
for (const day of days) {
  if (!weekday(day)) continue;
  for (const hour of [11, 15]) {
    let t = day + hour * HOUR + between(0, 50) * MINUTE;
    if (t > TRAIL_END) continue;
    const ip = runnerIp();
    const sessionName = `GitHubActions-${between(11000000000, 11999999999)}`;
    emit(
      t,
      {
        type: 'WebIdentityUser',
        principalId: `${GITHUB_OIDC.split('/').slice(1).join('/')}:sts.amazonaws.com:repo:northwind-robotics/infrastructure:ref:refs/heads/main`,
        userName: 'repo:northwind-robotics/infrastructure:ref:refs/heads/main',
        identityProvider: 'token.actions.githubusercontent.com',
      },
      'sts.amazonaws.com',
      'AssumeRoleWithWebIdentity',
      {
        ip,
        ua: 'aws-sdk-js/3.658.1 md/nodejs#20.18.0 configure-aws-credentials',
        params: { roleArn: terraform.Arn, roleSessionName: sessionName },
      },
    );
    const id = session(terraform, sessionName, t);
    emit((t += 2000), id, 'dynamodb.amazonaws.com', 'PutItem', {
      ip,
      ua: UA.terraform,
      params: { tableName: 'terraform-locks' },
    });
    emit((t += 500), id, 's3.amazonaws.com', 'GetObject', {
      ip,
      ua: UA.terraform,
      resources: s3Object('northwind-terraform-state', 'prod/terraform.tfstate'),
    });
    for (let i = 0; i < between(25, 45); i++) {
      const [source, name] = pick([
        ['ec2.amazonaws.com', 'DescribeVpcs'],
        ['ec2.amazonaws.com', 'DescribeSecurityGroups'],
        ['ec2.amazonaws.com', 'DescribeSubnets'],
        ['ecs.amazonaws.com', 'DescribeServices'],
        ['elasticloadbalancing.amazonaws.com', 'DescribeTargetGroups'],
        ['monitoring.amazonaws.com', 'DescribeAlarms'],
      ]);
      emit((t += between(100, 900)), id, source, name, { ip, ua: UA.terraform });
    }
    emit((t += 3000), id, 's3.amazonaws.com', 'PutObject', {
      ip,
      ua: UA.terraform,
      resources: s3Object('northwind-terraform-state', 'prod/terraform.tfstate'),
    });
    emit((t += 500), id, 'dynamodb.amazonaws.com', 'DeleteItem', {
      ip,
      ua: UA.terraform,
      params: { tableName: 'terraform-locks' },
    });
  }
}

// 8. ci-artifacts: uploads from CI, one client, many runner networks.
const artifacts = users[4];
for (const day of days) {
  for (let at = day + 12 * HOUR; at < day + 23 * HOUR && at < TRAIL_END; at += between(30, 90) * MINUTE) {
    const ip = runnerIp();
    const id = iamUser(artifacts, KEYS.artifacts);
    let t = at;
    emit(t, id, 's3.amazonaws.com', 'ListObjectsV2', {
      ip,
      ua: UA.artifactsGo,
      params: { bucketName: 'northwind-build-artifacts', prefix: 'builds/' },
    });
    for (let i = 0; i < between(2, 6); i++) {
      emit((t += between(1, 4) * 1000), id, 's3.amazonaws.com', 'PutObject', {
        ip,
        ua: UA.artifactsGo,
        resources: s3Object('northwind-build-artifacts', `builds/${hex(8)}.tar.gz`),
      });
    }
  }
}

// 9. preview-deploy: any repository of the organization may assume it; it uploads preview sites and invalidates the CDN.
// Added later: it draws from its own seed, so every event and file name generated before it stays as it was.
const preview = roles.find((role) => role.RoleName === 'preview-deploy');
const mainSeed = seed;
seed = 0x9e3779b9;
for (const day of days) {
  if (!weekday(day)) continue;
  let t = day + 13 * HOUR + between(0, 40) * MINUTE;
  if (t > TRAIL_END) continue;
  const ip = runnerIp();
  const repository = pick(['website', 'docs', 'fleet-console']);
  const sessionName = `GitHubActions-${between(11000000000, 11999999999)}`;
  emit(
    t,
    {
      type: 'WebIdentityUser',
      principalId: `${GITHUB_OIDC.split('/').slice(1).join('/')}:sts.amazonaws.com:repo:northwind-robotics/${repository}:pull_request`,
      userName: `repo:northwind-robotics/${repository}:pull_request`,
      identityProvider: 'token.actions.githubusercontent.com',
    },
    'sts.amazonaws.com',
    'AssumeRoleWithWebIdentity',
    {
      ip,
      ua: 'aws-sdk-js/3.658.1 md/nodejs#20.18.0 configure-aws-credentials',
      params: { roleArn: preview.Arn, roleSessionName: sessionName },
    },
  );
  const id = session(preview, sessionName, t);
  for (let i = 0; i < between(4, 9); i++) {
    emit((t += between(1, 3) * 1000), id, 's3.amazonaws.com', 'PutObject', {
      ip,
      ua: UA.deploySdk,
      resources: s3Object('northwind-previews', `${repository}/pr-${between(100, 999)}/index-${i}.html`),
    });
  }
  emit((t += 2000), id, 'cloudfront.amazonaws.com', 'CreateInvalidation2020_05_31', {
    ip,
    ua: UA.deploySdk,
    params: { distributionId: 'E2NWRDPREVIEW01' },
  });
}
seed = mainSeed;

// ---------------------------------------------------------------- write
function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

// Everything here is generated except the hand-written README and `saas-laptop/` (recorded by scripts/demo-saas.js),
// which survive a re-run.
fs.mkdirSync(OUT, { recursive: true });
for (const entry of fs.readdirSync(OUT)) {
  if (entry === 'README.md' || entry === 'saas-laptop') continue;
  fs.rmSync(path.join(OUT, entry), { recursive: true, force: true });
}
writeJson(path.join(OUT, 'demo.json'), {
  asOf: AS_OF,
  company: 'Northwind Robotics',
  description:
    'A fictional robotics company: one AWS account (IAM exports, credential report, four days of CloudTrail), its GitHub organization (recorded API responses) and its people directory.',
});
writeJson(path.join(OUT, 'aws', 'authorization-details.json'), authorizationDetails);
// The GitHub organization, as recorded responses; its usage window is the scan's default (90 days before as-of).
const githubResponses = writeGithubDemo(path.join(OUT, 'github'), {
  since: iso(Date.parse(AS_OF) - 90 * 24 * HOUR),
  until: AS_OF,
});
const csv = [CSV_COLUMNS.join(','), ...reportRows.map((row) => row.join(','))].join('\n');
fs.writeFileSync(path.join(OUT, 'aws', 'credential-report.csv'), `${csv}\n`);
fs.writeFileSync(
  path.join(OUT, 'people.csv'),
  [
    'email,name,status',
    'platform-team@northwind.example,Platform team (group mailbox),active',
    'maria.gonzalez@northwind.example,María González,active',
    'ana.silva@northwind.example,Ana Silva,active',
    'priya.natarajan@northwind.example,Priya Natarajan,active',
    'tom.becker@northwind.example,Tom Becker,departed',
    '',
  ].join('\n'),
);

// CloudTrail delivers a file per region every few minutes; we group by region and hour.
records.sort((a, b) => a.eventTime.localeCompare(b.eventTime) || a.eventID.localeCompare(b.eventID));
const files = new Map();
for (const record of records) {
  const hour = record.eventTime.slice(0, 13);
  const name = `${record.awsRegion}|${hour}`;
  if (!files.has(name)) files.set(name, []);
  files.get(name).push(record);
}
let firstFile = null;
for (const [name, list] of files) {
  const [region, hour] = name.split('|');
  const [date] = hour.split('T');
  const [year, month, day] = date.split('-');
  const stamp = `${date.replace(/-/g, '')}T${hour.slice(11, 13)}${pick(['05', '10', '15', '20', '25'])}Z`;
  const dir = path.join(OUT, 'cloudtrail', 'AWSLogs', ACCOUNT, 'CloudTrail', region, year, month, day);
  const file = path.join(dir, `${ACCOUNT}_CloudTrail_${region}_${stamp}_${upper(16)}.json.gz`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, zlib.gzipSync(JSON.stringify({ Records: list }), { level: 9 }));
  firstFile ??= file;
}
// S3 occasionally delivers the same log file twice under another name: counted once by eventID.
fs.copyFileSync(firstFile, firstFile.replace(/_([A-Z2-7]{16})\.json\.gz$/, '_R3D3L1V3R3DC0PY2.json.gz'));
// The digest files the trail writes beside its logs (not events; agentaudit skips them).
const digestDir = path.join(
  OUT,
  'cloudtrail',
  'AWSLogs',
  ACCOUNT,
  'CloudTrail-Digest',
  'us-east-1',
  '2026',
  '10',
  '30',
);
fs.mkdirSync(digestDir, { recursive: true });
fs.writeFileSync(
  path.join(
    digestDir,
    `${ACCOUNT}_CloudTrail-Digest_us-east-1_northwind-trail_us-east-1_20261030T110000Z.json.gz`,
  ),
  zlib.gzipSync(
    JSON.stringify({
      awsAccountId: ACCOUNT,
      digestStartTime: '2026-10-30T10:00:00Z',
      digestEndTime: '2026-10-30T11:00:00Z',
      logFiles: [],
    }),
  ),
);
console.log(
  `wrote ${records.length} events in ${files.size} files and ${githubResponses} GitHub responses to ${OUT}`,
);
