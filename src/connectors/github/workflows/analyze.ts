// Analyses each job of a workflow: the token's effective permissions, what its steps need, write scopes nobody
// needs, pull_request_target jobs that check out the pull request's code, and AWS roles assumed through OIDC. Pure.
import { stepNeeds, type WorkflowStep } from './actions.js';
import type { ParsedWorkflow, WorkflowJob } from './parse.js';
import {
  covers,
  defaultPermissions,
  isWriteAll,
  maxLevel,
  parsePermissions,
  TOKEN_SCOPES,
  type TokenLevel,
  type TokenPermissions,
  type TokenScope,
} from './permissions.js';

/** Where a workflow lives and the settings that decide its token. */
export interface WorkflowContext {
  org: string;
  repo: string;
  path: string;
  defaultBranch: string | null;
  /** The default token permissions, and whether the repository's setting or the organization's was read. */
  defaults: { mode: 'read' | 'write'; source: 'repository' | 'organization' } | null;
  /** Claim keys of a customised OIDC subject (null: the default `repo:ORG/REPO:…` subject). */
  oidcClaimKeys: string[] | null;
}

/** A step that assumes an AWS role with GitHub's OIDC token. */
export interface OidcRoleUse {
  /** The role ARN as written, when it is a literal ARN. */
  roleArn: string | null;
  /** The expression when the ARN comes from a secret or variable (`${{ vars.ROLE }}`): unresolvable here. */
  expression: string | null;
  step: number;
  region: string | null;
}

/** A pull_request_target (or workflow_run) job that checks out the pull request's head. */
export interface PrivilegedHeadCheckout {
  trigger: string;
  step: number;
  /** What was checked out (`${{ github.event.pull_request.head.sha }}`, `gh pr checkout`, …). */
  checkout: string;
  /** True when a later step runs code (a script or an action) after the checkout. */
  runsCodeAfter: boolean;
}

/** What one job of a workflow is, gets and needs. */
export interface JobAnalysis {
  job: string;
  jobName: string | null;
  /** Whose permissions apply: the job's, the workflow's, or a default (repository or organization setting). */
  permissionsSource: 'job' | 'workflow' | 'repository default' | 'organization default' | 'unknown default';
  shorthand: 'read-all' | 'write-all' | null;
  /** The token's permissions; null when they rest on a default agentaudit could not read. */
  effective: TokenPermissions | null;
  /** Every writable scope at write (write-all, or the permissive default); null when unknown. */
  writeAll: boolean | null;
  writeScopes: TokenScope[];
  needed: Partial<Record<TokenScope, TokenLevel>>;
  /** Steps whose needs agentaudit cannot tell (unknown actions, `gh api`, reusable workflows). */
  unknownNeeds: string[];
  /** Write scopes of the token no step needs at write. */
  unneededWrite: TokenScope[];
  /** The minimal `permissions:` block for the job, as YAML. */
  suggestedBlock: string;
  privilegedHeadCheckout: PrivilegedHeadCheckout | null;
  /** Secrets the job can read (`secrets.NAME`, or all of them with `secrets: inherit`); GITHUB_TOKEN excluded. */
  secretsInReach: string[];
  oidcRoles: OidcRoleUse[];
  /** The OIDC subjects the job's token can present (from its triggers and environment). */
  oidcSubjects: string[];
  idTokenWrite: boolean;
  triggers: string[];
  problems: string[];
}

/** Triggers that run with the base repository's token and secrets while acting on a pull request. */
const PRIVILEGED_TRIGGERS = ['pull_request_target', 'workflow_run'];

const HEAD_REF =
  /github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs\/pull\/|github\.event\.workflow_run\.head_(sha|branch)|github\.event\.number|github\.event\.pull_request\.number/;

function secretsIn(text: string): string[] {
  return [...text.matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)]
    .map((match) => match[1]!)
    .filter((name) => name !== 'GITHUB_TOKEN');
}

function headCheckout(steps: readonly WorkflowStep[]): { step: number; checkout: string } | null {
  for (const step of steps) {
    if (step.uses && /^actions\/checkout(@|$)/i.test(step.uses)) {
      const ref = step.with['ref'] ?? '';
      const repository = step.with['repository'] ?? '';
      if (HEAD_REF.test(ref)) return { step: step.index, checkout: `actions/checkout ref ${ref}` };
      if (/github\.event\.pull_request\.head\.repo/.test(repository))
        return { step: step.index, checkout: `actions/checkout repository ${repository}` };
    }
    const run = step.run ?? '';
    if (/\bgh\s+pr\s+checkout\b/.test(run)) return { step: step.index, checkout: 'gh pr checkout' };
    if (
      /\bgit\s+(fetch|checkout|pull)\b[^\n]*(pull\/|github\.event\.pull_request\.head|github\.head_ref)/.test(
        run,
      )
    )
      return { step: step.index, checkout: 'git fetch/checkout of the pull request head' };
  }
  return null;
}

function oidcRoleUses(steps: readonly WorkflowStep[]): OidcRoleUse[] {
  const uses: OidcRoleUse[] = [];
  for (const step of steps) {
    if (!step.uses || !/^aws-actions\/configure-aws-credentials(@|$)/i.test(step.uses)) continue;
    const role = step.with['role-to-assume']?.trim();
    if (!role || step.with['aws-access-key-id']) continue;
    const literal = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(role);
    uses.push({
      roleArn: literal ? role : null,
      expression: literal ? null : role,
      step: step.index,
      region: step.with['aws-region'] ?? null,
    });
  }
  return uses;
}

