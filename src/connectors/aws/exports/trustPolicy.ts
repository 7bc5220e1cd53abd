// Reads a role's trust policy: who may assume it (AWS principals, services, identity providers) and the graph edges that follow.
import { awsIdentityIdForPrincipalArn } from '../../../model/ids.js';
import type { Edge, JsonObject, JsonValue } from '../../../model/types.js';
import { partitionOfArn, rootArn } from './arn.js';
import { effectOf, hasCondition, statementsOf } from './policyDocument.js';
import { isRecord, stringList, type RawRecord } from './rawValues.js';

/** Principals a role trusts, by kind, as found in the Allow statements of its trust policy. */
export interface TrustedPrincipals {
  /** ARNs (a bare account id is written as its root ARN) or `*`. */
  aws: string[];
  /** Service principals: `ec2.amazonaws.com`. */
  service: string[];
  /** Identity providers: OIDC or SAML provider ARNs, `cognito-identity.amazonaws.com`, `accounts.google.com`. */
  federated: string[];
}

/** What a trust policy says, in model terms. */
export interface TrustAnalysis {
  trustedPrincipals: TrustedPrincipals;
  /** True when any Allow statement is limited by a Condition (external id, OIDC `sub`, MFA…). */
  trustConditions: boolean;
  edges: Edge[];
}

/**
 * The principals of a role's trust policy and its edges: `can-assume` from each AWS principal (the
 * identity id when the ARN is an IAM user, role or account root; otherwise the ARN or `*` as written)
 * and `trusts-oidc` from each federated provider (OIDC, SAML or web identity), the statement's Condition
 * kept in the evidence. Deny statements and NotPrincipal grant nothing and produce no edge.
 */
export function analyseTrustPolicy(document: RawRecord, roleId: string, roleArn: string): TrustAnalysis {
  const trustedPrincipals: TrustedPrincipals = { aws: [], service: [], federated: [] };
  const edges: Edge[] = [];
  let trustConditions = false;
  const partition = partitionOfArn(roleArn);
  for (const statement of statementsOf(document) ?? []) {
    if (effectOf(statement) !== 'allow') continue;
    const conditional = hasCondition(statement);
    trustConditions ||= conditional;
    const principal = statement['Principal'];
    const evidence: JsonObject = {
      actions: stringList(statement['Action']),
      conditions: conditional ? (statement['Condition'] as JsonValue) : null,
    };
    if (typeof statement['Sid'] === 'string' && statement['Sid']) evidence['sid'] = statement['Sid'];
    const principalsOf = (key: string): string[] =>
      principal === '*'
        ? key === 'AWS'
          ? ['*']
          : []
        : isRecord(principal)
          ? stringList(principal[key])
          : [];
    for (const written of principalsOf('AWS')) {
      const arn = /^\d{12}$/.test(written) ? rootArn(written, partition) : written;
      pushUnique(trustedPrincipals.aws, arn);
      const from = arn === '*' ? '*' : (awsIdentityIdForPrincipalArn(arn) ?? arn);
      edges.push({ from, to: roleId, kind: 'can-assume', evidence: { ...evidence, principal: written } });
    }
    for (const service of principalsOf('Service')) pushUnique(trustedPrincipals.service, service);
    for (const provider of principalsOf('Federated')) {
      pushUnique(trustedPrincipals.federated, provider);
      edges.push({
        from: provider,
        to: roleId,
        kind: 'trusts-oidc',
        evidence: { ...evidence, provider, protocol: federationProtocol(provider) },
      });
    }
  }
  return { trustedPrincipals, trustConditions, edges };
}

/** `oidc` for an OIDC provider ARN, `saml` for a SAML provider, `web-identity` for a public provider name. */
function federationProtocol(provider: string): string {
  if (provider.includes(':saml-provider/')) return 'saml';
  if (provider.includes(':oidc-provider/')) return 'oidc';
  return 'web-identity';
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}
