// Adds what the account's OIDC and SAML providers say to the trust edges that name them (audiences, URL, validity, existence).
import type { Inventory, JsonObject } from '../../../model/types.js';
import type { OidcProviderRecord, SamlProviderRecord } from './iamReader.js';

/**
 * Returns the inventory with each `trusts-oidc` edge whose provider is an IAM OIDC or SAML provider ARN enriched with
 * the provider's facts: `provider_registered` (false when the account has no such provider: a trust that cannot be
 * used today, or one waiting for a provider to be created), and for OIDC `provider_url`, `provider_audiences`
 * (client ids), `provider_created_at`, for SAML `provider_valid_until`. A provider list that could not be read
 * (null) leaves the edges as they are. Pure.
 */
export function describeIdentityProviders(
  inventory: Inventory,
  oidc: readonly OidcProviderRecord[] | null,
  saml: readonly SamlProviderRecord[] | null,
): Inventory {
  const oidcByArn = new Map((oidc ?? []).map((provider) => [provider.arn, provider]));
  const samlByArn = new Map((saml ?? []).map((provider) => [provider.arn, provider]));
  return {
    ...inventory,
    edges: inventory.edges.map((edge) => {
      if (edge.kind !== 'trusts-oidc') return edge;
      let facts: JsonObject | null = null;
      if (edge.from.includes(':oidc-provider/') && oidc) {
        const provider = oidcByArn.get(edge.from);
        facts = provider
          ? provider.detailsKnown
            ? {
                provider_registered: true,
                provider_url: provider.url,
                provider_audiences: provider.clientIds,
                provider_created_at: provider.createdAt,
              }
            : { provider_registered: true }
          : { provider_registered: false };
      } else if (edge.from.includes(':saml-provider/') && saml) {
        const provider = samlByArn.get(edge.from);
        facts = provider
          ? { provider_registered: true, provider_valid_until: provider.validUntil }
          : { provider_registered: false };
      }
      return facts ? { ...edge, evidence: { ...edge.evidence, ...facts } } : edge;
    }),
  };
}
