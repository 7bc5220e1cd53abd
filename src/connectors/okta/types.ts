// Okta management API response shapes agentaudit reads (fields as documented; only those used are declared).

/**
 * `GET /api/v1/api-tokens` item.
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApiToken/
 */
export interface OktaApiToken {
  id: string;
  name: string;
  userId?: string;
  clientName?: string;
  /** ISO-8601 duration of inactivity after which the token expires (`P30D`, `PT5M`). */
  tokenWindow?: string;
  network?: { connection?: string; include?: string[]; exclude?: string[] };
  created?: string;
  expiresAt?: string;
  lastUpdated?: string;
}

/**
 * `GET /api/v1/apps` item (OIDC apps; service apps have `settings.oauthClient.application_type: "service"`).
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/
 */
export interface OktaApp {
  id: string;
  name?: string;
  label?: string;
  status?: string;
  created?: string;
  lastUpdated?: string;
  signOnMode?: string;
  credentials?: { oauthClient?: { client_id?: string; token_endpoint_auth_method?: string } };
  settings?: { oauthClient?: { application_type?: string; grant_types?: string[] } };
}

/**
 * `GET /api/v1/apps/{appId}/grants` item: a scope consent grant.
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationGrants/
 */
export interface OktaGrant {
  id: string;
  scopeId: string;
  status?: string;
  issuer?: string;
  created?: string;
  createdBy?: { id?: string; type?: string };
  source?: string;
}

/** `GET /api/v1/users/{id}`. https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/ */
export interface OktaUser {
  id: string;
  status?: string;
  profile?: { login?: string; email?: string; firstName?: string; lastName?: string };
}

/** `GET /api/v1/users/{id}/roles` item. https://developer.okta.com/docs/api/openapi/okta-management/management/tag/RoleAssignmentAUser/ */
export interface OktaRole {
  id?: string;
  type: string;
  label?: string;
  status?: string;
}

/** `GET /api/v1/logs` item. https://developer.okta.com/docs/reference/api/system-log/ */
export interface OktaLogEvent {
  uuid: string;
  published: string;
  eventType: string;
  actor?: { id?: string; type?: string; alternateId?: string; displayName?: string };
  client?: { ipAddress?: string | null; userAgent?: { rawUserAgent?: string | null } | null } | null;
  outcome?: { result?: string };
  transaction?: { id?: string; type?: string; detail?: { requestApiTokenId?: string } | null };
  target?: { id?: string; type?: string; alternateId?: string; displayName?: string }[] | null;
}

/** Everything read from one Okta org. */
export interface OktaTenant {
  domain: string;
  tokens: OktaApiToken[];
  serviceApps: { app: OktaApp; grants: OktaGrant[] | null }[];
  /** Token owners by user id; null when the user could not be read, 'missing' when Okta says it does not exist. */
  users: Map<string, OktaUser | 'missing' | null>;
  roles: Map<string, OktaRole[]>;
  /** System Log events per token id or client id; absent when the log could not be read for it. */
  events: Map<string, OktaLogEvent[]>;
}
