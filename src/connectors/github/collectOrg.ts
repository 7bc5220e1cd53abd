// Collects one GitHub organization: every non-human credential, what each was granted, what it used, and the
// workflows' tokens; with coverage that says what the plan or the token could not reach.
import type { CollectContext, SourceResult } from '../contract.js';
import { errorMessage } from '../../errors/errors.js';
import { emptyInventory, type Identity, type InputError, type Inventory } from '../../model/types.js';
import { createGithubClient, type GithubClient, type GithubConnection } from './client.js';
import { deployKeyCredentialId, fineGrainedPatTokenId, installationId } from './ids.js';
import { installationRows, readInstallations } from './inventory/apps.js';
import { deployKeyRows, sshKeyFingerprint } from './inventory/deployKeys.js';
import { readOrgSettings } from './inventory/orgSettings.js';
import {
  outsideCollaboratorRows,
  peopleRows,
  readOrgPeople,
  type RepositoryCollaborator,
} from './inventory/people.js';
import {
  readRepositories,
  readRepositoryFacts,
  repositoryRows,
  type RepositoryFacts,
} from './inventory/repositories.js';
import { actionsSecretRows } from './inventory/secrets.js';
import { patRows, readTokens, samlRows } from './inventory/tokens.js';
import { webhookRows } from './inventory/webhooks.js';
import { linkWorkflowsToAwsRoles } from './link.js';
import { createOrgReader, type OrgReader } from './reader.js';
import { fingerprintKey, readAuditLog } from './usage/auditLog.js';
import { readRouteStats, type RouteStatsActor } from './usage/routeStats.js';
import { analyzeWorkflow, type WorkflowContext } from './workflows/analyze.js';
import { parseWorkflow } from './workflows/parse.js';
import { workflowRows } from './workflows/rows.js';

