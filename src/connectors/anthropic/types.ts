// Anthropic Admin API response shapes agentaudit reads (https://platform.claude.com/docs/en/api/admin).

/** A list page: `{ data, has_more, first_id, last_id }`; the next page is `?after_id=<last_id>`. */
export interface AnthropicList<T> {
  data?: T[];
  has_more?: boolean;
  first_id?: string | null;
  last_id?: string | null;
}

/** `GET /v1/organizations/api_keys` item (`api_key`). */
export interface AnthropicApiKey {
  id: string;
  type?: 'api_key';
  name?: string;
  created_at?: string;
  created_by?: { id?: string; type?: 'user' | 'service_account' } | null;
  expires_at?: string | null;
  partial_key_hint?: string | null;
  status?: 'active' | 'inactive' | 'archived' | 'expired';
  workspace_id?: string | null;
  scope?: { type?: 'workspace' | 'organization'; workspace_id?: string } | null;
  principal?: {
    type?: 'user_actor' | 'service_account_actor';
    user_id?: string;
    service_account_id?: string;
  } | null;
}

/** `GET /v1/organizations/users` item (`user`). */
export interface AnthropicUser {
  id: string;
  email?: string;
  name?: string;
  role?: string;
  added_at?: string;
}

/** `GET /v1/organizations/workspaces` item (`workspace`). */
export interface AnthropicWorkspace {
  id: string;
  name?: string;
  archived_at?: string | null;
}

/** `GET /v1/organizations/service_accounts` item (`service_account`; needs an OAuth token with `org:admin`). */
export interface AnthropicServiceAccount {
  id: string;
  name?: string;
  description?: string | null;
  organization_role?: 'admin' | 'developer';
  created_at?: string;
  archived_at?: string | null;
}

/** One result of a bucket of `GET /v1/organizations/usage_report/messages` grouped by `api_key_id`. */
export interface AnthropicUsageResult {
  api_key_id?: string | null;
  workspace_id?: string | null;
  model?: string | null;
  uncached_input_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation?: { ephemeral_1h_input_tokens?: number; ephemeral_5m_input_tokens?: number };
  output_tokens?: number;
}

/** A time bucket of the usage report. */
export interface AnthropicUsageBucket {
  starting_at: string;
  ending_at: string;
  results?: AnthropicUsageResult[];
}

/** The usage report page: `{ data, has_more, next_page }`; the next page is `?page=<next_page>`. */
export interface AnthropicUsagePage {
  data?: AnthropicUsageBucket[];
  has_more?: boolean;
  next_page?: string | null;
}

/** Everything read from one Anthropic organization. */
export interface AnthropicOrganization {
  keys: AnthropicApiKey[];
  users: Map<string, AnthropicUser> | null;
  workspaces: Map<string, AnthropicWorkspace>;
  /** Null when they could not be read (Admin API keys may not list them). */
  serviceAccounts: AnthropicServiceAccount[] | null;
  /** Usage buckets over the evidence window; null when the report could not be read completely. */
  usage: AnthropicUsageBucket[] | null;
}
