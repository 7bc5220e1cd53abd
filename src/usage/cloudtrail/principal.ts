// Attributes a CloudTrail event to the identity and credential behind it, from its `userIdentity` block.
import {
  awsAccessKeyId,
  awsIdentityIdForPrincipalArn,
  awsRoleId,
  awsRootId,
  awsUserId,
} from '../../model/ids.js';

/** Who made a call, as agentaudit names it. */
export interface PrincipalAttribution {
  /** `aws:iam-user:…`, `aws:iam-role:…` (assumed-role sessions belong to their role), `aws:root:…`, `aws:principal:<type>:…`. */
  identityId: string;
  /** The long-term access key (AKIA…) the call was signed with; null for session credentials and console sessions. */
  credentialId: string | null;
  /** The identity's ARN: the user, the role (not the session), the root; null when the log has none. */
  principalArn: string | null;
  /** `userIdentity.type` as logged (`IAMUser`, `AssumedRole`, `Root`, `AWSService`…), `Unknown` when missing. */
  principalType: string;
  accountId: string | null;
  /** Role session name (the last segment of the assumed-role ARN): evidence of who or what drove the role. */
  sessionName: string | null;
  /** The access key id as logged when it is a well-formed AKIA/ASIA id (redacted ids such as `AKIA****` are ignored). */
  accessKeyId: string | null;
  /** True when `accessKeyId` is a session key (ASIA…). */
  temporaryKey: boolean;
}

const ACCESS_KEY_ID = /^A(?:KIA|SIA)[A-Z0-9]{12,124}$/;
const ACCOUNT_IN_ARN = /^arn:[a-z-]+:(?:iam|sts)::(\d{12}):/;

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;
const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

/**
 * Attributes a call from its `userIdentity` (anything: missing or malformed blocks give an `Unknown` principal).
 * - `IAMUser` → the user; an AKIA key is its credential, an ASIA key (GetSessionToken, console) is not.
 * - `AssumedRole` → the role from `sessionContext.sessionIssuer.arn` (full ARN with path), else the role derived from
 *   the session ARN; the session name is kept as evidence; no credential (session keys are short-lived).
 * - `Root` → the account's root user; a root AKIA key is a credential.
 * - anything else (`AWSService`, `AWSAccount`, `FederatedUser`, `IdentityCenterUser`, `SAMLUser`, `WebIdentityUser`,
 *   `Unknown`, missing) → `aws:principal:<type>:<arn, invokedBy, accountId or 'unknown'>`.
 */
export function attributePrincipal(userIdentity: unknown): PrincipalAttribution {
  const identity = record(userIdentity) ?? {};
  const type = text(identity.type) ?? 'Unknown';
  const arn = text(identity.arn);
  const keyId = text(identity.accessKeyId);
  const accessKeyId = keyId && ACCESS_KEY_ID.test(keyId) ? keyId : null;
  const temporaryKey = accessKeyId !== null && accessKeyId.startsWith('ASIA');
  const longTermKey = accessKeyId !== null && !temporaryKey ? awsAccessKeyId(accessKeyId) : null;
  const accountId = text(identity.accountId) ?? (arn ? (ACCOUNT_IN_ARN.exec(arn)?.[1] ?? null) : null);
  const attribution = (
    identityId: string,
    credentialId: string | null,
    principalArn: string | null,
    sessionName: string | null,
  ): PrincipalAttribution => ({
    identityId,
    credentialId,
    principalArn,
    principalType: type,
    accountId,
    sessionName,
    accessKeyId,
    temporaryKey,
  });

  if (type === 'IAMUser' && arn) return attribution(awsUserId(arn), longTermKey, arn, null);
  if (type === 'Root' && accountId) {
    return attribution(awsRootId(accountId), longTermKey, arn ?? `arn:aws:iam::${accountId}:root`, null);
  }
  if (type === 'AssumedRole') {
    const role = assumedRole(identity, arn);
    if (role) return attribution(role.identityId, null, role.principalArn, arn ? sessionNameOf(arn) : null);
  }
  const subject = arn ?? text(identity.invokedBy) ?? accountId ?? 'unknown';
  return attribution(`aws:principal:${type}:${subject}`, null, arn, null);
}

/** The role an assumed-role session belongs to, with its ARN. */
function assumedRole(
  identity: Record<string, unknown>,
  sessionArn: string | null,
): { identityId: string; principalArn: string } | null {
  const issuer = record(record(identity.sessionContext)?.sessionIssuer);
  const issuerArn = text(issuer?.arn);
  if (issuerArn && issuerArn.includes(':role/'))
    return { identityId: awsRoleId(issuerArn), principalArn: issuerArn };
  const derived = sessionArn ? awsIdentityIdForPrincipalArn(sessionArn) : null;
  if (derived && derived.startsWith('aws:iam-role:')) {
    return { identityId: derived, principalArn: derived.slice('aws:iam-role:'.length) };
  }
  return null;
}

/** `arn:aws:sts::111:assumed-role/Name/session` → `session`. */
function sessionNameOf(sessionArn: string): string | null {
  const marker = sessionArn.indexOf(':assumed-role/');
  if (marker < 0) return null;
  const parts = sessionArn.slice(marker + ':assumed-role/'.length).split('/');
  return parts.length >= 2 ? parts.slice(1).join('/') || null : null;
}
