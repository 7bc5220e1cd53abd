// OpenAI Administration API response shapes agentaudit reads (https://platform.openai.com/docs/api-reference/administration).

/** A list page: `{ object: "list", data, first_id, last_id, has_more }`; the next page is `?after=<last_id>`. */
export interface OpenAiList<T> {
  object?: string;
  data?: T[];
  first_id?: string | null;
  last_id?: string | null;
  has_more?: boolean;
}

/** `GET /organization/admin_api_keys` item (`organization.admin_api_key`). */
export interface OpenAiAdminKey {
  id: string;
  name?: string | null;
  redacted_value?: string;
  created_at?: number;
  last_used_at?: number | null;
  expires_at?: number | null;
  owner?: { type?: string; object?: string; id?: string; name?: string; role?: string; created_at?: number };
}

/** `GET /organization/users` item (`organization.user`). */
export interface OpenAiUser {
  id: string;
  name?: string;
  email?: string;
  role?: string;
  added_at?: number;
}

/** `GET /organization/projects` item (`organization.project`). */
export interface OpenAiProject {
  id: string;
  name?: string;
  created_at?: number;
  archived_at?: number | null;
  status?: string;
}

/** `GET /organization/projects/{id}/api_keys` item (`organization.project.api_key`). */
export interface OpenAiProjectKey {
  id: string;
  name?: string;
  redacted_value?: string;
  created_at?: number;
  last_used_at?: number | null;
  expires_at?: number | null;
  owner_project_access?: 'active' | 'inactive';
  owner?: {
    type?: 'user' | 'service_account';
    user?: { id: string; email?: string; name?: string; role?: string; created_at?: number };
    service_account?: { id: string; name?: string; role?: string; created_at?: number };
  };
}

/** `GET /organization/projects/{id}/service_accounts` item (`organization.project.service_account`). */
export interface OpenAiServiceAccount {
  id: string;
  name?: string;
  role?: string;
  created_at?: number;
}

/** Everything read from one OpenAI organization. */
export interface OpenAiOrganization {
  adminKeys: OpenAiAdminKey[];
  /** Members by id; null when the member list could not be read completely. */
  users: Map<string, OpenAiUser> | null;
  projects: {
    project: OpenAiProject;
    keys: OpenAiProjectKey[];
    serviceAccounts: OpenAiServiceAccount[];
  }[];
}
