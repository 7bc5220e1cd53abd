// Which identity a finding is about, from its resource and evidence: shared by triage, the inventory and the posture scorecard.

/** The addresses an identity answers to: its stable id and, for AWS, its ARN. */
export interface AddressableIdentity {
  id: string;
  arn: string | null;
}

/** A credential, by its id and the identity holding it. */
export interface AddressableCredential {
  id: string;
  identityId: string;
}

/** Resolves a finding's resource (and evidence hints) to an identity id of the scan, or null. */
export type FindingIdentityResolver = (resource: string, ...hints: unknown[]) => string | null;

/**
 * Builds the resolver for one scan. A finding is about the identity whose ARN or id is the resource, or holding the
 * credential it names, or the holder of a secret found on disk (`<holder> <key>`), or whose ARN the resource extends
 * with `#slot` (a credential of it), or the one the hints name (the evidence's `identity`, then `linked_identity`).
 */
export function findingIdentityResolver(
  identities: readonly AddressableIdentity[],
  credentials: readonly AddressableCredential[],
): FindingIdentityResolver {
  const byAddress = new Map<string, string>();
  // A credential's id stands for the identity holding it (a SaaS key's rules are about the key).
  for (const credential of credentials) byAddress.set(credential.id, credential.identityId);
  for (const identity of identities) {
    byAddress.set(identity.id, identity.id);
    if (identity.arn) byAddress.set(identity.arn, identity.id);
  }
  return (resource, ...hints) => {
    const direct = byAddress.get(resource);
    if (direct) return direct;
    // A secret found on disk is addressed `<holder> <key>`: the holder (an MCP server, a compose service) is the identity.
    const holder = resource.includes(' ')
      ? byAddress.get(resource.slice(0, resource.indexOf(' ')))
      : undefined;
    if (holder) return holder;
    const hash = resource.lastIndexOf('#');
    const owner = hash > 0 ? byAddress.get(resource.slice(0, hash)) : undefined;
    if (owner) return owner;
    for (const hint of hints) {
      const hinted = typeof hint === 'string' ? byAddress.get(hint) : undefined;
      if (hinted) return hinted;
    }
    return null;
  };
}

/** The identity a finding (resource plus evidence) is about, through `resolve`. */
export function identityOfFinding(
  resolve: FindingIdentityResolver,
  finding: { resource: string; evidence: Readonly<Record<string, unknown>> },
): string | null {
  return resolve(finding.resource, finding.evidence['identity'], finding.evidence['linked_identity']);
}