/** Collects `org` over `connection`. Never throws: what failed is in `errors`, what is unavailable in coverage. */
export async function collectGithubOrg(
  org: string,
  connection: GithubConnection,
  context: CollectContext,
): Promise<SourceResult> {
  const name = `github:${org}`;
  context.progress({ phase: 'start', message: `reading GitHub organization ${org}` });
  let client: GithubClient;
  try {
    client = await createGithubClient(org, connection, context.httpCache, context.snapshot);
  } catch (error) {
    return failed(name, org, `cannot authenticate as the GitHub App: ${errorMessage(error)}`);
  }
  const reader = createOrgReader(client, org);
  const organization = await reader.get<{ login: string; plan?: { name: string } }>('GET /orgs/{org}', {
    org,
  });
  if (organization === null) {
    const unavailable = reader.unavailable.get('GET /orgs/{org}');
    const errors: InputError[] = [
      ...reader.errors,
      ...(unavailable ? [{ file: `github:${org} GET /orgs/${org}`, message: unavailable.reason }] : []),
    ];
    return { ...failed(name, org, 'the organization could not be read'), errors };
  }

  const [people, installations, tokens, settings, repositories] = await Promise.all([
    readOrgPeople(reader),
    readInstallations(reader),
    readTokens(reader),
    readOrgSettings(reader),
    readRepositories(reader),
  ]);
  const repositoryFacts = await readRepositoryFacts(reader, repositories ?? [], (done) =>
    context.progress({
      phase: 'update',
      message: `${org}: repositories ${done}/${repositories?.length ?? 0}`,
      counts: { repositories: done },
    }),
  );

  const inventory: Inventory = emptyInventory();
  const add = (part: Partial<Inventory>): void => {
    inventory.identities.push(...(part.identities ?? []));
    inventory.credentials.push(...(part.credentials ?? []));
    inventory.grants.push(...(part.grants ?? []));
    inventory.usage.push(...(part.usage ?? []));
    inventory.people.push(...(part.people ?? []));
  };
  add({ people: peopleRows(org, people) });
  inventory.resources!.push(...repositoryRows(org, repositoryFacts));
  const collaborators = new Map<string, RepositoryCollaborator[]>();
  for (const facts of repositoryFacts) {
    if (facts.outsideCollaborators?.length)
      collaborators.set(facts.repository.name, facts.outsideCollaborators);
  }
  add(outsideCollaboratorRows(org, collaborators));
  const deployKeys = deployKeyRows(org, repositoryFacts);
  add(deployKeys);
  const pats = patRows(org, tokens.grants ?? [], tokens.requests ?? [], context.asOf);
  add(pats);
  add(samlRows(org, tokens.samlAuthorizations ?? [], context.asOf));

  // Usage: the audit log first (it also names who created hooks, installed Apps and set secrets).
  context.progress({ phase: 'update', message: `${org}: reading usage (audit log, API Insights)` });
  const audit = await readAuditLog(
    reader,
    {
      deployKeysByFingerprint: new Map(
        repositoryFacts.flatMap((facts) =>
          (facts.deployKeys ?? []).flatMap((key) => {
            const fingerprint = sshKeyFingerprint(key.key);
            const identity = deployKeys.identities.find((i) => i.attributes['key_id'] === key.id);
            return fingerprint && identity
              ? [
                  [
                    fingerprintKey(fingerprint),
                    {
                      identityId: identity.id,
                      credentialId: deployKeyCredentialId(org, facts.repository.name, key.id),
                    },
                  ] as const,
                ]
              : [];
          }),
        ),
      ),
      installationsBySlug: new Map(
        (installations ?? []).map((i) => [i.app_slug.toLowerCase(), installationId(i.id)]),
      ),
      patsByTokenId: new Map(
        (tokens.grants ?? []).map((grant) => [
          grant.token_id,
          {
            identityId: pats.identities.find(
              (i) => i.attributes['token_id'] === grant.token_id && i.kind === 'fine-grained-pat',
            )!.id,
            credentialId: fineGrainedPatTokenId(org, grant.token_id),
          },
        ]),
      ),
    },
    context.window,
  );
  const apps = installationRows(org, installations ?? [], audit.installedBy);
  add(apps);
  add(actionsSecretRows(org, settings.secrets, repositoryFacts, audit.secretActors));
  add(webhookRows(org, settings.hooks, repositoryFacts, audit.hookCreators));

  const actors: RouteStatsActor[] = [
    ...(installations ?? []).map((i) => ({
      kind: 'installation' as const,
      actorId: i.id,
      identityId: installationId(i.id),
      credentialId: null,
      granted: apps.grants.filter((g) => g.identityId === installationId(i.id)).map((g) => g.permission),
    })),
    ...pats.identities
      .filter((identity) => identity.kind === 'fine-grained-pat')
      .map((identity) => ({
        kind: 'fine-grained-pat' as const,
        actorId: identity.attributes['token_id'] as number,
        identityId: identity.id,
        credentialId: fineGrainedPatTokenId(org, identity.attributes['token_id'] as number),
        granted: pats.grants.filter((g) => g.identityId === identity.id).map((g) => g.permission),
      })),
  ];
  const routeStats = await readRouteStats(reader, actors, context.window);
  add({ usage: [...audit.usage, ...routeStats.usage] });
  markUsageObserved(inventory.identities, routeStats.observed, audit.read);

  const workflows = analyzeWorkflows(org, repositoryFacts, settings);
  add(workflows);

  const coverage = orgCoverage(org, connection, client, reader, {
    plan: organization.plan?.name ?? null,
    counts: {
      members: people.members?.length ?? null,
      outsideCollaborators: people.outsideCollaborators?.length ?? null,
      installations: installations?.length ?? null,
      fineGrainedPats: tokens.grants?.length ?? null,
      patRequests: tokens.requests?.length ?? null,
      samlCredentialAuthorizations: tokens.samlAuthorizations?.length ?? null,
      repositories: repositories?.length ?? null,
      deployKeys: deployKeys.identities.length,
      actionsSecrets: inventory.identities.filter((i) => i.kind === 'actions-secret').length,
      webhooks: inventory.identities.filter((i) => i.kind === 'webhook').length,
      workflowFiles: workflows.files,
      workflowJobs: workflows.identities.length,
      runnerGroups: settings.runnerGroups?.length ?? null,
    },
    settings: {
      defaultWorkflowPermissions: settings.workflowDefaults?.default_workflow_permissions ?? null,
      canApprovePullRequestReviews: settings.workflowDefaults?.can_approve_pull_request_reviews ?? null,
      oidcSubjectClaims: settings.oidcSubject?.include_claim_keys ?? null,
      runnerGroups: (settings.runnerGroups ?? []).map((group) => ({
        name: group.name,
        visibility: group.visibility,
        default: group.default,
        allowsPublicRepositories: group.allows_public_repositories,
        restrictedToWorkflows: group.restricted_to_workflows ?? false,
      })),
    },
    usage: {
      auditLog: audit.read ? audit.counts : null,
      apiInsights: reader.unavailable.has('GET /orgs/{org}/insights/api/route-stats/{actor_type}/{actor_id}')
        ? null
        : routeStats.counts,
    },
    workflowProblems: workflows.problems,
  });
  context.progress({ phase: 'done', message: describe(org, inventory, reader) });
  return {
    name,
    inventory,
    coverage: { [name]: coverage },
    errors: reader.errors,
    detail: describe(org, inventory, reader),
    failed: reader.unauthorized && inventory.identities.length === 0,
    // What the plan or token cannot reach is partial coverage: not an error, and not a clean result either.
    partial: reader.unavailable.size > 0,
    link: linkWorkflowsToAwsRoles(org),
  };
}

