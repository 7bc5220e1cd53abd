// OpenAI records to model rows: admin keys, user-owned project keys (personal) and service accounts with their keys.
import { secretFingerprint } from '../../model/ids.js';
import { matchesRedacted, redactedKeyHint } from '../../model/keyFormats.js';
import { credentialRow, identityRow } from '../../model/rows.js';
import type { Credential, Grant, Identity, Inventory, JsonObject } from '../../model/types.js';
import { unixSecondsToIso } from '../http/apiSession.js';
import type { OpenAiOrganization, OpenAiProject, OpenAiProjectKey, OpenAiUser } from './types.js';

const projectName = (project: OpenAiProject): string => project.name ?? project.id;

function ownerOfUser(
  users: Map<string, OpenAiUser> | null,
  id: string | undefined,
  fallback: { email?: string; name?: string },
): { owner: string | null; attributes: JsonObject } {
  if (!id) return { owner: null, attributes: {} };
  const member = users?.get(id);
  const owner = member?.email ?? fallback.email ?? fallback.name ?? id;
  if (users === null) return { owner, attributes: { owner_user_id: id } };
  return {
    owner,
    attributes: member
      ? { owner_user_id: id, owner_active: true, owner_status: `member (${member.role ?? 'reader'})` }
      : {
          owner_user_id: id,
          owner_active: false,
          owner_status: `its owner ${owner} is no longer a member of the organization`,
        },
  };
}

function keyCredential(
  id: string,
  identityId: string,
  kind: string,
  key: {
    id: string;
    redacted_value?: string;
    created_at?: number;
    last_used_at?: number | null;
    expires_at?: number | null;
  },
  extra: JsonObject,
  adminKey: string,
): Credential {
  const { keyPrefix, hint } = redactedKeyHint(key.redacted_value);
  // The key agentaudit was given is recognised by its redacted form, so a copy found on disk matches exactly.
  const ours = key.redacted_value ? matchesRedacted(adminKey, key.redacted_value) : false;
  return credentialRow({
    id,
    identityId,
    kind,
    keyId: key.id,
    createdAt: unixSecondsToIso(key.created_at),
    lastUsedAt: unixSecondsToIso(key.last_used_at),
    expiresAt: unixSecondsToIso(key.expires_at),
    status: 'active',
    fingerprint: ours ? secretFingerprint(adminKey) : null,
    hint,
    attributes: {
      key_prefix: keyPrefix,
      usage_tracked: true,
      ...(ours ? { used_by_agentaudit: true } : {}),
      ...extra,
    },
  });
}

/** The inventory of one OpenAI organization. Pure; `adminKey` is only compared in memory, never kept. */
export function openAiInventory(organization: OpenAiOrganization, adminKey: string): Partial<Inventory> {
  const identities: Identity[] = [];
  const credentials: Credential[] = [];
  const grants: Grant[] = [];
  const users = organization.users;

  for (const key of organization.adminKeys) {
    const id = `openai:admin-api-key:${key.id}`;
    const owner = ownerOfUser(users, key.owner?.id, { name: key.owner?.name });
    identities.push(
      identityRow({
        id,
        provider: 'openai',
        kind: 'admin-api-key',
        name: key.name ?? key.id,
        account: 'organization',
        arn: `openai://organization/admin-api-keys/${key.id}`,
        owner: owner.owner,
        ownerSource: owner.owner ? 'openai:owner' : null,
        createdAt: unixSecondsToIso(key.created_at),
        lastUsedAt: unixSecondsToIso(key.last_used_at),
        expiresAt: unixSecondsToIso(key.expires_at),
        attributes: {
          personal: key.owner?.type !== 'service_account',
          owner_role: key.owner?.role ?? null,
          ...owner.attributes,
        },
      }),
    );
    credentials.push(keyCredential(id, id, 'admin-api-key', key, {}, adminKey));
    grants.push({
      identityId: id,
      permission: 'organization:admin',
      resource: 'organization',
      effect: 'allow',
      notAction: false,
      sourcePolicy: 'openai:admin-api-key',
      conditional: false,
    });
  }

  for (const { project, keys, serviceAccounts } of organization.projects) {
    const name = projectName(project);
    const accountIds = new Set<string>();
    for (const account of serviceAccounts) {
      const id = `openai:service-account:${account.id}`;
      accountIds.add(account.id);
      identities.push(
        identityRow({
          id,
          provider: 'openai',
          kind: 'service-account',
          name: account.name ?? account.id,
          account: name,
          arn: `openai://projects/${project.id}/service-accounts/${account.id}`,
          createdAt: unixSecondsToIso(account.created_at),
          attributes: { project_id: project.id, project_name: name, role: account.role ?? null },
        }),
      );
      if (account.role) grants.push(projectRole(id, account.role, project));
    }
    for (const key of keys)
      credentialsOfKey(key, project, accountIds, users, adminKey, identities, credentials, grants);
  }
  return { identities, credentials, grants };
}

