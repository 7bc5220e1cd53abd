// Slack records to model rows: the token's own identity and scopes, and approved apps with the scopes they were granted.
import { secretFingerprint } from '../../model/ids.js';
import { publicPrefix } from '../../model/keyFormats.js';
import { credentialRow, identityRow } from '../../model/rows.js';
import type { Credential, Grant, Identity, Inventory } from '../../model/types.js';
import { unixSecondsToIso } from '../http/apiSession.js';
import type { SlackWorkspace } from './types.js';

/**
 * The inventory of what the token sees. Pure. `token` is used only to fingerprint it (so a copy found on disk is
 * recognised) and for its public prefix; pass null when replaying a snapshot (the token is not the one recorded).
 */
export function slackInventory(workspace: SlackWorkspace, token: string | null): Partial<Inventory> {
  const identities: Identity[] = [];
  const credentials: Credential[] = [];
  const grants: Grant[] = [];
  const auth = workspace.auth;
  if (!auth) return {};
  const org = auth.enterprise_id ?? auth.team_id ?? 'slack';
  const prefix = token ? publicPrefix(token) : null;
  const bot = Boolean(auth.bot_id) || prefix === 'xoxb-';
  const tokenIdentity = `slack:${bot ? 'bot-token' : 'user-token'}:${auth.team_id}:${auth.user_id}`;
  identities.push(
    identityRow({
      id: tokenIdentity,
      provider: 'slack',
      kind: bot ? 'bot-token' : 'user-token',
      name: `${auth.user ?? auth.user_id}${bot ? ' (bot)' : ''}`,
      account: auth.team ?? auth.team_id ?? null,
      arn: `slack://${auth.team_id}/${auth.user_id}`,
      attributes: {
        team_id: auth.team_id ?? null,
        user_id: auth.user_id ?? null,
        bot_id: auth.bot_id ?? null,
        enterprise_id: auth.enterprise_id ?? null,
        url: auth.url ?? null,
        // A user token acts as the person who installed it.
        personal: !bot,
        scanned_with: true,
      },
    }),
  );
  credentials.push(
    credentialRow({
      id: `slack:oauth-token:${auth.team_id}:${auth.user_id}`,
      identityId: tokenIdentity,
      kind: 'oauth-token',
      status: 'active',
      scopes: workspace.tokenScopes,
      fingerprint: token ? secretFingerprint(token) : null,
      hint: token ? token.slice(-4) : null,
      attributes: { key_prefix: prefix },
    }),
  );
  for (const scope of workspace.tokenScopes) {
    grants.push({
      identityId: tokenIdentity,
      permission: scope,
      resource: auth.team_id ?? org,
      effect: 'allow',
      notAction: false,
      sourcePolicy: 'slack:token-scopes',
      conditional: false,
    });
  }
  for (const approved of workspace.approvedApps ?? []) {
    const app = approved.app;
    if (!app?.id) continue;
    const id = `slack:app:${app.id}`;
    const resolver = approved.last_resolved_by;
    const sensitive = (approved.scopes ?? [])
      .filter((scope) => scope.is_sensitive)
      .map((scope) => scope.name ?? '');
    identities.push(
      identityRow({
        id,
        provider: 'slack',
        kind: 'oauth-app',
        name: app.name ?? app.id,
        account: org,
        arn: `slack://${org}/apps/${app.id}`,
        purpose: app.description ?? null,
        attributes: {
          // The admin who approved the app is not its owner: Slack records no owner for an app.
          approved_by: resolver?.actor_id ?? null,
          is_internal: app.is_internal ?? null,
          is_app_directory_approved: app.is_app_directory_approved ?? null,
          approved_at: unixSecondsToIso(approved.date_updated),
          sensitive_scopes: sensitive,
        },
      }),
    );
    for (const scope of approved.scopes ?? []) {
      if (!scope.name) continue;
      grants.push({
        identityId: id,
        permission: scope.name,
        resource: org,
        effect: 'allow',
        notAction: false,
        sourcePolicy: `slack:approved-${scope.token_type ?? 'app'}-scope`,
        conditional: false,
      });
    }
  }
  return { identities, credentials, grants };
}