function failed(name: string, org: string, message: string): SourceResult {
  return {
    name,
    inventory: {},
    coverage: { [name]: { org, errors: [{ file: name, message }] } },
    errors: [{ file: name, message }],
    detail: 'nothing could be read',
    failed: true,
  };
}

/**
 * Marks installations and fine-grained PATs whose usage could be read (`usage_observed`), so "never used" rules
 * skip the ones whose usage nobody could see instead of calling them unused.
 */
function markUsageObserved(
  identities: Identity[],
  observed: ReadonlySet<string>,
  auditLogRead: boolean,
): void {
  for (const identity of identities) {
    if (identity.kind !== 'github-app-installation' && identity.kind !== 'fine-grained-pat') continue;
    const sources = [
      ...(observed.has(identity.id) ? ['api-insights'] : []),
      ...(auditLogRead ? ['audit-log'] : []),
    ];
    identity.attributes['usage_observed'] = observed.has(identity.id);
    identity.attributes['usage_sources'] = sources;
  }
}

function analyzeWorkflows(
  org: string,
  repositories: readonly RepositoryFacts[],
  settings: Awaited<ReturnType<typeof readOrgSettings>>,
): Partial<Inventory> & {
  identities: Identity[];
  files: number;
  problems: { file: string; problem: string }[];
} {
  const identities: Identity[] = [];
  const grants: Inventory['grants'] = [];
  const problems: { file: string; problem: string }[] = [];
  let files = 0;
  const orgClaims = settings.oidcSubject?.include_claim_keys ?? null;
  const orgCustomised = orgClaims !== null && orgClaims.join(',') !== 'repo,context' && orgClaims.length > 0;
  for (const facts of repositories) {
    const repo = facts.repository.name;
    const defaults: WorkflowContext['defaults'] = facts.workflowDefaults
      ? { mode: facts.workflowDefaults.default_workflow_permissions, source: 'repository' }
      : settings.workflowDefaults
        ? { mode: settings.workflowDefaults.default_workflow_permissions, source: 'organization' }
        : null;
    const repoClaims =
      facts.oidcSubject && !facts.oidcSubject.use_default
        ? (facts.oidcSubject.include_claim_keys ?? [])
        : null;
    for (const file of facts.workflows ?? []) {
      files += 1;
      const parsed = parseWorkflow(file.text);
      if (!parsed.ok) {
        problems.push({ file: `${org}/${repo}/${file.path}`, problem: parsed.problem });
        continue;
      }
      const context: WorkflowContext = {
        org,
        repo,
        path: file.path,
        defaultBranch: facts.repository.default_branch ?? null,
        defaults,
        oidcClaimKeys: repoClaims ?? (orgCustomised ? orgClaims : null),
      };
      const rows = workflowRows(
        context,
        parsed.workflow.name,
        file.htmlUrl,
        analyzeWorkflow(parsed.workflow, context),
      );
      identities.push(...rows.identities);
      grants.push(...rows.grants);
    }
  }
  return { identities, grants, files, problems };
}

function orgCoverage(
  org: string,
  connection: GithubConnection,
  client: GithubClient,
  reader: OrgReader,
  facts: Record<string, unknown>,
): Record<string, unknown> {
  return {
    org,
    apiUrl: connection.apiUrl,
    auth: client.authKind,
    ...(client.installationId !== null ? { installationId: client.installationId } : {}),
    ...facts,
    endpoints: Object.fromEntries([...reader.calls.entries()].sort(([a], [b]) => a.localeCompare(b))),
    unavailable: [...reader.unavailable.values()],
    http: {
      ...client.stats,
      rateLimitWaits: client.rateLimits.waited.length,
      rateLimitGaveUp: client.rateLimits.gaveUp.length,
    },
    errors: reader.errors,
  };
}

const SHORT: Record<string, string> = {
  'GET /orgs/{org}/audit-log': 'audit log',
  'GET /orgs/{org}/credential-authorizations': 'SAML credential authorizations',
  'GET /orgs/{org}/personal-access-tokens': 'fine-grained PATs',
  'GET /orgs/{org}/personal-access-token-requests': 'fine-grained PAT requests',
  'GET /orgs/{org}/insights/api/route-stats/{actor_type}/{actor_id}': 'API Insights',
};

function describe(org: string, inventory: Inventory, reader: OrgReader): string {
  const byKind = new Map<string, number>();
  for (const identity of inventory.identities)
    byKind.set(identity.kind, (byKind.get(identity.kind) ?? 0) + 1);
  const kinds = [...byKind.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  const missing = [...reader.unavailable.values()].map(
    (entry) =>
      `${SHORT[entry.endpoint] ?? entry.endpoint} (${entry.status}${entry.count > 1 ? ` ×${entry.count}` : ''})`,
  );
  return `${org}: ${kinds || 'no identities'}${missing.length > 0 ? `; not readable with this plan or token: ${missing.join(', ')}` : ''}`;
}
