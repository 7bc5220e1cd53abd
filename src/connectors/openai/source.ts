// OpenAI as a scan source: `--openai` with OPENAI_ADMIN_KEY inventories admin keys, project keys and service accounts.
import { UserError } from '../../errors/errors.js';
import { defineSource, optionFlag } from '../contract.js';
import { apiBaseUrl } from '../http/apiSession.js';
import { collectOpenAi } from './collect.js';
import { openAiInventory } from './inventory.js';

/** The API and the admin key. */
export interface OpenAiSourceOptions {
  baseUrl: string;
  adminKey: string;
}

/** The default API address; OPENAI_BASE_URL overrides it (a proxy, a test server), as in OpenAI's own SDKs. */
export const OPENAI_API = 'https://api.openai.com/v1';

/** OpenAI admin keys, projects, project API keys and service accounts. */
export const openAiSource = defineSource<OpenAiSourceOptions>({
  id: 'openai',
  summary: 'OpenAI admin keys, projects, project API keys and service accounts (created, last used, owner)',
  replayable: true,
  recordedEnv: ['OPENAI_BASE_URL'],
  options: [
    {
      flags: '--openai',
      description:
        'inventory the OpenAI organization of the admin key (read-only calls of the Administration API)',
      env: 'OPENAI_ADMIN_KEY',
    },
  ],
  plan(values, env) {
    if (!optionFlag(values, 'openai')) return null;
    const adminKey = env.OPENAI_ADMIN_KEY;
    if (!adminKey) {
      throw new UserError(
        '--openai needs an admin key in OPENAI_ADMIN_KEY',
        'create one at platform.openai.com > Settings > Organization > Admin keys, and export OPENAI_ADMIN_KEY',
      );
    }
    const baseUrl = apiBaseUrl(env.OPENAI_BASE_URL ?? OPENAI_API);
    if (!baseUrl) throw new UserError(`OPENAI_BASE_URL ${env.OPENAI_BASE_URL} is not an https address`);
    return { baseUrl, adminKey };
  },
  async collect(options, context) {
    context.progress({ phase: 'start', message: 'reading the OpenAI organization' });
    const { organization, session } = await collectOpenAi(options, context);
    const coverage = session.coverage();
    const keys = organization.projects.reduce((sum, project) => sum + project.keys.length, 0);
    const accounts = organization.projects.reduce((sum, project) => sum + project.serviceAccounts.length, 0);
    return [
      {
        name: 'openai',
        inventory: openAiInventory(organization, options.adminKey),
        coverage: {
          openai: {
            adminKeys: organization.adminKeys.length,
            members: organization.users?.size ?? null,
            projects: organization.projects.length,
            projectKeys: keys,
            serviceAccounts: accounts,
            ...coverage,
            errors: session.errors,
          },
        },
        errors: session.errors,
        detail: `${organization.adminKeys.length} admin keys, ${organization.projects.length} projects, ${keys} project keys, ${accounts} service accounts`,
        failed: coverage.endpoints > 0 && coverage.failedEndpoints === coverage.endpoints,
      },
    ];
  },
});
