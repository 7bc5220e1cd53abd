// Slack as a scan source: `--slack` with SLACK_TOKEN inventories the token's own scopes and, on Enterprise, approved apps.
import { UserError } from '../../errors/errors.js';
import { defineSource, optionFlag } from '../contract.js';
import { apiBaseUrl } from '../http/apiSession.js';
import { collectSlack } from './collect.js';
import { slackInventory } from './inventory.js';

/** The API and the token. */
export interface SlackSourceOptions {
  baseUrl: string;
  token: string;
}

/** The default Web API address; SLACK_API_URL overrides it (a proxy, a test server). */
export const SLACK_API = 'https://slack.com/api';

/** Slack approved apps with their scopes (Enterprise), and the token's own identity and scopes. */
export const slackSource = defineSource<SlackSourceOptions>({
  id: 'slack',
  summary: "Slack approved apps and their scopes (Enterprise), and the token's own scopes",
  replayable: true,
  recordedEnv: ['SLACK_API_URL'],
  options: [
    {
      flags: '--slack',
      description:
        'inventory Slack with the token: its own scopes, and approved apps on Enterprise (admin.apps:read)',
      env: 'SLACK_TOKEN',
    },
  ],
  plan(values, env) {
    if (!optionFlag(values, 'slack')) return null;
    const token = env.SLACK_TOKEN;
    if (!token) {
      throw new UserError(
        '--slack needs a token in SLACK_TOKEN',
        'use a user token with admin.apps:read on an Enterprise org (or any token to audit that token), and export SLACK_TOKEN',
      );
    }
    const baseUrl = apiBaseUrl(env.SLACK_API_URL ?? SLACK_API);
    if (!baseUrl) throw new UserError(`SLACK_API_URL ${env.SLACK_API_URL} is not an https address`);
    return { baseUrl, token };
  },
  async collect(options, context) {
    context.progress({ phase: 'start', message: 'reading Slack' });
    const { workspace, session } = await collectSlack(options, context);
    const coverage = session.coverage();
    const team = workspace.auth?.team ?? workspace.auth?.team_id ?? 'slack';
    return [
      {
        name: workspace.auth ? `slack:${workspace.auth.team_id}` : 'slack',
        inventory: slackInventory(workspace, context.snapshot?.replayDir ? null : options.token),
        coverage: {
          slack: {
            team,
            tokenScopes: workspace.tokenScopes.length,
            approvedApps: workspace.approvedApps?.length ?? null,
            note: workspace.approvedAppsNote,
            ...coverage,
            errors: session.errors,
          },
        },
        errors: session.errors,
        detail: workspace.auth
          ? `token of ${workspace.auth.user ?? workspace.auth.user_id} in ${team} with ${workspace.tokenScopes.length} scopes; ${workspace.approvedApps ? `${workspace.approvedApps.length} approved apps` : (workspace.approvedAppsNote ?? '')}`
          : 'the token was refused',
        failed: workspace.auth === null,
      },
    ];
  },
});
