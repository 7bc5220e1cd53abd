// Reads every repository of an organization and, per repository, its deploy keys, secrets, environments, webhooks,
// outside collaborators, Actions settings and workflow files.
import type { Resource } from '../../../model/types.js';
import { repositoryId } from '../ids.js';
import { mapWithLimit } from '../model.js';
import type { OrgReader } from '../reader.js';
import type { RepositoryCollaborator } from './people.js';

/** A repository as `GET /orgs/{org}/repos` lists it (the fields agentaudit reads). */
export interface GithubRepository {
  id: number;
  name: string;
  full_name: string;
  private: boolean;
  fork: boolean;
  html_url: string;
  archived?: boolean;
  disabled?: boolean;
  visibility?: string;
  default_branch?: string;
}

/** A deploy key (`GET /repos/{owner}/{repo}/keys`). */
export interface GithubDeployKey {
  id: number;
  key: string;
  title: string;
  verified: boolean;
  created_at: string;
  read_only: boolean;
  added_by?: string | null;
  last_used?: string | null;
  enabled?: boolean;
}

/** An Actions secret's metadata (never its value: GitHub does not return it). */
export interface GithubSecret {
  name: string;
  created_at: string;
  updated_at: string;
  visibility?: 'all' | 'private' | 'selected';
}

/** A webhook of a repository or organization. `config.secret` is `********` when set. */
export interface GithubHook {
  id: number;
  name: string;
  active: boolean;
  events: string[];
  config: { url?: string; content_type?: string; secret?: string; insecure_ssl?: string | number };
  created_at: string;
  updated_at: string;
  type?: string;
}

/** Default permissions of the workflow token (`…/actions/permissions/workflow`). */
export interface WorkflowTokenDefaults {
  default_workflow_permissions: 'read' | 'write';
  can_approve_pull_request_reviews: boolean;
}

/** OIDC subject claim customisation of a repository. */
export interface RepositoryOidcSubject {
  use_default: boolean;
  include_claim_keys?: string[];
}

/** One workflow file's text. */
export interface WorkflowFile {
  path: string;
  text: string;
  sha: string;
  htmlUrl: string | null;
}

/** Everything read about one repository; null where the endpoint could not be read. */
export interface RepositoryFacts {
  repository: GithubRepository;
  deployKeys: GithubDeployKey[] | null;
  secrets: GithubSecret[] | null;
  environments: { name: string; secrets: GithubSecret[] | null }[] | null;
  workflowDefaults: WorkflowTokenDefaults | null;
  oidcSubject: RepositoryOidcSubject | null;
  hooks: GithubHook[] | null;
  outsideCollaborators: RepositoryCollaborator[] | null;
  workflows: WorkflowFile[] | null;
}

interface ContentEntry {
  type: string;
  name: string;
  path: string;
  sha: string;
  content?: string;
  encoding?: string;
  html_url: string | null;
}

/**
 * The repositories as resources: visibility and the outside collaborators who can open issues, comment and push,
 * which is what makes content in them untrusted for an agent that reads it. `outside_collaborators` is null when the
 * token could not list them.
 */
export function repositoryRows(org: string, facts: readonly RepositoryFacts[]): Resource[] {
  return facts.map(({ repository, outsideCollaborators }) => {
    const visibility = repository.visibility ?? (repository.private ? 'private' : 'public');
    return {
      id: repositoryId(org, repository.name),
      provider: 'github',
      kind: 'repository',
      name: repository.full_name,
      account: org,
      attributes: {
        visibility,
        public: visibility === 'public',
        archived: repository.archived ?? false,
        fork: repository.fork,
        outside_collaborators:
          outsideCollaborators === null
            ? null
            : outsideCollaborators.map((c) => ({ login: c.login, role: c.role_name ?? null })),
      },
    };
  });
}

/** Repositories read in parallel: enough to hide latency, few enough not to trip the secondary rate limit. */
const REPOSITORY_CONCURRENCY = 4;