function projectRole(identityId: string, role: string, project: OpenAiProject): Grant {
  return {
    identityId,
    permission: `project-role:${role}`,
    resource: project.id,
    effect: 'allow',
    notAction: false,
    sourcePolicy: `openai:project:${projectName(project)}`,
    conditional: false,
  };
}

function credentialsOfKey(
  key: OpenAiProjectKey,
  project: OpenAiProject,
  accountIds: Set<string>,
  users: Map<string, OpenAiUser> | null,
  adminKey: string,
  identities: Identity[],
  credentials: Credential[],
  grants: Grant[],
): void {
  const name = projectName(project);
  const extra = { project_id: project.id, project_name: name, key_name: key.name ?? null };
  const account = key.owner?.service_account;
  if (key.owner?.type === 'service_account' && account) {
    const identityId = `openai:service-account:${account.id}`;
    if (!accountIds.has(account.id)) {
      // A key of a service account the listing did not return (partial listing): keep the account from the key.
      accountIds.add(account.id);
      identities.push(
        identityRow({
          id: identityId,
          provider: 'openai',
          kind: 'service-account',
          name: account.name ?? account.id,
          account: name,
          arn: `openai://projects/${project.id}/service-accounts/${account.id}`,
          createdAt: unixSecondsToIso(account.created_at),
          attributes: { project_id: project.id, project_name: name, role: account.role ?? null },
        }),
      );
      if (account.role) grants.push(projectRole(identityId, account.role, project));
    }
    credentials.push(keyCredential(`openai:api-key:${key.id}`, identityId, 'api-key', key, extra, adminKey));
    return;
  }
  const user = key.owner?.user;
  const id = `openai:api-key:${key.id}`;
  const owner = ownerOfUser(users, user?.id, { email: user?.email, name: user?.name });
  const attributes: JsonObject = {
    // A user's project key acts with that user's access to the project.
    personal: true,
    project_id: project.id,
    project_name: name,
    owner_project_access: key.owner_project_access ?? null,
    ...owner.attributes,
  };
  if (key.owner_project_access === 'inactive') {
    attributes.owner_active = false;
    attributes.owner_status = `its owner ${owner.owner ?? 'unknown'} no longer has access to project ${name}`;
  }
  identities.push(
    identityRow({
      id,
      provider: 'openai',
      kind: 'api-key',
      name: key.name ?? key.id,
      account: name,
      arn: `openai://projects/${project.id}/api-keys/${key.id}`,
      owner: owner.owner,
      ownerSource: owner.owner ? 'openai:owner' : null,
      createdAt: unixSecondsToIso(key.created_at),
      lastUsedAt: unixSecondsToIso(key.last_used_at),
      expiresAt: unixSecondsToIso(key.expires_at),
      attributes,
    }),
  );
  credentials.push(keyCredential(id, id, 'api-key', key, extra, adminKey));
  if (user?.role) grants.push(projectRole(id, user.role, project));
}