function subjects(workflow: ParsedWorkflow, job: WorkflowJob, context: WorkflowContext): string[] {
  const repo = `repo:${context.org}/${context.repo}`;
  if (context.oidcClaimKeys !== null) return [`custom subject (claims: ${context.oidcClaimKeys.join(', ')})`];
  if (job.environment) return [`${repo}:environment:${job.environment}`];
  const out = new Set<string>();
  for (const trigger of workflow.triggers) {
    if (trigger === 'push') {
      const branches =
        workflow.pushBranches.length > 0 ? workflow.pushBranches : workflow.pushTags.length > 0 ? [] : ['*'];
      for (const branch of branches) out.add(`${repo}:ref:refs/heads/${branch}`);
      for (const tag of workflow.pushTags) out.add(`${repo}:ref:refs/tags/${tag}`);
    } else if (trigger === 'pull_request') {
      out.add(`${repo}:pull_request`);
    } else if (trigger === 'pull_request_target' || trigger === 'schedule') {
      out.add(`${repo}:ref:refs/heads/${context.defaultBranch ?? '*'}`);
    } else {
      out.add(`${repo}:ref:refs/heads/*`);
    }
  }
  return [...out].sort();
}

/** The minimal `permissions:` block for `needed`, as YAML a person can paste under the job. */
export function permissionsBlock(needed: Partial<Record<TokenScope, TokenLevel>>): string {
  const scopes = TOKEN_SCOPES.filter((scope) => needed[scope] && needed[scope] !== 'none');
  if (scopes.length === 0) return 'permissions: {}';
  return ['permissions:', ...scopes.map((scope) => `  ${scope}: ${needed[scope]}`)].join('\n');
}

/** Analyses every job of a parsed workflow in its context. */
export function analyzeWorkflow(workflow: ParsedWorkflow, context: WorkflowContext): JobAnalysis[] {
  const workflowPermissions = parsePermissions(workflow.permissions);
  const privilegedTrigger =
    workflow.triggers.find((trigger) => PRIVILEGED_TRIGGERS.includes(trigger)) ?? null;
  return workflow.jobs.map((job) => {
    const problems: string[] = [];
    const jobPermissions = parsePermissions(job.permissions);
    let source: JobAnalysis['permissionsSource'];
    let effective: TokenPermissions | null;
    let shorthand: JobAnalysis['shorthand'] = null;
    if (jobPermissions) {
      source = 'job';
      effective = jobPermissions.permissions;
      shorthand = jobPermissions.shorthand;
      problems.push(...jobPermissions.problems);
    } else if (workflowPermissions) {
      source = 'workflow';
      effective = workflowPermissions.permissions;
      shorthand = workflowPermissions.shorthand;
      problems.push(...workflowPermissions.problems);
    } else if (context.defaults) {
      source = context.defaults.source === 'repository' ? 'repository default' : 'organization default';
      effective = defaultPermissions(context.defaults.mode);
    } else {
      source = 'unknown default';
      effective = null;
    }

    const needed: Partial<Record<TokenScope, TokenLevel>> = {};
    const unknownNeeds: string[] = [];
    if (job.uses) unknownNeeds.push(`reusable workflow ${job.uses}`);
    for (const step of job.steps) {
      const needs = stepNeeds(step);
      for (const [scope, level] of Object.entries(needs.permissions) as [TokenScope, TokenLevel][]) {
        needed[scope] = maxLevel(needed[scope] ?? 'none', level);
      }
      if (needs.unknown) unknownNeeds.push(`step ${step.index + 1}: ${needs.unknown}`);
    }
    const writeScopes = effective ? TOKEN_SCOPES.filter((scope) => effective[scope] === 'write') : [];
    const unneededWrite = writeScopes.filter((scope) => !covers(needed[scope] ?? 'none', 'write'));

    const texts = [
      ...Object.values(workflow.env),
      ...Object.values(job.env),
      ...job.steps.flatMap((step) => [
        ...Object.values(step.with),
        ...Object.values(step.env),
        step.run ?? '',
      ]),
      ...(job.secrets && job.secrets !== 'inherit' ? Object.values(job.secrets) : []),
    ];
    const secretsInReach = [...new Set(texts.flatMap(secretsIn))].sort();
    if (job.secrets === 'inherit') secretsInReach.unshift('(every secret: secrets: inherit)');

    let privilegedHeadCheckout: PrivilegedHeadCheckout | null = null;
    const checkout = privilegedTrigger ? headCheckout(job.steps) : null;
    if (privilegedTrigger && checkout) {
      privilegedHeadCheckout = {
        trigger: privilegedTrigger,
        ...checkout,
        runsCodeAfter: job.steps.some(
          (step) => step.index > checkout.step && (step.run !== null || step.uses !== null),
        ),
      };
    }
    const oidcRoles = oidcRoleUses(job.steps);
    return {
      job: job.id,
      jobName: job.name,
      permissionsSource: source,
      shorthand,
      effective,
      writeAll: effective ? isWriteAll(effective) : null,
      writeScopes,
      needed,
      unknownNeeds,
      unneededWrite,
      suggestedBlock: permissionsBlock(needed),
      privilegedHeadCheckout,
      secretsInReach,
      oidcRoles,
      oidcSubjects: oidcRoles.length > 0 ? subjects(workflow, job, context) : [],
      idTokenWrite: effective?.['id-token'] === 'write',
      triggers: workflow.triggers,
      problems,
    };
  });
}
