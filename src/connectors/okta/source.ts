// Okta as a scan source: `--okta DOMAIN` with OKTA_API_TOKEN inventories API tokens and service apps, with System Log use.
import { UserError } from '../../errors/errors.js';
import { defineSource, optionString } from '../contract.js';
import { apiBaseUrl } from '../http/apiSession.js';
import { collectOkta } from './collect.js';
import { oktaInventory } from './inventory.js';

/** The org and the admin credential. */
export interface OktaSourceOptions {
  baseUrl: string;
  token: string;
}

/** Okta API tokens, service apps and their granted scopes; token and app use from the System Log. */
export const oktaSource = defineSource<OktaSourceOptions>({
  id: 'okta',
  summary: 'Okta API tokens, service apps and their granted scopes, with use from the System Log',
  replayable: true,
  options: [
    {
      flags: '--okta <domain>',
      description:
        'Okta org to inventory (acme.okta.com); read-only: okta.apiTokens.read, okta.apps.read, okta.appGrants.read, okta.users.read, okta.roles.read, okta.logs.read',
      env: 'OKTA_API_TOKEN',
    },
  ],
  plan(values, env) {
    const domain = optionString(values, 'okta');
    if (!domain) return null;
    const baseUrl = apiBaseUrl(domain);
    if (!baseUrl)
      throw new UserError(
        `--okta ${domain} is not an https address`,
        'use the org domain, e.g. --okta acme.okta.com',
      );
    const token = env.OKTA_API_TOKEN;
    if (!token) {
      throw new UserError(
        '--okta needs an admin credential in OKTA_API_TOKEN',
        'create a read-only API token (Security > API > Tokens) or a service app access token, and export OKTA_API_TOKEN',
      );
    }
    return { baseUrl, token };
  },
  async collect(options, context) {
    context.progress({ phase: 'start', message: `reading Okta ${new URL(options.baseUrl).host}` });
    const { tenant, session } = await collectOkta(options, context);
    const coverage = session.coverage();
    const logsRead = tenant.events.size;
    return [
      {
        name: `okta:${tenant.domain}`,
        inventory: oktaInventory(tenant, context.window.since),
        coverage: {
          [`okta:${tenant.domain}`]: {
            apiTokens: tenant.tokens.length,
            serviceApps: tenant.serviceApps.length,
            systemLogQueries: logsRead,
            ...coverage,
            errors: session.errors,
          },
        },
        errors: session.errors,
        detail: `${tenant.tokens.length} API tokens, ${tenant.serviceApps.length} service apps, System Log read for ${logsRead}`,
        failed: coverage.endpoints > 0 && coverage.failedEndpoints === coverage.endpoints,
      },
    ];
  },
});
