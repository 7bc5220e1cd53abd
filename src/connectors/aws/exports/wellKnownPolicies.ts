// Documents of the AWS-managed policies that matter most for privilege, for exports that leave AWS-managed policies out.
//
// Attribution:
// - AdministratorAccess (v1) and PowerUserAccess (v12): the AWS Managed Policy Reference Guide,
//   https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ (policy documents as published by AWS).
// - IAMFullAccess, IAMReadOnlyAccess, IAMUserChangePassword, AWSOrganizationsFullAccess, AmazonS3FullAccess,
//   SecretsManagerReadWrite: copied from iam-dataset by Ian Mckay, under this notice:
//
//   MIT License
//
//   Copyright (c) 2021 Ian Mckay
//
//   Permission is hereby granted, free of charge, to any person obtaining a copy
//   of this software and associated documentation files (the "Software"), to deal
//   in the Software without restriction, including without limitation the rights
//   to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
//   copies of the Software, and to permit persons to whom the Software is
//   furnished to do so, subject to the following conditions:
//
//   The above copyright notice and this permission notice shall be included in all
//   copies or substantial portions of the Software.
//
//   THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
//   IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
//   FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
//   AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
//   LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
//   OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
//   SOFTWARE.
//
// Managed policies change: each entry names the version it was copied from. A policy present in the
// export always wins over this table.
import type { JsonObject } from '../../../model/types.js';
import { inDefaultPartition } from './arn.js';

/** An AWS-managed policy document agentaudit ships, with the version it was copied from. */
export interface WellKnownPolicy {
  arn: string;
  versionId: string;
  document: JsonObject;
}

/** AWS-managed policies that grant administrative or privilege-escalating access, by ARN. */
export const WELL_KNOWN_POLICIES: readonly WellKnownPolicy[] = [
  {
    arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    versionId: 'v1',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
  {
    arn: 'arn:aws:iam::aws:policy/PowerUserAccess',
    versionId: 'v12',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
        {
          Effect: 'Allow',
          Action: [
            'account:GetAccountInformation',
            'account:GetGovCloudAccountInformation',
            'account:GetPrimaryEmail',
            'account:ListRegions',
            'iam:CreateServiceLinkedRole',
            'iam:DeleteServiceLinkedRole',
            'iam:ListRoles',
            'organizations:DescribeEffectivePolicy',
            'organizations:DescribeOrganization',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    arn: 'arn:aws:iam::aws:policy/IAMFullAccess',
    versionId: 'v2',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'iam:*',
            'organizations:DescribeAccount',
            'organizations:DescribeOrganization',
            'organizations:DescribeOrganizationalUnit',
            'organizations:DescribePolicy',
            'organizations:ListChildren',
            'organizations:ListParents',
            'organizations:ListPoliciesForTarget',
            'organizations:ListRoots',
            'organizations:ListPolicies',
            'organizations:ListTargetsForPolicy',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    arn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess',
    versionId: 'v4',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'iam:GenerateCredentialReport',
            'iam:GenerateServiceLastAccessedDetails',
            'iam:Get*',
            'iam:List*',
            'iam:SimulateCustomPolicy',
            'iam:SimulatePrincipalPolicy',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    arn: 'arn:aws:iam::aws:policy/IAMUserChangePassword',
    versionId: 'v5',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['iam:ChangePassword'],
          Resource: ['arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:user/*/${aws:username}'],
        },
        { Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy'], Resource: '*' },
      ],
    },
  },
  {
    arn: 'arn:aws:iam::aws:policy/AWSOrganizationsFullAccess',
    versionId: 'v9',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'AWSOrganizationsFullAccess', Effect: 'Allow', Action: ['organizations:*'], Resource: '*' },
        {
          Sid: 'AWSOrganizationsFullAccessAccount',
          Effect: 'Allow',
          Action: [
            'account:PutAlternateContact',
            'account:DeleteAlternateContact',
            'account:GetAlternateContact',
            'account:GetContactInformation',
            'account:PutContactInformation',
            'account:ListRegions',
            'account:EnableRegion',
            'account:DisableRegion',
            'account:PutAccountName',
            'account:GetAccountInformation',
          ],
          Resource: '*',
        },
        {
          Sid: 'AWSOrganizationsFullAccessCreateSLR',
          Effect: 'Allow',
          Action: ['iam:CreateServiceLinkedRole'],
          Resource: '*',
          Condition: { StringEquals: { 'iam:AWSServiceName': 'organizations.amazonaws.com' } },
        },
      ],
    },
  },
  {
    arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess',
    versionId: 'v2',
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }],
    },
  },
  {
    arn: 'arn:aws:iam::aws:policy/SecretsManagerReadWrite',
    versionId: 'v5',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'BasePermissions',
          Effect: 'Allow',
          Action: [
            'secretsmanager:*',
            'cloudformation:CreateChangeSet',
            'cloudformation:DescribeChangeSet',
            'cloudformation:DescribeStackResource',
            'cloudformation:DescribeStacks',
            'cloudformation:ExecuteChangeSet',
            'docdb-elastic:GetCluster',
            'docdb-elastic:ListClusters',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeSubnets',
            'ec2:DescribeVpcs',
            'kms:DescribeKey',
            'kms:ListAliases',
            'kms:ListKeys',
            'lambda:ListFunctions',
            'rds:DescribeDBClusters',
            'rds:DescribeDBInstances',
            'redshift:DescribeClusters',
            'redshift-serverless:ListWorkgroups',
            'redshift-serverless:GetNamespace',
            'tag:GetResources',
          ],
          Resource: '*',
        },
        {
          Sid: 'LambdaPermissions',
          Effect: 'Allow',
          Action: [
            'lambda:AddPermission',
            'lambda:CreateFunction',
            'lambda:GetFunction',
            'lambda:InvokeFunction',
            'lambda:UpdateFunctionConfiguration',
          ],
          Resource: 'arn:aws:lambda:*:*:function:SecretsManager*',
        },
        {
          Sid: 'SARPermissions',
          Effect: 'Allow',
          Action: ['serverlessrepo:CreateCloudFormationChangeSet', 'serverlessrepo:GetApplication'],
          Resource: 'arn:aws:serverlessrepo:*:*:applications/SecretsManager*',
        },
        {
          Sid: 'S3Permissions',
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: [
            'arn:aws:s3:::awsserverlessrepo-changesets*',
            'arn:aws:s3:::secrets-manager-rotation-apps-*/*',
          ],
        },
      ],
    },
  },
];

const byArn = new Map(WELL_KNOWN_POLICIES.map((policy) => [policy.arn, policy]));

/** The shipped document of an AWS-managed policy, in any partition, or null when agentaudit does not ship it. */
export function wellKnownPolicy(arn: string): WellKnownPolicy | null {
  return byArn.get(inDefaultPartition(arn)) ?? null;
}
