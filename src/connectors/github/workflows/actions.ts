// What each step needs from the workflow token: a table of well-known actions, and `run:` scripts that use `gh` or
// `git push`. A step agentaudit cannot judge is "unknown", never silently "needs nothing".
import type { TokenLevel, TokenScope } from './permissions.js';

/** A step as the workflow parser reads it. */
export interface WorkflowStep {
  index: number;
  name: string | null;
  uses: string | null;
  run: string | null;
  with: Record<string, string>;
  env: Record<string, string>;
}

/** What one step needs: scopes and levels, or why agentaudit cannot tell. */
export interface StepNeeds {
  permissions: Partial<Record<TokenScope, TokenLevel>>;
  /** Set when the step may need more than `permissions` and agentaudit cannot say what. */
  unknown: string | null;
}

type Needs = Partial<Record<TokenScope, TokenLevel>>;
type Rule = Needs | StepNeeds | ((step: WorkflowStep) => StepNeeds | Needs);

const NONE: Needs = {};

/** Whether a step hands the workflow token to its action or script. */
export function passesToken(step: WorkflowStep): boolean {
  const values = [...Object.values(step.with), ...Object.values(step.env), step.run ?? ''];
  return values.some((value) => /\b(secrets\.GITHUB_TOKEN|github\.token)\b/.test(value));
}

/**
 * Well-known actions (owner/repo[/path], lower-case, without `@ref`) and what they need from the token, from each
 * action's documentation. Actions that only set up tools or move artifacts within a run need nothing.
 */
const KNOWN_ACTIONS: Record<string, Rule> = {
  'actions/checkout': { contents: 'read' },
  'actions/setup-node': NONE,
  'actions/setup-python': NONE,
  'actions/setup-go': NONE,
  'actions/setup-java': NONE,
  'actions/setup-dotnet': NONE,
  'actions/cache': NONE,
  'actions/cache/restore': NONE,
  'actions/cache/save': NONE,
  'actions/upload-artifact': NONE,
  'actions/download-artifact': (step) => (step.with['run-id'] ? { actions: 'read' } : NONE),
  'actions/upload-pages-artifact': NONE,
  'actions/configure-pages': { pages: 'read' },
  'actions/deploy-pages': { pages: 'write', 'id-token': 'write' },
  'actions/attest-build-provenance': { 'id-token': 'write', attestations: 'write', contents: 'read' },
  'actions/labeler': { contents: 'read', 'pull-requests': 'write' },
  'actions/stale': { issues: 'write', 'pull-requests': 'write' },
  'actions/dependency-review-action': { contents: 'read' },
  'actions/github-script': { permissions: {}, unknown: 'actions/github-script runs arbitrary API calls' },
  'aws-actions/configure-aws-credentials': (step) =>
    step.with['role-to-assume'] && !step.with['aws-access-key-id'] ? { 'id-token': 'write' } : NONE,
  'google-github-actions/auth': (step) =>
    step.with['workload_identity_provider'] ? { 'id-token': 'write' } : NONE,
  'azure/login': (step) => (step.with['client-id'] && !step.with['creds'] ? { 'id-token': 'write' } : NONE),
  'hashicorp/setup-terraform': NONE,
  'docker/setup-buildx-action': NONE,
  'docker/setup-qemu-action': NONE,
  'docker/metadata-action': NONE,
  'docker/login-action': (step) =>
    /ghcr\.io/i.test(step.with['registry'] ?? '') && passesToken(step) ? { packages: 'write' } : NONE,
  'docker/build-push-action': NONE,
  'pnpm/action-setup': NONE,
  'ruby/setup-ruby': NONE,
  'gradle/actions/setup-gradle': NONE,
  'softprops/action-gh-release': { contents: 'write' },
  'ncipollo/release-action': { contents: 'write' },
  'peter-evans/create-pull-request': { contents: 'write', 'pull-requests': 'write' },
  'peter-evans/create-or-update-comment': { issues: 'write', 'pull-requests': 'write' },
  'googleapis/release-please-action': { contents: 'write', 'pull-requests': 'write' },
  'release-drafter/release-drafter': { contents: 'write', 'pull-requests': 'read' },
  'github/codeql-action/init': { 'security-events': 'write', actions: 'read', contents: 'read' },
  'github/codeql-action/analyze': { 'security-events': 'write', actions: 'read', contents: 'read' },
  'github/codeql-action/autobuild': NONE,
  'github/codeql-action/upload-sarif': { 'security-events': 'write' },
  'ossf/scorecard-action': { 'security-events': 'write', 'id-token': 'write' },
  'dependabot/fetch-metadata': { 'pull-requests': 'read' },
  'amannn/action-semantic-pull-request': { 'pull-requests': 'read' },
  'jamesives/github-pages-deploy-action': { contents: 'write' },
  'stefanzweifel/git-auto-commit-action': { contents: 'write' },
  'endbug/add-and-commit': { contents: 'write' },
  'golangci/golangci-lint-action': { contents: 'read' },
  'super-linter/super-linter': { contents: 'read', statuses: 'write' },
  'codecov/codecov-action': (step) =>
    String(step.with['use_oidc']) === 'true' ? { 'id-token': 'write' } : NONE,
  'sigstore/cosign-installer': NONE,
  'slackapi/slack-github-action': NONE,
};

