// Deploy keys of repositories → identities (owned by whoever added them), SSH key credentials, contents grants.
import { createHash } from 'node:crypto';
import type { Credential, Grant, Identity } from '../../../model/types.js';
import { deployKeyCredentialId, deployKeyId } from '../ids.js';
import { githubCredential, githubIdentity, isoTime } from '../model.js';
import type { RepositoryFacts } from './repositories.js';

/**
 * The OpenSSH SHA256 fingerprint of a public key line (`ssh-ed25519 AAAA… comment`): `SHA256:` + unpadded base64
 * of the sha256 of the key blob, as `ssh-keygen -l` prints it and GitHub's audit log records it. A public key is
 * not a secret; its fingerprint identifies it. Null when the line is not a key.
 */
export function sshKeyFingerprint(publicKey: string): string | null {
  const blob = publicKey.trim().split(/\s+/)[1];
  if (!blob || !/^[A-Za-z0-9+/]+=*$/.test(blob)) return null;
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** One identity, credential and grant per deploy key of every repository read. */
export function deployKeyRows(
  org: string,
  repositories: readonly RepositoryFacts[],
): { identities: Identity[]; credentials: Credential[]; grants: Grant[] } {
  const identities: Identity[] = [];
  const credentials: Credential[] = [];
  const grants: Grant[] = [];
  for (const facts of repositories) {
    const repo = facts.repository.name;
    for (const key of facts.deployKeys ?? []) {
      const id = deployKeyId(org, repo, key.id);
      const access = key.read_only ? 'contents:read' : 'contents:write';
      const createdAt = isoTime(key.created_at);
      const lastUsedAt = isoTime(key.last_used);
      const addedBy = key.added_by?.trim() || null;
      identities.push(
        githubIdentity({
          id,
          kind: 'deploy-key',
          name: `${repo}/${key.title}`,
          account: org,
          owner: addedBy,
          ownerSource: addedBy ? 'added_by' : null,
          purpose: key.title,
          createdAt,
          lastUsedAt,
          attributes: {
            repository: `${org}/${repo}`,
            key_id: key.id,
            title: key.title,
            read_only: key.read_only,
            write_access: !key.read_only,
            verified: key.verified,
            enabled: key.enabled ?? true,
            archived_repository: facts.repository.archived === true,
          },
        }),
      );
      credentials.push(
        githubCredential({
          id: deployKeyCredentialId(org, repo, key.id),
          identityId: id,
          kind: 'ssh-deploy-key',
          keyId: String(key.id),
          createdAt,
          lastUsedAt,
          status: key.enabled === false ? 'inactive' : 'active',
          scopes: [access],
          fingerprint: sshKeyFingerprint(key.key),
          attributes: { key_type: key.key.trim().split(/\s+/)[0] ?? null },
        }),
      );
      grants.push({
        identityId: id,
        permission: access,
        resource: `${org}/${repo}`,
        effect: 'allow',
        notAction: false,
        sourcePolicy: key.read_only ? 'deploy key (read-only)' : 'deploy key (read/write)',
        conditional: false,
      });
    }
  }
  return { identities, credentials, grants };
}
