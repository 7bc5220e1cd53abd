// Slack Web API response shapes agentaudit reads (https://docs.slack.dev/reference/methods).

/** Every Slack method answers HTTP 200 with `ok`; failures carry `error` (and `needed` for a missing scope). */
export interface SlackResponse {
  ok: boolean;
  error?: string;
  needed?: string;
  provided?: string;
  response_metadata?: { next_cursor?: string };
}

/** `auth.test`: who the token is. https://docs.slack.dev/reference/methods/auth.test */
export interface SlackAuthTest extends SlackResponse {
  url?: string;
  team?: string;
  user?: string;
  team_id?: string;
  user_id?: string;
  bot_id?: string;
  enterprise_id?: string;
  is_enterprise_install?: boolean;
}

/** `admin.apps.approved.list` item. https://docs.slack.dev/reference/methods/admin.apps.approved.list */
export interface SlackApprovedApp {
  app?: {
    id?: string;
    name?: string;
    description?: string;
    is_internal?: boolean;
    is_app_directory_approved?: boolean;
    app_homepage_url?: string;
  };
  scopes?: { name?: string; description?: string; is_sensitive?: boolean; token_type?: string }[];
  date_updated?: number;
  last_resolved_by?: { actor_id?: string; actor_type?: string };
}

/** `admin.apps.approved.list` page. */
export interface SlackApprovedAppsPage extends SlackResponse {
  approved_apps?: SlackApprovedApp[];
}

/** Everything read from one Slack workspace or Enterprise org. */
export interface SlackWorkspace {
  /** Null when `auth.test` failed (nothing else can be read then). */
  auth: SlackAuthTest | null;
  /** The token's own scopes, from the `x-oauth-scopes` response header. */
  tokenScopes: string[];
  /** Approved apps; null when not read (not an Enterprise org, or refused). */
  approvedApps: SlackApprovedApp[] | null;
  /** Why approved apps were not read, when they were not. */
  approvedAppsNote: string | null;
}
