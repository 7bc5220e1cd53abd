// What ingestion makes of real events: IAM actions, who acted (roles for sessions), access keys, clients.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Usage } from '../../../src/model/types.js';
import { ingestCloudTrail, type CloudTrailIngestResult } from '../../../src/usage/cloudtrail/ingest.js';
import { FIXTURES, OTRF_FILE } from './corpus.js';

let result: CloudTrailIngestResult;
beforeAll(async () => {
  // Given every real event of the fixtures (Stratus Red Team, TrailDiscover, OTRF)
  result = await ingestCloudTrail(
    [join(FIXTURES, 'stratus-detonation-logs'), join(FIXTURES, 'traildiscover'), OTRF_FILE],
    { concurrency: 1 },
  );
});

const rowsFor = (eventName: string): Usage[] => result.usage.filter((row) => row.eventName === eventName);
const permissionOf = (eventName: string): string | null | undefined => rowsFor(eventName)[0]?.permission;

describe('mapping events to IAM actions', () => {
  it('maps all but one of the 196 events, and counts the one it cannot map', () => {
    expect(result.coverage).toMatchObject({
      events: 196,
      duplicates: 2,
      mapped: 195,
      unmapped: 1,
      errors: [],
    });
    expect(rowsFor('GetListingView')).toEqual([
      expect.objectContaining({
        eventSource: 'discovery-marketplace.amazonaws.com',
        permission: null,
        count: 1,
      }),
    ]);
  });

  it('applies the known exceptions', () => {
    expect(permissionOf('ListObjects')).toBe('s3:ListBucket');
    expect(permissionOf('ListBuckets')).toBe('s3:ListAllMyBuckets');
    expect(permissionOf('GetBucketReplication')).toBe('s3:GetReplicationConfiguration');
    expect(permissionOf('AddPermission20150331v2')).toBe('lambda:AddPermission');
    expect(permissionOf('UpdateFunctionCode20150331v2')).toBe('lambda:UpdateFunctionCode');
    expect(permissionOf('CreateFunction2020_05_31')).toBe('cloudfront:CreateFunction');
    expect(permissionOf('DescribeAlarms')).toBe('cloudwatch:DescribeAlarms');
    expect(permissionOf('CreateRoute')).toBe('apigateway:POST');
    expect(permissionOf('AcceptAgreementRequest')).toBe('aws-marketplace:AcceptAgreementRequest');
    expect(permissionOf('SendEmail')).toBe('ses:SendEmail');
  });

  it('maps calls that need no permission to their own name', () => {
    expect(permissionOf('GetCallerIdentity')).toBe('sts:GetCallerIdentity');
    expect(permissionOf('ConsoleLogin')).toBe('signin:ConsoleLogin');
    expect(permissionOf('GetSigninToken')).toBe('signin:GetSigninToken');
  });

  it('keeps failed calls as usage (they show intent)', () => {
    // TrailDiscover's ListAccessKeys was denied
    expect(rowsFor('ListAccessKeys')).toEqual([
      expect.objectContaining({ permission: 'iam:ListAccessKeys', count: 1 }),
    ]);
  });
});