/** The lookup key of a `uses:` value: `owner/repo/path` lower-cased, without `@ref`. */
export function actionKey(uses: string): string {
  return uses.split('@')[0]!.toLowerCase().replace(/\/+$/, '');
}

/** `gh` subcommands and what they need. `gh api` is unknown: it can call any endpoint. */
const GH_COMMANDS: { pattern: RegExp; needs: Needs }[] = [
  { pattern: /\bgh\s+release\s+(create|upload|edit|delete)\b/, needs: { contents: 'write' } },
  { pattern: /\bgh\s+release\s+(view|list|download)\b/, needs: { contents: 'read' } },
  { pattern: /\bgh\s+pr\s+merge\b/, needs: { 'pull-requests': 'write', contents: 'write' } },
  {
    pattern: /\bgh\s+pr\s+(create|edit|close|reopen|review|comment|ready|lock|unlock)\b/,
    needs: { 'pull-requests': 'write' },
  },
  { pattern: /\bgh\s+pr\s+checkout\b/, needs: { 'pull-requests': 'read', contents: 'read' } },
  { pattern: /\bgh\s+pr\s+(view|list|diff|checks|status)\b/, needs: { 'pull-requests': 'read' } },
  {
    pattern: /\bgh\s+issue\s+(create|edit|close|reopen|comment|delete|transfer|pin|unpin|lock|unlock)\b/,
    needs: { issues: 'write' },
  },
  { pattern: /\bgh\s+issue\s+(view|list|status)\b/, needs: { issues: 'read' } },
  { pattern: /\bgh\s+label\s+(create|edit|delete|clone)\b/, needs: { issues: 'write' } },
  { pattern: /\bgh\s+workflow\s+(run|enable|disable)\b/, needs: { actions: 'write' } },
  { pattern: /\bgh\s+workflow\s+(view|list)\b/, needs: { actions: 'read' } },
  { pattern: /\bgh\s+run\s+(rerun|cancel|delete)\b/, needs: { actions: 'write' } },
  { pattern: /\bgh\s+run\s+(view|list|watch|download)\b/, needs: { actions: 'read' } },
  { pattern: /\bgh\s+repo\s+clone\b/, needs: { contents: 'read' } },
];

function mergeNeeds(into: Needs, add: Needs): void {
  for (const [scope, level] of Object.entries(add) as [TokenScope, TokenLevel][]) {
    const have = into[scope];
    if (have === undefined || (have === 'read' && level === 'write') || have === 'none') into[scope] = level;
  }
}

/** What a `run:` script needs: `gh` subcommands, `git push`; unknown when it hands the token to anything else. */
export function runNeeds(step: WorkflowStep): StepNeeds {
  const script = step.run ?? '';
  const needs: Needs = {};
  let recognised = false;
  for (const command of GH_COMMANDS) {
    if (command.pattern.test(script)) {
      mergeNeeds(needs, command.needs);
      recognised = true;
    }
  }
  if (/\bgit\s+push\b/.test(script)) {
    mergeNeeds(needs, { contents: 'write' });
    recognised = true;
  }
  if (/\bgh\s+api\b/.test(script))
    return { permissions: needs, unknown: 'a `gh api` call can reach any endpoint' };
  const usesToken =
    passesToken(step) || /\$\{?(GITHUB_TOKEN|GH_TOKEN)\b/.test(script) || /\bgh\s+\w+/.test(script);
  if (usesToken && !recognised) {
    return { permissions: needs, unknown: 'the script uses the token in a way agentaudit cannot read' };
  }
  return { permissions: needs, unknown: null };
}

/** What one step needs from the token. */
export function stepNeeds(step: WorkflowStep): StepNeeds {
  if (step.uses === null) return runNeeds(step);
  if (step.uses.startsWith('docker://')) {
    return passesToken(step)
      ? { permissions: {}, unknown: `${step.uses} is given the token` }
      : { permissions: {}, unknown: null };
  }
  if (step.uses.startsWith('./')) return { permissions: {}, unknown: `local action ${step.uses}` };
  const rule = KNOWN_ACTIONS[actionKey(step.uses)];
  if (rule === undefined) return { permissions: {}, unknown: `unknown action ${actionKey(step.uses)}` };
  const result = typeof rule === 'function' ? rule(step) : rule;
  if ('unknown' in result) return result as StepNeeds;
  return { permissions: { ...(result as Needs) }, unknown: null };
}
