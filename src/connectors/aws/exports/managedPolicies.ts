// Resolves managed policy ARNs to their permissions: the export's default version first, then the shipped well-known table.
import type { InputError, JsonObject } from '../../../model/types.js';
import type { SourcedRecord } from './authorizationDetails.js';
import {
  asJsonObject,
  decodePolicyDocument,
  permissionsOfPolicy,
  type PolicyPermission,
} from './policyDocument.js';
import { booleanField, recordList, stringField, type RawRecord } from './rawValues.js';
import { wellKnownPolicy } from './wellKnownPolicies.js';

/** What an attached managed policy grants, or that it could not be known. */
export type ManagedPolicyResolution =
  | { resolved: true; permissions: PolicyPermission[]; document: JsonObject }
  | { resolved: false; reason: 'not-in-export' | 'malformed' };

/**
 * Looks up managed policies by ARN, each parsed once however many identities attach it.
 * Malformed policies are reported once, in `errors`, naming the file and the policy.
 */
export class ManagedPolicyResolver {
  private readonly exported = new Map<string, SourcedRecord>();
  private readonly cache = new Map<string, ManagedPolicyResolution>();
  /** ARNs asked for that are neither in the export nor shipped. */
  readonly missing = new Set<string>();

  constructor(
    policies: SourcedRecord[],
    private readonly errors: InputError[],
  ) {
    for (const policy of policies) {
      const arn = stringField(policy.record, 'Arn');
      if (arn === null) {
        const name = stringField(policy.record, 'PolicyName');
        errors.push({
          file: policy.file,
          message: `a managed policy without an Arn${name ? ` ("${name}")` : ''} was skipped`,
        });
      } else if (!this.exported.has(arn)) {
        this.exported.set(arn, policy);
      }
    }
  }

  /** Number of distinct managed policies the export holds. */
  get exportedCount(): number {
    return this.exported.size;
  }

  /** The permissions of a managed policy: the export's default version, else a shipped AWS-managed document. */
  resolve(arn: string): ManagedPolicyResolution {
    const cached = this.cache.get(arn);
    if (cached) return cached;
    const resolution = this.resolveUncached(arn);
    this.cache.set(arn, resolution);
    return resolution;
  }

  private resolveUncached(arn: string): ManagedPolicyResolution {
    const exported = this.exported.get(arn);
    if (exported) {
      const parsed = parseDefaultVersion(exported.record);
      if (parsed.ok) return { resolved: true, permissions: parsed.permissions, document: parsed.document };
      this.errors.push({ file: exported.file, message: `managed policy ${arn}: ${parsed.message}` });
      return { resolved: false, reason: 'malformed' };
    }
    const known = wellKnownPolicy(arn);
    if (known) {
      const parsed = permissionsOfPolicy(known.document);
      if (parsed.ok) {
        return { resolved: true, permissions: parsed.permissions, document: asJsonObject(known.document) };
      }
    }
    this.missing.add(arn);
    return { resolved: false, reason: 'not-in-export' };
  }
}

/**
 * The permissions of a managed policy's default version: the PolicyVersionList entry with
 * IsDefaultVersion true, or else the one whose VersionId is the policy's DefaultVersionId.
 */
function parseDefaultVersion(
  policy: RawRecord,
): { ok: true; permissions: PolicyPermission[]; document: JsonObject } | { ok: false; message: string } {
  const versions = recordList(policy, 'PolicyVersionList');
  const defaultVersionId = stringField(policy, 'DefaultVersionId');
  const version =
    versions.find((candidate) => booleanField(candidate, 'IsDefaultVersion') === true) ??
    versions.find(
      (candidate) => defaultVersionId !== null && stringField(candidate, 'VersionId') === defaultVersionId,
    );
  if (!version) return { ok: false, message: 'no default version in PolicyVersionList' };
  const decoded = decodePolicyDocument(version['Document']);
  if (!decoded.ok) return decoded;
  const parsed = permissionsOfPolicy(decoded.document);
  return parsed.ok ? { ...parsed, document: asJsonObject(decoded.document) } : parsed;
}
