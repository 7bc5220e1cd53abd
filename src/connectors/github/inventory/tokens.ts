// Personal credentials with access to an organization: fine-grained PATs and their pending requests, and the
// classic PATs, SSH keys and OAuth tokens members authorized for SAML single sign-on.
import type { Credential, Grant, Identity } from '../../../model/types.js';
import { fineGrainedPatId, fineGrainedPatTokenId, patRequestId, samlCredentialId } from '../ids.js';
import { githubCredential, githubIdentity, isoTime } from '../model.js';
import type { OrgReader } from '../reader.js';
import { loadPermissionTable } from '../usage/permissionTable.js';

/** A fine-grained PAT grant (`GET /orgs/{org}/personal-access-tokens`) or request (`…-requests`). */
export interface GithubPatGrant {
  id: number;
  owner: { login: string; id: number };
  repository_selection: 'none' | 'all' | 'subset';
  permissions: {
    organization?: Record<string, string>;
    repository?: Record<string, string>;
    other?: Record<string, string>;
  };
  token_id: number;
  token_name: string;
  token_expired: boolean;
  token_expires_at: string | null;
  token_last_used_at: string | null;
  /** Grants only. */
  access_granted_at?: string;
  /** Requests only. */
  created_at?: string;
  reason?: string | null;
}

/** A credential authorized for SAML SSO (`GET /orgs/{org}/credential-authorizations`). */
export interface GithubCredentialAuthorization {
  login: string;
  credential_id: number;
  credential_type: string;
  /** The token's last eight characters: agentaudit keeps only the last four, as a hint. */
  token_last_eight?: string;
  credential_authorized_at: string;
  scopes?: string[];
  fingerprint?: string;
  credential_accessed_at: string | null;
  authorized_credential_id: number | null;
  authorized_credential_title?: string | null;
  authorized_credential_note?: string | null;
  authorized_credential_expires_at?: string | null;
}

/** Reads fine-grained PAT grants and requests (GitHub Apps only) and SAML credential authorizations. */
export async function readTokens(reader: OrgReader): Promise<{
  grants: GithubPatGrant[] | null;
  requests: GithubPatGrant[] | null;
  samlAuthorizations: GithubCredentialAuthorization[] | null;
}> {
  const org = { org: reader.org };
  const [grants, requests, samlAuthorizations] = await Promise.all([
    reader.list<GithubPatGrant>('GET /orgs/{org}/personal-access-tokens', org),
    reader.list<GithubPatGrant>('GET /orgs/{org}/personal-access-token-requests', org),
    reader.list<GithubCredentialAuthorization>('GET /orgs/{org}/credential-authorizations', org),
  ]);
  return { grants, requests, samlAuthorizations };
}

/**
 * A fine-grained PAT's permission key in the tables' vocabulary. The PAT API groups keys by scope and may write an
 * organization permission without its `organization_` prefix (`administration` under `organization` is the
 * table's `organization_administration`; `members` has no prefix anywhere).
 */
export function patPermissionKey(scope: 'organization' | 'repository' | 'other', key: string): string {
  if (scope !== 'organization' || key.startsWith('organization_') || key.startsWith('org_')) return key;
  const prefixed = `organization_${key}`;
  return loadPermissionTable('fine-grained-pat').keys.has(prefixed) ? prefixed : key;
}

/** The permission strings of a PAT grant, in the tables' vocabulary: `contents:write`, `members:read`. */
export function patPermissions(grant: GithubPatGrant): string[] {
  const list: string[] = [];
  for (const scope of ['organization', 'repository', 'other'] as const) {
    for (const [key, level] of Object.entries(grant.permissions[scope] ?? {})) {
      if (typeof level === 'string' && level !== 'none')
        list.push(`${patPermissionKey(scope, key)}:${level}`);
    }
  }
  return [...new Set(list)].sort();
}

function patStatus(grant: GithubPatGrant, asOf: string): Credential['status'] {
  if (grant.token_expired) return 'expired';
  const expires = isoTime(grant.token_expires_at);
  return expires !== null && expires <= asOf ? 'expired' : 'active';
}

/**
 * Identities of fine-grained PATs (`fine-grained-pat`, owned by the token's owner) and of pending requests
 * (`fine-grained-pat-request`), each with a credential fingerprinted by GitHub's token id and one grant per
 * permission.
 */
