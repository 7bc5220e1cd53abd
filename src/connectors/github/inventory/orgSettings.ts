// Organization-level Actions settings and webhooks: secrets (and who may read them), default workflow token
// permissions, OIDC subject customisation, self-hosted runner groups, organization webhooks.
import type { OrgReader } from '../reader.js';
import type { GithubHook, GithubSecret, WorkflowTokenDefaults } from './repositories.js';

/** A self-hosted runner group (`GET /orgs/{org}/actions/runner-groups`). */
export interface GithubRunnerGroup {
  id: number;
  name: string;
  visibility: string;
  default: boolean;
  inherited: boolean;
  allows_public_repositories: boolean;
  restricted_to_workflows?: boolean;
  selected_workflows?: string[];
}

/** An organization secret with the repositories it is shared with (for `selected` visibility). */
export interface OrgSecret extends GithubSecret {
  /** Repository names for `selected` secrets; null when unreadable or not applicable. */
  selectedRepositories: string[] | null;
}

/** What the organization-level reads returned; null where unreadable. */
export interface OrgSettings {
  secrets: OrgSecret[] | null;
  workflowDefaults: WorkflowTokenDefaults | null;
  oidcSubject: { include_claim_keys: string[]; use_immutable_subject?: boolean } | null;
  runnerGroups: GithubRunnerGroup[] | null;
  hooks: GithubHook[] | null;
}

/** Reads the organization's Actions settings and webhooks. */
export async function readOrgSettings(reader: OrgReader): Promise<OrgSettings> {
  const org = { org: reader.org };
  const [secrets, workflowDefaults, oidcSubject, runnerGroups, hooks] = await Promise.all([
    reader.list<GithubSecret>('GET /orgs/{org}/actions/secrets', org),
    reader.get<WorkflowTokenDefaults>('GET /orgs/{org}/actions/permissions/workflow', org),
    reader.get<OrgSettings['oidcSubject']>('GET /orgs/{org}/actions/oidc/customization/sub', org),
    reader.list<GithubRunnerGroup>('GET /orgs/{org}/actions/runner-groups', org),
    reader.list<GithubHook>('GET /orgs/{org}/hooks', org),
  ]);
  const withRepositories =
    secrets === null
      ? null
      : await Promise.all(
          secrets.map(async (secret): Promise<OrgSecret> => {
            if (secret.visibility !== 'selected') return { ...secret, selectedRepositories: null };
            const repositories = await reader.list<{ name: string }>(
              'GET /orgs/{org}/actions/secrets/{secret_name}/repositories',
              { ...org, secret_name: secret.name },
            );
            return { ...secret, selectedRepositories: repositories?.map((r) => r.name).sort() ?? null };
          }),
        );
  return { secrets: withRepositories, workflowDefaults, oidcSubject, runnerGroups, hooks };
}
