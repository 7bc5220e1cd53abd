// Turns merged authorization details and credential report rows into the normalized inventory: identities, credentials, grants, edges.
import { awsUserId } from '../../../model/ids.js';
import type { Credential, Grant, Identity, InputError, Inventory } from '../../../model/types.js';
import { emptyInventory } from '../../../model/types.js';
import { accountOfArn } from './arn.js';
import { uniqueByArn, type AuthorizationDetails, type SourcedRecord } from './authorizationDetails.js';
import {
  consolePasswordWithoutReport,
  credentialsOfRow,
  ROOT_ACCOUNT_USER,
  type CredentialReportRow,
} from './credentialReport.js';
import { roleIdentity, rootIdentity, userIdentity } from './identities.js';
import { ManagedPolicyResolver } from './managedPolicies.js';
import { attachedPolicies, GroupIndex, inlinePolicies, type PolicyReach } from './policyReach.js';
import { booleanField, stringField } from './rawValues.js';

/** Credential report rows with the file they came from. */
export interface CredentialReportSource {
  file: string;
  rows: CredentialReportRow[];
}

/** Counts of what was read, for the scan's coverage line. */
export interface AwsExportSummary {
  users: number;
  roles: number;
  groups: number;
  policies: number;
  credentialRows: number;
  /**
   * Managed policy ARNs attached somewhere but neither in the export nor shipped (see wellKnownPolicies.ts),
   * and `group:<name>` for groups users belong to that the export lacks: their grants are unknown.
   * Malformed policies are in the errors instead.
   */
  unresolvedPolicies: string[];
}

/** The normalized result of a set of AWS exports. */
export interface AwsInventoryBuild {
  inventory: Inventory;
  errors: InputError[];
  summary: AwsExportSummary;
}

/**
 * Normalizes merged exports. Pure: no I/O; `errors` collects malformed policies and documents by file.
 * Entities are de-duplicated by ARN (the first occurrence wins) and each managed policy is parsed once.
 */
export function buildAwsInventory(
  details: AuthorizationDetails,
  reports: CredentialReportSource[],
): AwsInventoryBuild {
  const errors: InputError[] = [];
  const inventory = emptyInventory();
  const managed = new ManagedPolicyResolver(details.policies, errors);
  const groups = new GroupIndex(details.groups, managed, errors);
  const reportRows = indexReportRows([...reports, ...details.embeddedReports]);
  const users = uniqueByArn(details.users, 'user', 'UserName', errors);
  const seenUsers = new Set<string>();

  for (const user of users) {
    const arn = stringField(user.record, 'Arn') as string;
    seenUsers.add(arn);
    const reaches = [
      ...inlinePolicies(user, 'UserPolicyList', 'inline:', errors),
      ...attachedPolicies(user.record, 'AttachedManagedPolicies', '', managed),
      ...groups.reachesOf(user.record, accountOfArn(arn)),
    ];
    const identity = userIdentity(user.record, arn, reportRows.get(arn)?.row ?? null, reaches);
    addIdentity(inventory, identity, reaches, managed);
  }
  for (const [arn, { row }] of reportRows) {
    if (row['user'] === ROOT_ACCOUNT_USER || seenUsers.has(arn)) continue;
    inventory.identities.push(userIdentity(null, arn, row, []));
  }
  for (const role of uniqueByArn(details.roles, 'role', 'RoleName', errors)) {
    const arn = stringField(role.record, 'Arn') as string;
    const reaches = [
      ...inlinePolicies(role, 'RolePolicyList', 'inline:', errors),
      ...attachedPolicies(role.record, 'AttachedManagedPolicies', '', managed),
    ];
    const { identity, edges } = roleIdentity(role, arn, reaches, errors);
    addIdentity(inventory, identity, reaches, managed);
    inventory.edges.push(...edges);
  }
  for (const [arn, { row }] of reportRows) {
    if (row['user'] === ROOT_ACCOUNT_USER) inventory.identities.push(rootIdentity(arn, row));
  }
  inventory.credentials.push(...credentialsOf(inventory.identities, reportRows, users));

  const countKind = (kind: string): number => inventory.identities.filter((i) => i.kind === kind).length;
  return {
    inventory,
    errors,
    summary: {
      users: countKind('iam-user'),
      roles: countKind('iam-role'),
      groups: groups.size,
      policies: managed.exportedCount,
      credentialRows: reportRows.size,
      unresolvedPolicies: [...managed.missing, ...groups.missing].sort(),
    },
  };
}

/**
 * Adds an identity, the grants of every policy that reaches it (duplicates folded), and the policy documents
 * themselves, its permission boundary's included (a cap: it grants nothing, so it adds no grant rows).
 */
function addIdentity(
  inventory: Inventory,
  identity: Identity,
  reaches: PolicyReach[],
  managed: ManagedPolicyResolver,
): void {
  inventory.identities.push(identity);
  const policies = (inventory.policies ??= []);
  for (const reach of reaches) {
    if (reach.document) {
      policies.push({
        identityId: identity.id,
        sourcePolicy: reach.sourcePolicy,
        kind: 'identity',
        document: reach.document,
      });
    }
  }
  const boundary = identity.attributes['permissions_boundary'];
  if (typeof boundary === 'string') {
    const resolution = managed.resolve(boundary);
    if (resolution.resolved) {
      policies.push({
        identityId: identity.id,
        sourcePolicy: boundary,
        kind: 'boundary',
        document: resolution.document,
      });
    }
  }
  const seen = new Set<string>();
  for (const reach of reaches) {
    for (const permission of reach.permissions ?? []) {
      const grant: Grant = { identityId: identity.id, sourcePolicy: reach.sourcePolicy, ...permission };
      const key = JSON.stringify([
        grant.permission,
        grant.resource,
        grant.effect,
        grant.notAction,
        grant.sourcePolicy,
        grant.conditional,
      ]);
      if (seen.has(key)) continue;
      seen.add(key);
      inventory.grants.push(grant);
    }
  }
}

/** Report rows by ARN, first occurrence wins. */
function indexReportRows(
  reports: CredentialReportSource[],
): Map<string, { file: string; row: CredentialReportRow }> {
  const rows = new Map<string, { file: string; row: CredentialReportRow }>();
  for (const report of reports) {
    for (const row of report.rows) {
      const arn = row['arn'];
      if (arn && !rows.has(arn)) rows.set(arn, { file: report.file, row });
    }
  }
  return rows;
}

/**
 * Credentials of every identity with a report row, plus a date-less console password for users whose
 * authorization details say a login profile exists (AirIAM) when no report row says more.
 */
function credentialsOf(
  identities: Identity[],
  reportRows: Map<string, { row: CredentialReportRow }>,
  users: SourcedRecord[],
): Credential[] {
  const credentials: Credential[] = [];
  const idOfArn = new Map(identities.map((identity) => [identity.arn, identity.id]));
  for (const [arn, { row }] of reportRows) {
    const identityId = idOfArn.get(arn);
    if (identityId) credentials.push(...credentialsOfRow(row, identityId, arn));
  }
  for (const user of users) {
    const arn = stringField(user.record, 'Arn') as string;
    if (booleanField(user.record, 'LoginProfileExists') !== true || reportRows.has(arn)) continue;
    credentials.push(consolePasswordWithoutReport(awsUserId(arn), arn));
  }
  return credentials;
}
