// GitHub App installations of an organization: permissions, repository selection, suspension.
import type { Grant, Identity } from '../../../model/types.js';
import { installationId } from '../ids.js';
import { githubIdentity, isoTime, permissionList } from '../model.js';
import type { OrgReader } from '../reader.js';

/** An installation as `GET /orgs/{org}/installations` lists it (the fields agentaudit reads). */
export interface GithubInstallation {
  id: number;
  app_id: number;
  app_slug: string;
  client_id?: string;
  target_type: string;
  repository_selection: 'all' | 'selected';
  permissions: Record<string, string>;
  events: string[];
  created_at: string;
  updated_at: string;
  suspended_at: string | null;
  suspended_by?: { login: string } | null;
  html_url: string;
}

/** Reads the organization's installations (null when unreadable). */
export async function readInstallations(reader: OrgReader): Promise<GithubInstallation[] | null> {
  return reader.list<GithubInstallation>('GET /orgs/{org}/installations', { org: reader.org });
}

/** Whether a permission level is write or stronger (`repository_projects` and `organization_projects` have `admin`). */
const isWriteLevel = (level: string): boolean => level === 'write' || level === 'admin';

/**
 * One identity per installation (`github-app-installation`, named by the App's slug) and one grant per permission
 * (`contents:write`) on the organization's repositories (`org/*` for all, `org/(selected)` for a selection).
 * `installedBy` (from the audit log, when readable) becomes the owner.
 */
export function installationRows(
  org: string,
  installations: readonly GithubInstallation[],
  installedBy: ReadonlyMap<string, string> = new Map(),
): { identities: Identity[]; grants: Grant[] } {
  const identities: Identity[] = [];
  const grants: Grant[] = [];
  for (const installation of installations) {
    const id = installationId(installation.id);
    const permissions = permissionList(installation.permissions);
    const writePermissions = permissions.filter((p) => isWriteLevel(p.slice(p.lastIndexOf(':') + 1)));
    const owner = installedBy.get(installation.app_slug.toLowerCase()) ?? null;
    identities.push(
      githubIdentity({
        id,
        kind: 'github-app-installation',
        name: installation.app_slug,
        account: org,
        arn: installation.html_url,
        owner,
        ownerSource: owner ? 'audit-log:installed-by' : null,
        createdAt: isoTime(installation.created_at),
        attributes: {
          installation_id: installation.id,
          app_id: installation.app_id,
          app_slug: installation.app_slug,
          target_type: installation.target_type,
          repository_selection: installation.repository_selection,
          permissions: installation.permissions,
          write_permissions: writePermissions,
          events: installation.events,
          suspended: installation.suspended_at !== null,
          suspended_at: isoTime(installation.suspended_at),
          suspended_by: installation.suspended_by?.login ?? null,
          updated_at: isoTime(installation.updated_at),
        },
      }),
    );
    const resource = installation.repository_selection === 'all' ? `${org}/*` : `${org}/(selected)`;
    for (const permission of permissions) {
      grants.push({
        identityId: id,
        permission,
        resource,
        effect: 'allow',
        notAction: false,
        sourcePolicy: 'installation permissions',
        conditional: false,
      });
    }
  }
  return { identities, grants };
}
