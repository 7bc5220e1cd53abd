// Which policies reach an identity (inline, attached, through groups) and what each grants, or that it is unknown.
import type { InputError, JsonObject } from '../../../model/types.js';
import { accountOfArn, nameOfArn } from './arn.js';
import { uniqueByArn, type SourcedRecord } from './authorizationDetails.js';
import type { ManagedPolicyResolver } from './managedPolicies.js';
import {
  asJsonObject,
  decodePolicyDocument,
  permissionsOfPolicy,
  type PolicyPermission,
} from './policyDocument.js';
import { recordList, stringField, stringList, type RawRecord } from './rawValues.js';

/** One policy reaching an identity, named as a grant's sourcePolicy, with what it grants (or null: unknown). */
export interface PolicyReach {
  sourcePolicy: string;
  permissions: PolicyPermission[] | null;
  /** The decoded document when it could be read (shared by every identity a managed policy reaches). */
  document: JsonObject | null;
}

/** Inline policies of an entity: `<prefix><PolicyName>`, each parsed (malformed ones reported and left unknown). */
export function inlinePolicies(
  entity: SourcedRecord,
  listKey: string,
  prefix: string,
  errors: InputError[],
): PolicyReach[] {
  const owner = stringField(entity.record, 'Arn') ?? '(no ARN)';
  return recordList(entity.record, listKey).map((policy) => {
    const name = stringField(policy, 'PolicyName') ?? '(unnamed)';
    const sourcePolicy = `${prefix}${name}`;
    const decoded = decodePolicyDocument(policy['PolicyDocument']);
    const parsed = decoded.ok ? permissionsOfPolicy(decoded.document) : decoded;
    if (!parsed.ok) {
      errors.push({ file: entity.file, message: `inline policy "${name}" of ${owner}: ${parsed.message}` });
      return { sourcePolicy, permissions: null, document: null };
    }
    const document = decoded.ok ? asJsonObject(decoded.document) : null;
    return { sourcePolicy, permissions: parsed.permissions, document };
  });
}

/** Attached managed policies: sourcePolicy `<prefix><PolicyArn>`. */
export function attachedPolicies(
  record: RawRecord,
  listKey: string,
  prefix: string,
  managed: ManagedPolicyResolver,
): PolicyReach[] {
  return recordList(record, listKey).flatMap((attached) => {
    const arn = stringField(attached, 'PolicyArn');
    if (arn === null) return [];
    const resolution = managed.resolve(arn);
    return [
      {
        sourcePolicy: `${prefix}${arn}`,
        permissions: resolution.resolved ? resolution.permissions : null,
        document: resolution.resolved ? resolution.document : null,
      },
    ];
  });
}

/** Groups by account and name (a user's GroupList holds names only), each group's policies resolved once. */
export class GroupIndex {
  private readonly reaches = new Map<string, PolicyReach[]>();
  /** `group:<name>` of groups named in a GroupList but absent from the export. */
  readonly missing = new Set<string>();

  constructor(groups: SourcedRecord[], managed: ManagedPolicyResolver, errors: InputError[]) {
    for (const group of uniqueByArn(groups, 'group', 'GroupName', errors)) {
      const arn = stringField(group.record, 'Arn') as string;
      const name = stringField(group.record, 'GroupName') ?? nameOfArn(arn);
      const prefix = `group:${name}/`;
      this.reaches.set(GroupIndex.key(accountOfArn(arn), name), [
        ...inlinePolicies(group, 'GroupPolicyList', prefix, errors),
        ...attachedPolicies(group.record, 'AttachedManagedPolicies', prefix, managed),
      ]);
    }
  }

  get size(): number {
    return this.reaches.size;
  }

  /** Policies reaching a user through its groups; a group missing from the export is one unknown reach. */
  reachesOf(user: RawRecord, account: string | null): PolicyReach[] {
    return stringList(user['GroupList']).flatMap((name) => {
      const reaches = this.reaches.get(GroupIndex.key(account, name));
      if (reaches) return reaches;
      this.missing.add(`group:${name}`);
      return [{ sourcePolicy: `group:${name}`, permissions: null, document: null }];
    });
  }

  private static key(account: string | null, name: string): string {
    return `${account ?? ''}/${name}`;
  }
}

/** Sources of policies whose permissions are unknown, for the identity's `unresolved_policies`. */
export function unresolvedOf(reaches: PolicyReach[]): string[] {
  return reaches.filter((reach) => reach.permissions === null).map((reach) => reach.sourcePolicy);
}
