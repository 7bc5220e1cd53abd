// Reads of the cache that GitHub right-sizing needs: GitHub identities by id, name or workflow file, with their
// attributes, grants and usage (which endpoint or audit-log action each use was).
import type { JsonObject } from '../model/types.js';
import type { Db } from './database.js';

/** A GitHub identity with the attributes right-sizing reads. */
export interface GithubIdentityRow {
  id: string;
  kind: string;
  name: string;
  account: string | null;
  arn: string | null;
  attributes: JsonObject;
}

/** One usage row of a GitHub identity. */
export interface GithubUsageRow {
  permission: string | null;
  eventSource: string;
  eventName: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
}

interface IdentityDbRow {
  id: string;
  kind: string;
  name: string;
  account: string | null;
  arn: string | null;
  attributes: string;
}

const toIdentity = (row: IdentityDbRow): GithubIdentityRow => ({
  ...row,
  attributes: JSON.parse(row.attributes) as JsonObject,
});

/**
 * GitHub identities of a scan that `selector` names: an id, ARN or name exactly; or a workflow file (`REPO/PATH`,
 * `ORG/REPO/PATH`, or a path such as `.github/workflows/deploy.yml` when only one repository has it), which names
 * every job of the file.
 */
export function findGithubIdentities(db: Db, scanId: number, selector: string): GithubIdentityRow[] {
  const exact = db
    .prepare(
      `SELECT id, kind, name, account, arn, attributes FROM identities
       WHERE scan_id = ? AND provider = 'github' AND (id = ? OR arn = ? OR name = ?) ORDER BY id`,
    )
    .all(scanId, selector, selector, selector) as IdentityDbRow[];
  if (exact.length > 0) return exact.map(toIdentity);
  const jobs = (
    db
      .prepare(
        `SELECT id, kind, name, account, arn, attributes FROM identities
         WHERE scan_id = ? AND provider = 'github' AND kind = 'github-workflow' ORDER BY id`,
      )
      .all(scanId) as IdentityDbRow[]
  ).map(toIdentity);
  const file = (job: GithubIdentityRow): string[] => {
    const repository = String(job.attributes['repository'] ?? '');
    const path = String(job.attributes['workflow_path'] ?? '');
    return [`${repository}/${path}`, `${repository.split('/').pop()}/${path}`, path];
  };
  const byFull = jobs.filter((job) => file(job).slice(0, 2).includes(selector));
  if (byFull.length > 0) return byFull;
  const byPath = jobs.filter((job) => file(job)[2] === selector);
  return new Set(byPath.map((job) => job.attributes['repository'])).size === 1 ? byPath : [];
}

/** The grants of one identity, as `key:level` strings. */
export function githubGrants(db: Db, scanId: number, identityId: string): string[] {
  return (
    db
      .prepare(`SELECT permission FROM grants WHERE scan_id = ? AND identity_id = ? ORDER BY permission`)
      .all(scanId, identityId) as { permission: string }[]
  ).map((row) => row.permission);
}

/** The usage rows of one identity. */
export function githubUsage(db: Db, scanId: number, identityId: string): GithubUsageRow[] {
  return db
    .prepare(
      `SELECT permission, event_source AS eventSource, event_name AS eventName, first_seen AS firstSeen,
         last_seen AS lastSeen, count
       FROM usage WHERE scan_id = ? AND identity_id = ? ORDER BY event_name, permission`,
    )
    .all(scanId, identityId) as GithubUsageRow[];
}
