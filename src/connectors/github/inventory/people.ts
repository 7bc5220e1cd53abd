// Members and outside collaborators of an organization: the people GitHub credentials are owned by.
import { personId } from '../../../model/ids.js';
import type { Grant, Identity, Person } from '../../../model/types.js';
import { outsideCollaboratorId } from '../ids.js';
import { githubIdentity } from '../model.js';
import type { OrgReader } from '../reader.js';

/** A user as GitHub lists them (the fields agentaudit reads). */
export interface GithubUser {
  login: string;
  id: number;
  name?: string | null;
  email?: string | null;
  type?: string;
}

/** A repository collaborator with the role they hold. */
export interface RepositoryCollaborator extends GithubUser {
  role_name?: string;
  permissions?: { admin?: boolean; maintain?: boolean; push?: boolean; triage?: boolean; pull?: boolean };
}

/** The people of an organization: members (null when unreadable) and outside collaborators. */
export interface OrgPeople {
  members: GithubUser[] | null;
  outsideCollaborators: GithubUser[] | null;
}

/** Reads members and outside collaborators. */
export async function readOrgPeople(reader: OrgReader): Promise<OrgPeople> {
  const [members, outsideCollaborators] = await Promise.all([
    reader.list<GithubUser>('GET /orgs/{org}/members', { org: reader.org }),
    reader.list<GithubUser>('GET /orgs/{org}/outside_collaborators', { org: reader.org }),
  ]);
  return { members, outsideCollaborators };
}

/**
 * People rows: each member and outside collaborator as `personId(login)` (the id the people connector gives a
 * directory row with a `login` column), status active, source `github:ORG` for members and
 * `github:ORG:outside-collaborator` for outside collaborators, so owner rules can tell them apart.
 */
export function peopleRows(org: string, people: OrgPeople): Person[] {
  const rows: Person[] = [];
  for (const member of people.members ?? []) {
    rows.push({
      id: personId(member.login),
      name: member.name ?? member.login,
      email: member.email ?? null,
      status: 'active',
      source: `github:${org}`,
    });
  }
  const members = new Set(rows.map((row) => row.id));
  for (const user of people.outsideCollaborators ?? []) {
    if (members.has(personId(user.login))) continue;
    rows.push({
      id: personId(user.login),
      name: user.name ?? user.login,
      email: user.email ?? null,
      status: 'active',
      source: `github:${org}:outside-collaborator`,
    });
  }
  return rows;
}

/** The role names GitHub gives repository access, strongest first. */
const ROLE_ORDER = ['admin', 'maintain', 'write', 'triage', 'read'];

function roleOf(collaborator: RepositoryCollaborator): string {
  if (collaborator.role_name) return collaborator.role_name;
  const p = collaborator.permissions ?? {};
  if (p.admin) return 'admin';
  if (p.maintain) return 'maintain';
  if (p.push) return 'write';
  if (p.triage) return 'triage';
  return 'read';
}

/**
 * One identity per outside collaborator who holds any repository (a person, `isHuman`), with the repositories and
 * roles as attributes and grants (`repository:admin` on `org/repo`), so a rule can find outside admins.
 */
export function outsideCollaboratorRows(
  org: string,
  byRepository: ReadonlyMap<string, readonly RepositoryCollaborator[]>,
): { identities: Identity[]; grants: Grant[] } {
  const holdings = new Map<
    string,
    { user: RepositoryCollaborator; repositories: { repository: string; role: string }[] }
  >();
  for (const [repository, collaborators] of byRepository) {
    for (const user of collaborators) {
      const key = user.login.toLowerCase();
      const entry = holdings.get(key) ?? { user, repositories: [] };
      entry.repositories.push({ repository: `${org}/${repository}`, role: roleOf(user) });
      holdings.set(key, entry);
    }
  }
  const identities: Identity[] = [];
  const grants: Grant[] = [];
  for (const { user, repositories } of [...holdings.values()].sort((a, b) =>
    a.user.login.localeCompare(b.user.login),
  )) {
    const id = outsideCollaboratorId(org, user.login);
    repositories.sort((a, b) => a.repository.localeCompare(b.repository));
    const admin = repositories.filter((r) => r.role === 'admin').map((r) => r.repository);
    identities.push(
      githubIdentity({
        id,
        kind: 'outside-collaborator',
        name: user.login,
        account: org,
        arn: `https://github.com/${user.login}`,
        isHuman: true,
        owner: user.login,
        ownerSource: 'self',
        attributes: {
          login: user.login,
          repositories: repositories.map((r) => ({ repository: r.repository, role: r.role })),
          admin_repositories: admin,
          strongest_role:
            ROLE_ORDER.find((role) => repositories.some((r) => r.role === role)) ??
            repositories[0]?.role ??
            'read',
        },
      }),
    );
    for (const r of repositories) {
      grants.push({
        identityId: id,
        permission: `repository:${r.role}`,
        resource: r.repository,
        effect: 'allow',
        notAction: false,
        sourcePolicy: 'repository collaborator role',
        conditional: false,
      });
    }
  }
  return { identities, grants };
}
