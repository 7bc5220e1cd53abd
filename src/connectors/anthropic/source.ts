// Anthropic as a scan source: `--anthropic` with ANTHROPIC_ADMIN_KEY inventories API keys and service accounts, with use.
import { UserError } from '../../errors/errors.js';
import { defineSource, optionFlag } from '../contract.js';
import { apiBaseUrl } from '../http/apiSession.js';
import { collectAnthropic } from './collect.js';
import { anthropicInventory } from './inventory.js';

/** The API and the admin credential. */
export interface AnthropicSourceOptions {
  baseUrl: string;
  credential: string;
}

/** The default API address; ANTHROPIC_BASE_URL overrides it, as in Anthropic's own SDKs. */
export const ANTHROPIC_API = 'https://api.anthropic.com';

/** Anthropic API keys and service accounts, with use per key from the usage report. */
export const anthropicSource = defineSource<AnthropicSourceOptions>({
  id: 'anthropic',
  summary: 'Anthropic API keys (workspace, status, creator, expiry), service accounts, usage per key',
  replayable: true,
  recordedEnv: ['ANTHROPIC_BASE_URL'],
  options: [
    {
      flags: '--anthropic',
      description: 'inventory the Anthropic organization of the admin key (read-only Admin API calls)',
      env: 'ANTHROPIC_ADMIN_KEY',
    },
  ],
  plan(values, env) {
    if (!optionFlag(values, 'anthropic')) return null;
    const credential = env.ANTHROPIC_ADMIN_KEY;
    if (!credential) {
      throw new UserError(
        '--anthropic needs an Admin API key in ANTHROPIC_ADMIN_KEY',
        'create one in the Claude Console (Settings > Admin keys), and export ANTHROPIC_ADMIN_KEY',
      );
    }
    const baseUrl = apiBaseUrl(env.ANTHROPIC_BASE_URL ?? ANTHROPIC_API);
    if (!baseUrl) throw new UserError(`ANTHROPIC_BASE_URL ${env.ANTHROPIC_BASE_URL} is not an https address`);
    return { baseUrl, credential };
  },
  async collect(options, context) {
    context.progress({ phase: 'start', message: 'reading the Anthropic organization' });
    const { organization, session } = await collectAnthropic(options, context);
    const coverage = session.coverage();
    return [
      {
        name: 'anthropic',
        inventory: anthropicInventory(organization, context.window),
        coverage: {
          anthropic: {
            apiKeys: organization.keys.length,
            members: organization.users?.size ?? null,
            workspaces: organization.workspaces.size,
            serviceAccounts: organization.serviceAccounts?.length ?? null,
            usageBuckets: organization.usage?.length ?? null,
            ...coverage,
            errors: session.errors,
          },
        },
        errors: session.errors,
        detail: `${organization.keys.length} API keys in ${organization.workspaces.size} workspaces, ${organization.serviceAccounts?.length ?? 'unread'} service accounts, usage ${organization.usage ? `over ${organization.usage.length} days` : 'unread'}`,
        failed: coverage.endpoints > 0 && coverage.failedEndpoints === coverage.endpoints,
      },
    ];
  },
});
