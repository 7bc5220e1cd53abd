// Builds the model identities of IAM users, roles and the account root from export records and report rows.
import { awsRoleId, awsRootId, awsUserId } from '../../../model/ids.js';
import type { Edge, Identity, InputError, JsonObject } from '../../../model/types.js';
import { accountOfArn, nameOfArn, pathOfArn } from './arn.js';
import type { SourcedRecord } from './authorizationDetails.js';
import { userFactsOfRow, type CredentialReportRow } from './credentialReport.js';
import { toIsoUtc } from './isoDate.js';
import { ownerFromTags, purposeFromTags, tagsToRecord } from './ownershipTags.js';
import { asJsonObject, decodePolicyDocument } from './policyDocument.js';
import { unresolvedOf, type PolicyReach } from './policyReach.js';
import {
  booleanField,
  isRecord,
  numberField,
  recordList,
  stringField,
  stringList,
  type RawRecord,
} from './rawValues.js';
import { analyseTrustPolicy } from './trustPolicy.js';

/** The ARN of an entity's permissions boundary, or null. */
function permissionsBoundaryOf(record: RawRecord): string | null {
  const boundary = record['PermissionsBoundary'];
  return isRecord(boundary) ? stringField(boundary, 'PermissionsBoundaryArn') : null;
}

/** AirIAM's per-service last-accessed dates (`LastAccessed`), as `{namespace: date}`, or null when absent. */
function servicesLastAccessed(record: RawRecord): JsonObject | null {
  const entries = recordList(record, 'LastAccessed');
  if (entries.length === 0) return null;
  const services: JsonObject = {};
  for (const entry of entries) {
    const namespace = stringField(entry, 'ServiceNamespace');
    if (namespace) services[namespace] = toIsoUtc(entry['LastAccessed']);
  }
  return services;
}

/**
 * An IAM user from its authorization-details record and/or its credential report row. A user found only
 * in the report has `sources: ["credential-report"]`: its policies were not exported, so its grants are unknown.
 */
export function userIdentity(
  record: RawRecord | null,
  arn: string,
  row: CredentialReportRow | null,
  reaches: PolicyReach[],
): Identity {
  const facts = row ? userFactsOfRow(row) : null;
  const tags = tagsToRecord(record?.['Tags']);
  const loginProfile = record ? booleanField(record, 'LoginProfileExists') : null;
  const passwordEnabled = facts?.passwordEnabled ?? loginProfile;
  const attributes: JsonObject = {
    path: (record && stringField(record, 'Path')) || pathOfArn(arn),
    user_id: record ? stringField(record, 'UserId') : null,
    groups: record ? stringList(record['GroupList']) : [],
    password_enabled: passwordEnabled,
    password_last_used: facts?.passwordLastUsed ?? null,
    mfa_active: facts?.mfaActive ?? null,
    permissions_boundary: record ? permissionsBoundaryOf(record) : null,
    unresolved_policies: unresolvedOf(reaches),
    sources: [...(record ? ['authorization-details'] : []), ...(row ? ['credential-report'] : [])],
  };
  const lastAccessed = record ? servicesLastAccessed(record) : null;
  if (lastAccessed) attributes['services_last_accessed'] = lastAccessed;
  return {
    id: awsUserId(arn),
    provider: 'aws',
    kind: 'iam-user',
    name: (record && stringField(record, 'UserName')) || (row?.['user'] ?? nameOfArn(arn)),
    account: accountOfArn(arn),
    arn,
    isHuman: passwordEnabled === true,
    ...ownerFromTags(tags),
    purpose: purposeFromTags(tags),
    createdAt: toIsoUtc(record?.['CreateDate']) ?? facts?.createdAt ?? null,
    lastUsedAt: facts?.lastUsedAt ?? null,
    expiresAt: null,
    isAgent: false,
    agentEvidence: [],
    tags,
    attributes,
  };
}

/** An IAM role and the edges of its trust policy. */
export function roleIdentity(
  role: SourcedRecord,
  arn: string,
  reaches: PolicyReach[],
  errors: InputError[],
): { identity: Identity; edges: Edge[] } {
  const { record } = role;
  const id = awsRoleId(arn);
  const path = stringField(record, 'Path') || pathOfArn(arn);
  const trust = decodePolicyDocument(record['AssumeRolePolicyDocument']);
  if (!trust.ok) errors.push({ file: role.file, message: `trust policy of ${arn}: ${trust.message}` });
  const analysis = trust.ok ? analyseTrustPolicy(trust.document, id, arn) : null;
  const tags = tagsToRecord(record['Tags']);
  const lastUsed = isRecord(record['RoleLastUsed']) ? record['RoleLastUsed'] : {};
  const attributes: JsonObject = {
    path,
    role_id: stringField(record, 'RoleId'),
    service_linked: path.startsWith('/aws-service-role/'),
    trust_policy: trust.ok ? asJsonObject(trust.document) : null,
    trusted_principals: analysis
      ? {
          aws: analysis.trustedPrincipals.aws,
          service: analysis.trustedPrincipals.service,
          federated: analysis.trustedPrincipals.federated,
        }
      : { aws: [], service: [], federated: [] },
    trust_conditions: analysis?.trustConditions ?? false,
    // RoleDetail carries no MaxSessionDuration or Description; some tools (AirIAM) merge them in from GetRole.
    max_session_duration: numberField(record, 'MaxSessionDuration'),
    instance_profiles: recordList(record, 'InstanceProfileList').flatMap(
      (profile) => stringField(profile, 'Arn') ?? [],
    ),
    permissions_boundary: permissionsBoundaryOf(record),
    last_used_region: stringField(lastUsed, 'Region'),
    unresolved_policies: unresolvedOf(reaches),
  };
  const lastAccessed = servicesLastAccessed(record);
  if (lastAccessed) attributes['services_last_accessed'] = lastAccessed;
  const identity: Identity = {
    id,
    provider: 'aws',
    kind: 'iam-role',
    name: stringField(record, 'RoleName') ?? nameOfArn(arn),
    account: accountOfArn(arn),
    arn,
    isHuman: false,
    ...ownerFromTags(tags),
    purpose: stringField(record, 'Description')?.trim() || purposeFromTags(tags),
    createdAt: toIsoUtc(record['CreateDate']),
    lastUsedAt: toIsoUtc(lastUsed['LastUsedDate']),
    expiresAt: null,
    isAgent: false,
    agentEvidence: [],
    tags,
    attributes,
  };
  return { identity, edges: analysis?.edges ?? [] };
}

/** The account root, known from the credential report's `<root_account>` row: a person signs in with it. */
export function rootIdentity(arn: string, row: CredentialReportRow): Identity {
  const account = accountOfArn(arn) ?? 'unknown';
  const facts = userFactsOfRow(row);
  return {
    id: awsRootId(account),
    provider: 'aws',
    kind: 'aws-root',
    name: 'root',
    account,
    arn,
    isHuman: true,
    owner: null,
    ownerSource: null,
    purpose: null,
    createdAt: facts.createdAt,
    lastUsedAt: facts.lastUsedAt,
    expiresAt: null,
    isAgent: false,
    agentEvidence: [],
    tags: {},
    attributes: {
      mfa_active: facts.mfaActive,
      password_last_used: facts.passwordLastUsed,
      sources: ['credential-report'],
    },
  };
}
