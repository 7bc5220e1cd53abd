// Stable identifiers (`provider:kind:native-id`) and finding fingerprints, shared by every connector and rule.
import { createHash } from 'node:crypto';

/** Identity id of an IAM user, from its ARN. */
export const awsUserId = (arn: string): string => `aws:iam-user:${arn}`;
/** Identity id of an IAM role, from its ARN. */
export const awsRoleId = (arn: string): string => `aws:iam-role:${arn}`;
/** Identity id of an account's root user. */
export const awsRootId = (accountId: string): string => `aws:root:arn:aws:iam::${accountId}:root`;
/** Credential id of an access key whose key id is known (AKIA…/ASIA…). */
export const awsAccessKeyId = (keyId: string): string => `aws:access-key:${keyId}`;
/** Credential id of an access key known only by its slot (1 or 2) in the credential report. */
export const awsAccessKeySlotId = (userArn: string, slot: 1 | 2): string =>
  `aws:access-key:${userArn}#${slot}`;
/** Credential id of an IAM user's console password. */
export const awsPasswordId = (userArn: string): string => `aws:console-password:${userArn}`;
/** Person id from an email or login (lower-cased). */
export const personId = (emailOrLogin: string): string => `person:${emailOrLogin.trim().toLowerCase()}`;

/**
 * The identity an ARN from an audit log belongs to: an assumed-role session belongs to its role,
 * `arn:aws:sts::111:assumed-role/Name/session` → the role `arn:aws:iam::111:role/Name` (path unknown from the session ARN).
 * Returns null for ARNs that are not IAM principals.
 */
export function awsIdentityIdForPrincipalArn(arn: string): string | null {
  const match = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(.+)$/.exec(arn);
  if (!match) return null;
  const [, partition, service, account, resource] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (resource === 'root') return awsRootId(account);
  if (service === 'iam' && resource.startsWith('user/')) return awsUserId(arn);
  if (service === 'iam' && resource.startsWith('role/')) return awsRoleId(arn);
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    const roleName = resource.split('/')[1];
    return roleName ? awsRoleId(`arn:${partition}:iam::${account}:role/${roleName}`) : null;
  }
  return null;
}

/** A finding's fingerprint: stable across scans for the same rule and resource, so baselines and suppressions survive re-scans. */
export function findingFingerprint(ruleId: string, resource: string): string {
  return createHash('sha256').update(`${ruleId}\u0000${resource}`).digest('hex').slice(0, 20);
}

/** sha256 of a secret, hex: the only form in which agentaudit keeps a secret. */
export function secretFingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex')}`;
}
