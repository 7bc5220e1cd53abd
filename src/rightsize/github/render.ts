// Renders GitHub right-sizing: a permissions table and the suggested set for tokens, `permissions:` blocks for workflows.
import type { AgentScorecard } from '../../analysis/posture.js';
import { postureSection } from '../render.js';
import type { GithubRightsize, GithubTokenRightsize, GithubWorkflowRightsize } from './analyze.js';

function tokenText(result: GithubTokenRightsize): string {
  const lines: string[] = [];
  const kind = result.identity.kind === 'github-app-installation' ? 'App installation' : 'fine-grained PAT';
  lines.push(
    `${result.identity.name}  ${result.identity.id}  (${kind} on ${result.identity.account ?? '?'}, scan ${result.scan.id})`,
  );
  const usedCount = result.permissions.filter((p) => p.used !== null).length;
  const span = `${result.scan.since?.slice(0, 10) ?? '?'} → ${result.scan.asOf.slice(0, 10)}`;
  const window = result.window.sawNothing
    ? `${span}, which saw no use`
    : `${span} (last request ${result.window.lastSeen}), from ${result.window.sources.join(' and ')}`;
  lines.push(`granted ${result.permissions.length} permissions, used ${usedCount} over ${window}`);
  lines.push(`suggested: remove ${result.removed}, downgrade ${result.downgraded}`);
  lines.push('');
  const width = Math.max(10, ...result.permissions.map((p) => p.key.length));
  lines.push(`  ${'permission'.padEnd(width)}  granted  used     suggested`);
  for (const p of result.permissions) {
    const suggestion =
      p.action === 'remove'
        ? 'remove'
        : p.action === 'downgrade'
          ? `${p.suggested} (downgrade)`
          : p.suggested!;
    lines.push(
      `  ${p.key.padEnd(width)}  ${p.granted.padEnd(7)}  ${(p.used ?? '-').padEnd(7)}  ${suggestion}`,
    );
  }
  if (result.usedNotGranted.length > 0)
    lines.push('', `used but not granted (unexpected): ${result.usedNotGranted.join(', ')}`);
  if (result.unmapped.length > 0) {
    lines.push('', 'routes no permission table lists:');
    for (const route of result.unmapped) lines.push(`  ${route.route}  (${route.count} requests)`);
  }
  lines.push('', 'suggested permission set:', JSON.stringify(result.suggested, null, 2));
  lines.push('', 'caveats:', ...result.caveats.map((caveat) => `  - ${caveat}`));
  return lines.join('\n');
}

function workflowText(result: GithubWorkflowRightsize): string {
  const lines: string[] = [`${result.repository}/${result.path}  (scan ${result.scan.id})`];
  for (const job of result.jobs) {
    const effective = job.effective
      ? Object.entries(job.effective)
          .map(([scope, level]) => `${scope}: ${String(level)}`)
          .join(', ') || 'none'
      : 'unknown';
    const needed = Object.entries(job.needed)
      .map(([scope, level]) => `${scope}: ${String(level)}`)
      .join(', ');
    lines.push('', `job ${job.job}: token from ${job.permissionsSource}: ${effective}`);
    lines.push(`  steps need: ${needed || 'nothing'}`);
    if (job.unneededWrite.length > 0) lines.push(`  write no step needs: ${job.unneededWrite.join(', ')}`);
    if (job.unknownNeeds.length > 0) lines.push(`  unknown: ${job.unknownNeeds.join('; ')}`);
  }
  lines.push(
    '',
    'suggested permissions (workflow level none, each job what it needs):',
    result.suggestedYaml,
  );
  lines.push('', 'caveats:', ...result.caveats.map((caveat) => `  - ${caveat}`));
  return lines.join('\n');
}

/** Renders a GitHub right-sizing result as text or JSON; an agent's posture scorecard follows (text) or sits under `posture`. */
export function renderGithubRightsize(
  result: GithubRightsize,
  format: 'text' | 'json',
  posture: AgentScorecard | null = null,
): string {
  if (format === 'json')
    return JSON.stringify(posture ? { ...result, posture: posture.properties } : result, null, 2);
  return `${result.type === 'github-token' ? tokenText(result) : workflowText(result)}${postureSection(posture)}`;
}
