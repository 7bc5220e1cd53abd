// Workflow jobs → identities (`github-workflow`: the job's GITHUB_TOKEN) with their effective permissions as grants.
import type { Grant, Identity, JsonObject } from '../../../model/types.js';
import { workflowJobId } from '../ids.js';
import { githubIdentity } from '../model.js';
import type { JobAnalysis, WorkflowContext } from './analyze.js';
import { grantedScopes } from './permissions.js';

/**
 * One identity per job. The token is minted and revoked by GitHub for each run, so the identity is marked
 * `service_linked` (managed by the provider: no owner to record, nothing to rotate) and carries what rules and
 * right-sizing read: effective permissions and their source, needed permissions, write scopes no step needs, a
 * suggested `permissions:` block, pull_request_target head checkouts, secrets in reach and OIDC role uses.
 */
export function workflowRows(
  context: WorkflowContext,
  workflowName: string | null,
  htmlUrl: string | null,
  jobs: readonly JobAnalysis[],
): { identities: Identity[]; grants: Grant[] } {
  const identities: Identity[] = [];
  const grants: Grant[] = [];
  const repository = `${context.org}/${context.repo}`;
  for (const job of jobs) {
    const id = workflowJobId(context.org, context.repo, context.path, job.job);
    const effective = job.effective ? (grantedScopes(job.effective) as JsonObject) : null;
    identities.push(
      githubIdentity({
        id,
        kind: 'github-workflow',
        name: `${context.repo}/${context.path}#${job.job}`,
        account: context.org,
        arn: htmlUrl ? `${htmlUrl}#${job.job}` : null,
        purpose: workflowName ? `${workflowName}${job.jobName ? ` / ${job.jobName}` : ''}` : job.jobName,
        attributes: {
          service_linked: true,
          repository,
          workflow_path: context.path,
          workflow_name: workflowName,
          job: job.job,
          triggers: job.triggers,
          permissions_source: job.permissionsSource,
          permissions_shorthand: job.shorthand,
          default_workflow_permissions: context.defaults?.mode ?? null,
          effective_permissions: effective,
          write_all: job.writeAll,
          write_scopes: job.writeScopes,
          needed_permissions: job.needed as JsonObject,
          unknown_needs: job.unknownNeeds,
          unneeded_write: job.unneededWrite,
          suggested_permissions: job.suggestedBlock,
          pull_request_target_head_checkout: job.privilegedHeadCheckout !== null,
          head_checkout: job.privilegedHeadCheckout ? { ...job.privilegedHeadCheckout } : null,
          secrets_in_reach: job.secretsInReach,
          oidc_roles: job.oidcRoles.map((use) => ({ ...use })),
          oidc_subjects: job.oidcSubjects,
          id_token_write: job.idTokenWrite,
          problems: job.problems,
        },
      }),
    );
    for (const [scope, level] of Object.entries(effective ?? {})) {
      grants.push({
        identityId: id,
        permission: `${scope}:${String(level)}`,
        resource: repository,
        effect: 'allow',
        notAction: false,
        sourcePolicy:
          job.permissionsSource === 'job' || job.permissionsSource === 'workflow'
            ? `${job.permissionsSource} permissions`
            : `${job.permissionsSource} (${context.defaults?.mode ?? 'unknown'})`,
        conditional: false,
      });
    }
  }
  return { identities, grants };
}
