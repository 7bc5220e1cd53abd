// Actions secrets at organization, repository and environment level → identities with a credential each (dates only:
// GitHub never returns a secret's value, and agentaudit would not keep it).
import type { Credential, Identity } from '../../../model/types.js';
import { actionsSecretId } from '../ids.js';
import { githubCredential, githubIdentity, isoTime } from '../model.js';
import type { OrgSecret } from './orgSettings.js';
import type { GithubSecret, RepositoryFacts } from './repositories.js';

/** Who last created or updated each secret, from the audit log: key `org/NAME`, `org/repo/NAME`, … (lower-case). */
export type SecretActors = ReadonlyMap<string, string>;

/** The key `SecretActors` uses for a secret id. */
export const secretActorKey = (id: string): string => id.slice('github:actions-secret:'.length).toLowerCase();

function secretRows(
  id: string,
  name: string,
  org: string,
  secret: GithubSecret,
  attributes: Identity['attributes'],
  actors: SecretActors,
): { identity: Identity; credential: Credential } {
  const owner = actors.get(secretActorKey(id)) ?? null;
  const updatedAt = isoTime(secret.updated_at);
  return {
    identity: githubIdentity({
      id,
      kind: 'actions-secret',
      name,
      account: org,
      owner,
      ownerSource: owner ? 'audit-log:last-updated-by' : null,
      createdAt: isoTime(secret.created_at),
      attributes: { secret_name: secret.name, updated_at: updatedAt, ...attributes },
    }),
    credential: githubCredential({
      id: `${id}#value`,
      identityId: id,
      kind: 'actions-secret',
      createdAt: isoTime(secret.created_at),
      lastRotatedAt: updatedAt,
    }),
  };
}

/** Identities and credentials of every organization, repository and environment secret read. */
export function actionsSecretRows(
  org: string,
  orgSecrets: readonly OrgSecret[] | null,
  repositories: readonly RepositoryFacts[],
  actors: SecretActors = new Map(),
): { identities: Identity[]; credentials: Credential[] } {
  const identities: Identity[] = [];
  const credentials: Credential[] = [];
  const push = (rows: { identity: Identity; credential: Credential }): void => {
    identities.push(rows.identity);
    credentials.push(rows.credential);
  };
  for (const secret of orgSecrets ?? []) {
    push(
      secretRows(
        actionsSecretId(org, secret.name),
        `${org}/${secret.name}`,
        org,
        secret,
        {
          scope: 'organization',
          visibility: secret.visibility ?? null,
          selected_repositories: secret.selectedRepositories,
        },
        actors,
      ),
    );
  }
  for (const facts of repositories) {
    const repo = facts.repository.name;
    for (const secret of facts.secrets ?? []) {
      push(
        secretRows(
          actionsSecretId(org, secret.name, repo),
          `${repo}/${secret.name}`,
          org,
          secret,
          {
            scope: 'repository',
            repository: `${org}/${repo}`,
          },
          actors,
        ),
      );
    }
    for (const environment of facts.environments ?? []) {
      for (const secret of environment.secrets ?? []) {
        push(
          secretRows(
            actionsSecretId(org, secret.name, repo, environment.name),
            `${repo}/${environment.name}/${secret.name}`,
            org,
            secret,
            { scope: 'environment', repository: `${org}/${repo}`, environment: environment.name },
            actors,
          ),
        );
      }
    }
  }
  return { identities, credentials };
}