export function patRows(
  org: string,
  grants: readonly GithubPatGrant[],
  requests: readonly GithubPatGrant[],
  asOf: string,
): { identities: Identity[]; credentials: Credential[]; grants: Grant[] } {
  const identities: Identity[] = [];
  const credentials: Credential[] = [];
  const grantRows: Grant[] = [];
  for (const [list, pending] of [
    [grants, false],
    [requests, true],
  ] as const) {
    for (const grant of list) {
      const id = pending ? patRequestId(org, grant.id) : fineGrainedPatId(org, grant.token_id);
      const permissions = patPermissions(grant);
      const expiresAt = isoTime(grant.token_expires_at);
      const lastUsedAt = isoTime(grant.token_last_used_at);
      identities.push(
        githubIdentity({
          id,
          kind: pending ? 'fine-grained-pat-request' : 'fine-grained-pat',
          name: grant.token_name,
          account: org,
          owner: grant.owner.login,
          ownerSource: 'github:token-owner',
          purpose: pending ? (grant.reason ?? null) : null,
          createdAt: isoTime(pending ? grant.created_at : grant.access_granted_at),
          lastUsedAt,
          expiresAt,
          attributes: {
            token_id: grant.token_id,
            grant_id: grant.id,
            pending,
            repository_selection: grant.repository_selection,
            permissions,
            write_permissions: permissions.filter((p) => /:(write|admin)$/.test(p)),
            token_expired: grant.token_expired,
            ...(pending
              ? { requested_at: isoTime(grant.created_at) }
              : { access_granted_at: isoTime(grant.access_granted_at) }),
          },
        }),
      );
      if (!pending) {
        credentials.push(
          githubCredential({
            id: fineGrainedPatTokenId(org, grant.token_id),
            identityId: id,
            kind: 'fine-grained-pat',
            keyId: String(grant.token_id),
            createdAt: isoTime(grant.access_granted_at),
            lastUsedAt,
            expiresAt,
            status: patStatus(grant, asOf),
            scopes: permissions,
            fingerprint: `github-token-id:${grant.token_id}`,
          }),
        );
      }
      const resource =
        grant.repository_selection === 'all'
          ? `${org}/*`
          : grant.repository_selection === 'subset'
            ? `${org}/(selected)`
            : org;
      for (const permission of permissions) {
        grantRows.push({
          identityId: id,
          permission,
          resource,
          effect: 'allow',
          notAction: false,
          sourcePolicy: pending
            ? 'fine-grained PAT request (not yet approved)'
            : 'fine-grained PAT permissions',
          conditional: false,
        });
      }
    }
  }
  return { identities, credentials, grants: grantRows };
}

/** Identity kinds of the credential types GitHub lists for SAML SSO. */
const SAML_KINDS: Record<string, string> = {
  'personal access token': 'classic-pat',
  'ssh key': 'ssh-key',
  'oauth app token': 'oauth-app-token',
  'github app token': 'github-app-user-token',
};

/**
 * One identity per SAML-authorized credential (a classic PAT, SSH key, OAuth or App user token, owned by the member
 * who authorized it), a credential with GitHub's credential id as fingerprint and only the last four characters of
 * the token as a hint, and one grant per OAuth scope (`repo`, `admin:org`).
 */
export function samlRows(
  org: string,
  authorizations: readonly GithubCredentialAuthorization[],
  asOf: string,
): { identities: Identity[]; credentials: Credential[]; grants: Grant[] } {
  const identities: Identity[] = [];
  const credentials: Credential[] = [];
  const grants: Grant[] = [];
  for (const authorization of authorizations) {
    const kind = SAML_KINDS[authorization.credential_type.toLowerCase()] ?? 'sso-credential';
    const id = samlCredentialId(kind, org, authorization.credential_id);
    const scopes = [...(authorization.scopes ?? [])].sort();
    const hint = authorization.token_last_eight ? authorization.token_last_eight.slice(-4) : null;
    const label =
      authorization.authorized_credential_note ??
      authorization.authorized_credential_title ??
      (hint ? `${authorization.credential_type} …${hint}` : authorization.credential_type);
    const expiresAt = isoTime(authorization.authorized_credential_expires_at);
    const lastUsedAt = isoTime(authorization.credential_accessed_at);
    identities.push(
      githubIdentity({
        id,
        kind,
        name: `${authorization.login}/${label}`,
        account: org,
        owner: authorization.login,
        ownerSource: 'github:sso-authorized-by',
        createdAt: isoTime(authorization.credential_authorized_at),
        lastUsedAt,
        expiresAt,
        attributes: {
          credential_type: authorization.credential_type,
          credential_id: authorization.credential_id,
          authorized_credential_id: authorization.authorized_credential_id,
          sso_authorized_at: isoTime(authorization.credential_authorized_at),
          scopes,
        },
      }),
    );
    credentials.push(
      githubCredential({
        id: `${id}#credential`,
        identityId: id,
        kind,
        keyId:
          authorization.authorized_credential_id === null
            ? null
            : String(authorization.authorized_credential_id),
        createdAt: isoTime(authorization.credential_authorized_at),
        lastUsedAt,
        expiresAt,
        status: expiresAt !== null && expiresAt <= asOf ? 'expired' : 'active',
        scopes,
        fingerprint: authorization.fingerprint ?? `github-credential-id:${authorization.credential_id}`,
        hint,
      }),
    );
    for (const scope of scopes) {
      grants.push({
        identityId: id,
        permission: scope,
        resource: org,
        effect: 'allow',
        notAction: false,
        sourcePolicy: 'OAuth scopes',
        conditional: false,
      });
    }
  }
  return { identities, credentials, grants };
}
