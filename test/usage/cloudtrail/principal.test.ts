// Attribution of CloudTrail userIdentity blocks to agentaudit identities and credentials.
import { describe, expect, it } from 'vitest';
import { attributePrincipal } from '../../../src/usage/cloudtrail/principal.js';
import { fixtureEvents } from './corpus.js';

const identityOf = (corpus: string, file: string, type: string): unknown =>
  fixtureEvents(corpus, file).find(
    (event) => (event.userIdentity as { type?: string } | undefined)?.type === type,
  )?.userIdentity;

describe('attributePrincipal', () => {
  it('gives an IAM user its long-term access key as credential', () => {
    const user = identityOf('stratus-detonation-logs', 'aws.persistence.iam-backdoor-role.json', 'IAMUser');
    expect(attributePrincipal(user)).toEqual({
      identityId: 'aws:iam-user:arn:aws:iam::751203476945:user/christophe',
      credentialId: 'aws:access-key:AKIAMUV7B57OZM0RV05D',
      principalArn: 'arn:aws:iam::751203476945:user/christophe',
      principalType: 'IAMUser',
      accountId: '751203476945',
      sessionName: null,
      accessKeyId: 'AKIAMUV7B57OZM0RV05D',
      temporaryKey: false,
    });
  });

  it('gives an assumed-role session to its role, keeping the session name and the session key as temporary', () => {
    const session = identityOf(
      'stratus-detonation-logs',
      'aws.credential-access.ec2-steal-instance-credentials.json',
      'AssumedRole',
    );
    expect(attributePrincipal(session)).toMatchObject({
      identityId: 'aws:iam-role:arn:aws:iam::017622104382:role/stratus-red-team-ec2-steal-credentials-role',
      credentialId: null,
      sessionName: 'i-786a3A8B5C0d92eF4',
      temporaryKey: true,
    });
  });

  it('derives the role from the session ARN when the session issuer is missing', () => {
    expect(
      attributePrincipal({
        type: 'AssumedRole',
        arn: 'arn:aws:sts::123456789012:assumed-role/deployer/github-actions',
      }),
    ).toMatchObject({
      identityId: 'aws:iam-role:arn:aws:iam::123456789012:role/deployer',
      principalArn: 'arn:aws:iam::123456789012:role/deployer',
      sessionName: 'github-actions',
    });
  });

  it("gives the root user's key to the account's root", () => {
    expect(
      attributePrincipal({
        type: 'Root',
        principalId: '123456789012',
        arn: 'arn:aws:iam::123456789012:root',
        accountId: '123456789012',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      }),
    ).toMatchObject({
      identityId: 'aws:root:arn:aws:iam::123456789012:root',
      credentialId: 'aws:access-key:AKIAIOSFODNN7EXAMPLE',
    });
  });

  it('names other principals by type and whatever identifies them', () => {
    expect(attributePrincipal({ type: 'AWSService', invokedBy: 'ec2.amazonaws.com' }).identityId).toBe(
      'aws:principal:AWSService:ec2.amazonaws.com',
    );
    expect(
      attributePrincipal({ type: 'AWSAccount', principalId: 'AIDA…', accountId: '210987654321' }).identityId,
    ).toBe('aws:principal:AWSAccount:210987654321');
    expect(attributePrincipal(undefined).identityId).toBe('aws:principal:Unknown:unknown');
    expect(attributePrincipal('not an object').identityId).toBe('aws:principal:Unknown:unknown');
  });
});