/** Reads the organization's repositories (null when unreadable). */
export async function readRepositories(reader: OrgReader): Promise<GithubRepository[] | null> {
  return reader.list<GithubRepository>('GET /orgs/{org}/repos', { org: reader.org, type: 'all' });
}

/** Reads every repository's facts, a few repositories at a time; `progress` is told after each. */
export async function readRepositoryFacts(
  reader: OrgReader,
  repositories: readonly GithubRepository[],
  progress: (done: number) => void,
): Promise<RepositoryFacts[]> {
  let done = 0;
  return mapWithLimit(repositories, REPOSITORY_CONCURRENCY, async (repository) => {
    const facts = await readOneRepository(reader, repository);
    progress((done += 1));
    return facts;
  });
}

async function readOneRepository(reader: OrgReader, repository: GithubRepository): Promise<RepositoryFacts> {
  const at = { owner: reader.org, repo: repository.name };
  const [
    deployKeys,
    secrets,
    environments,
    workflowDefaults,
    oidcSubject,
    hooks,
    outsideCollaborators,
    workflows,
  ] = await Promise.all([
    reader.list<GithubDeployKey>('GET /repos/{owner}/{repo}/keys', at),
    reader.list<GithubSecret>('GET /repos/{owner}/{repo}/actions/secrets', at),
    readEnvironments(reader, at),
    reader.get<WorkflowTokenDefaults>('GET /repos/{owner}/{repo}/actions/permissions/workflow', at),
    reader.get<RepositoryOidcSubject>('GET /repos/{owner}/{repo}/actions/oidc/customization/sub', at),
    reader.list<GithubHook>('GET /repos/{owner}/{repo}/hooks', at),
    reader.list<RepositoryCollaborator>('GET /repos/{owner}/{repo}/collaborators', {
      ...at,
      affiliation: 'outside',
    }),
    repository.archived ? Promise.resolve([]) : readWorkflowFiles(reader, at),
  ]);
  return {
    repository,
    deployKeys,
    secrets,
    environments,
    workflowDefaults,
    oidcSubject,
    hooks,
    outsideCollaborators,
    workflows,
  };
}

async function readEnvironments(
  reader: OrgReader,
  at: { owner: string; repo: string },
): Promise<RepositoryFacts['environments']> {
  const environments = await reader.list<{ name: string }>('GET /repos/{owner}/{repo}/environments', at);
  if (environments === null) return null;
  return Promise.all(
    environments.map(async (environment) => ({
      name: environment.name,
      secrets: await reader.list<GithubSecret>(
        'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets',
        {
          ...at,
          environment_name: environment.name,
        },
      ),
    })),
  );
}

/** The YAML files of `.github/workflows` (a repository without the folder has none: its 404 is not a gap). */
async function readWorkflowFiles(
  reader: OrgReader,
  at: { owner: string; repo: string },
): Promise<WorkflowFile[] | null> {
  const folder = await reader.get<ContentEntry[] | ContentEntry>(
    'GET /repos/{owner}/{repo}/contents/{path}',
    { ...at, path: '.github/workflows' },
    { whenNotFound: [] },
  );
  if (folder === null) return null;
  if (!Array.isArray(folder)) return [];
  const files = folder
    .filter((entry) => entry.type === 'file' && /\.ya?ml$/i.test(entry.name))
    .sort((a, b) => a.path.localeCompare(b.path));
  const read = await Promise.all(
    files.map(async (entry) => {
      const file = await reader.get<ContentEntry>('GET /repos/{owner}/{repo}/contents/{path}', {
        ...at,
        path: entry.path,
      });
      if (!file || typeof file.content !== 'string') return null;
      const text =
        file.encoding === 'base64' ? Buffer.from(file.content, 'base64').toString('utf8') : file.content;
      return { path: entry.path, text, sha: file.sha, htmlUrl: file.html_url };
    }),
  );
  return read.filter((file): file is WorkflowFile => file !== null);
}