describe('who acted', () => {
  it('attributes assumed-role sessions to the role, with the session names as evidence', () => {
    // Stratus' instance-credential theft: the EC2 role's session (named after the instance) used from outside
    const role = 'aws:iam-role:arn:aws:iam::017622104382:role/stratus-red-team-ec2-steal-credentials-role';
    const principal = result.principals.find((p) => p.identityId === role);
    expect(principal).toMatchObject({ principalType: 'AssumedRole', sessionNames: ['i-786a3A8B5C0d92eF4'] });
    const usage = result.usage.filter((row) => row.identityId === role);
    expect(usage.length).toBeGreaterThan(0);
    expect(
      usage.every((row) => row.credentialId === null && row.sessionNames.includes('i-786a3A8B5C0d92eF4')),
    ).toBe(true);
  });

  it('keeps the role path from the session issuer (Identity Center roles)', () => {
    expect(result.principals.map((p) => p.identityId)).toContain(
      'aws:iam-role:arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/us-east-2/AWSReservedSSO_AdministratorAccess_1b74cd717d47002b',
    );
  });

  it('gives IAM users their long-term key as credential and lists session keys as temporary', () => {
    // OTRF: pedro works in the console with a session key; Stratus: christophe uses an access key
    const pedro = result.usage.filter(
      (row) => row.identityId === 'aws:iam-user:arn:aws:iam::123456789123:user/pedro',
    );
    expect(pedro.length).toBeGreaterThan(0);
    expect(pedro.every((row) => row.credentialId === null)).toBe(true);
    expect(result.accessKeys).toContainEqual(
      expect.objectContaining({
        keyId: 'ASIA5FLZVX4OI4ZDQJOL',
        identityId: 'aws:iam-user:arn:aws:iam::123456789123:user/pedro',
        temporary: true,
      }),
    );
    const keyed = result.usage.filter((row) => row.credentialId?.startsWith('aws:access-key:AKIA'));
    expect(keyed.length).toBeGreaterThan(0);
    expect(keyed.every((row) => row.identityId.startsWith('aws:iam-user:'))).toBe(true);
  });

  it('ignores redacted key ids (AKIA****) instead of treating them as one shared key', () => {
    expect(result.accessKeys.some((key) => key.keyId.includes('*'))).toBe(false);
    expect(result.usage.some((row) => row.credentialId?.includes('*'))).toBe(false);
  });

  it('names other principals by type', () => {
    const ids = result.principals.map((p) => p.identityId);
    expect(ids).toContain('aws:principal:AWSService:ec2.amazonaws.com');
    expect(ids).toContain(
      'aws:principal:FederatedUser:arn:aws:sts::742491224508:federated-user/stratus_red_team',
    );
    expect(ids).toContain('aws:principal:Unknown:unknown'); // TrailDiscover's SendEmail has no userIdentity
  });
});

describe('how it was driven', () => {
  it('classifies the clients that appear in the logs', () => {
    const families = new Set(result.clientActivity.map((activity) => activity.clientFamily));
    expect([...families].sort()).toEqual([
      'aws-cli',
      'aws-service',
      'console',
      'iac:terraform',
      'sdk-go',
      'unknown',
    ]);
    const terraform = result.clientActivity.find((activity) => activity.clientFamily === 'iac:terraform');
    expect(terraform).toMatchObject({ automated: true, agent: false });
  });

  it('groups activity by source network and finds the busiest minute', () => {
    const pedro = result.clientActivity.filter(
      (activity) => activity.identityId === 'aws:iam-user:arn:aws:iam::123456789123:user/pedro',
    );
    expect(pedro).toEqual([
      expect.objectContaining({ clientFamily: 'console', automated: false, sourceNetwork: '1.2.3.0/24' }),
    ]);
    expect(pedro[0]!.peakPerMinute).toBeGreaterThan(1);
    expect(pedro[0]!.peakPerMinute).toBeLessThanOrEqual(pedro[0]!.count);
  });

  it('keeps bounded, sorted evidence per usage row', () => {
    for (const row of result.usage) {
      for (const list of [row.userAgents, row.sourceAddresses, row.sessionNames]) {
        expect(list.length).toBeLessThanOrEqual(20);
        expect([...list].sort()).toEqual(list);
      }
    }
    const listObjects = rowsFor('ListObjects')[0]!;
    expect(listObjects.userAgents).toEqual([
      '[aws-cli/1.18.136 Python/3.8.5 Darwin/19.5.0 botocore/1.17.59]',
    ]);
    expect(listObjects.resource).toBe('arn:aws:s3:::mordors3stack-s3bucket-llp2yingx64a');
  });
});
