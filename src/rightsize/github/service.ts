// Right-sizes a GitHub identity of a cached scan: a fine-grained PAT, an App installation, or a workflow's jobs.
import { UserError } from '../../errors/errors.js';
import { openDatabaseReadOnly } from '../../store/database.js';
import { findGithubIdentities, githubGrants, githubUsage } from '../../store/githubRightsizeReads.js';
import { getScan, latestFinishedScanId } from '../../store/reads.js';
import { analyzeGithubToken, analyzeGithubWorkflow, type GithubRightsize } from './analyze.js';

const TOKEN_KINDS = new Set(['fine-grained-pat', 'github-app-installation']);

/**
 * The GitHub right-sizing of what `selector` names (an id, name, or workflow file), or null when it names no GitHub
 * identity, so the caller can try other providers. Throws a UserError when it names several identities that are
 * not the jobs of one workflow, or a GitHub identity right-sizing does not cover.
 */
export function rightsizeGithubIdentity(
  dbPath: string,
  selector: string,
  options: { scanId?: number } = {},
): GithubRightsize | null {
  const db = openDatabaseReadOnly(dbPath);
  try {
    const scanId = options.scanId ?? latestFinishedScanId(db);
    if (scanId === null) return null;
    const scan = getScan(db, scanId);
    if (!scan) return null;
    const matches = findGithubIdentities(db, scanId, selector);
    if (matches.length === 0) return null;
    const workflows = matches.filter((match) => match.kind === 'github-workflow');
    if (workflows.length === matches.length) {
      const files = new Set(
        workflows.map((job) => `${job.attributes['repository']}/${job.attributes['workflow_path']}`),
      );
      if (files.size > 1) {
        throw new UserError(
          `"${selector}" names jobs of ${files.size} workflows in scan ${scanId}`,
          `pass one workflow file: ${[...files].join(', ')}`,
        );
      }
      return analyzeGithubWorkflow({ jobs: workflows, scan: { id: scanId, asOf: scan.asOf } });
    }
    if (matches.length > 1) {
      throw new UserError(
        `"${selector}" names ${matches.length} GitHub identities in scan ${scanId}`,
        `pass one id: ${matches.map((match) => match.id).join(', ')}`,
      );
    }
    const identity = matches[0]!;
    if (!TOKEN_KINDS.has(identity.kind)) {
      throw new UserError(
        `rightsize covers fine-grained PATs, App installations and workflows, not a ${identity.kind}`,
        'pass a fine-grained PAT, an App installation, or a workflow file such as REPO/.github/workflows/FILE.yml',
      );
    }
    return analyzeGithubToken({
      identity,
      scan: { id: scanId, asOf: scan.asOf, since: scan.since },
      grants: githubGrants(db, scanId, identity.id),
      usage: githubUsage(db, scanId, identity.id),
    });
  } finally {
    db.close();
  }
}
