// Renders a right-sizing result: text for people (summary, window, unused services, suggested policy, caveats) or JSON.
import type { RightsizeResult } from '../analysis/rightsize.js';
import type { AgentScorecard } from '../analysis/posture.js';
import { redactSecrets } from '../report/redact.js';
import { scorecardDetailLines } from '../report/scorecard.js';

/** Output formats of `agentaudit rightsize`. */
export const RIGHTSIZE_FORMATS = ['text', 'json'] as const;
/** An output format of `agentaudit rightsize`. */
export type RightsizeFormat = (typeof RIGHTSIZE_FORMATS)[number];

const count = (n: number): string => n.toLocaleString('en-US');

/** The identity's evidence in words: `2026-10-01T… → 2026-10-04T…` of its use, or that the window saw none. */
export function describeWindow(result: RightsizeResult): string {
  const { firstUsed, lastUsed, sawNothing } = result.window;
  if (sawNothing || firstUsed === null || lastUsed === null) return 'a window that saw no use of it';
  return `${firstUsed} → ${lastUsed}`;
}

/** The scan's evidence window in words: what was asked for and what the logs held. */
export function describeScanWindow(result: RightsizeResult): string {
  const { since, until, firstEvent, lastEvent } = result.window;
  if (since === null && firstEvent === null) return `no audit log was read (scan ${result.scan.id})`;
  const asked = since !== null ? `${since} → ${until ?? result.scan.asOf}` : `up to ${result.scan.asOf}`;
  const held = firstEvent !== null ? `the logs hold ${firstEvent} → ${lastEvent}` : 'the logs hold no event';
  return `${asked}; ${held}`;
}

/** The result as text for people. */
export function renderRightsizeText(result: RightsizeResult, maxServices = 20): string {
  const lines: string[] = [];
  const who = result.identity.arn ?? result.identity.id;
  const share = result.usedShare;
  const pct = (share * 100).toFixed(share > 0 && share < 0.01 ? 2 : share > 0 && share < 0.1 ? 1 : 0);
  lines.push(`${result.identity.name}  ${who}  (scan ${result.scan.id})`);
  if (result.identity.isAgent) lines.push(`AI agent: ${result.identity.agentEvidence.join('; ')}`);
  lines.push(
    `granted ${count(result.granted.count)} actions, used ${count(result.used.count)} (${pct}%) over ${describeWindow(result)}`,
  );
  lines.push(`evidence window: ${describeScanWindow(result)}`);
  if (result.granted.boundary !== null) {
    lines.push(
      `permission boundary ${result.granted.boundary} caps the grant (removes ${count(result.granted.removedByBoundary)} actions)`,
    );
  }
  const unseen = result.unused.unobservable;
  lines.push(
    `the suggested policy removes ${count(result.removed)} permissions${unseen > 0 ? ` (${count(unseen)} of them the window could not have shown used)` : ''}`,
  );
  if (result.unused.services.length > 0) {
    const whole = result.unused.services.filter((s) => s.wholeService).length;
    lines.push('', `unused by service (${result.unused.services.length} services, ${whole} wholly unused):`);
    const shown = result.unused.services.slice(0, maxServices);
    const width = Math.max(7, ...shown.map((s) => s.service.length));
    lines.push(`  ${'service'.padEnd(width)}  unused / granted`);
    for (const s of shown) {
      const note = s.wholeService
        ? s.observable
          ? '  (whole service unused)'
          : '  (whole service; not visible in the window)'
        : '';
      lines.push(`  ${s.service.padEnd(width)}  ${String(s.unused).padStart(6)} / ${s.granted}${note}`);
    }
    const rest = result.unused.services.length - maxServices;
    if (rest > 0) lines.push(`  … and ${rest} more services (--format json lists them all)`);
  }
  const usedGranted = result.used.actions.filter((a) => a.granted);
  if (usedGranted.length > 0) {
    lines.push('', 'used:');
    const width = Math.max(...usedGranted.map((a) => a.action.length));
    for (const a of usedGranted) {
      lines.push(`  ${a.action.padEnd(width)}  ${String(a.count).padStart(6)}×  last ${a.lastSeen}`);
    }
  }
  if (result.usedNotGranted.length > 0) {
    lines.push('', `used but not granted: ${result.usedNotGranted.join(', ')}`);
  }
  if (result.used.byCredential.length > 1) {
    lines.push('', 'by credential:');
    for (const c of result.used.byCredential) {
      lines.push(
        `  ${c.credentialId ?? '(none)'}  ${c.actions} actions, ${c.events} events, last ${c.lastSeen}`,
      );
    }
  }
  const { neverLogged, dataEvents } = result.cannotShow;
  if (neverLogged.length > 0 || dataEvents.length > 0) {
    lines.push('', 'what the window cannot show (unused here, but possibly used unseen):');
    if (neverLogged.length > 0) lines.push(`  never logged by CloudTrail: ${neverLogged.join(', ')}`);
    for (const c of dataEvents) {
      const shown = c.actions.slice(0, 8).join(', ');
      lines.push(
        `  ${c.category} data events (none in the window): ${c.actions.length} unused (${shown}${c.actions.length > 8 ? ', …' : ''})`,
      );
    }
  }
  lines.push('', 'suggested policy:');
  lines.push(JSON.stringify(result.policy, null, 2));
  lines.push('', 'caveats:');
  for (const caveat of result.caveats) lines.push(`  - ${caveat}`);
  return lines.join('\n');
}

/** The result as JSON for machines; an agent's scorecard under `posture`. */
export function renderRightsizeJson(result: RightsizeResult, posture: AgentScorecard | null = null): string {
  return JSON.stringify(posture ? { ...result, posture: posture.properties } : result, null, 2);
}

const POSTURE_FOOTNOTE =
  '  ✓ pass · ✗ fail · ? unknown (no evidence either way); `agentaudit report` shows the findings by id';

/** An agent's posture scorecard after a right-sizing text: each property with its reason and findings. */
export function postureSection(posture: AgentScorecard | null): string {
  if (!posture) return '';
  return ['', '', 'agent posture:', ...scorecardDetailLines(posture), POSTURE_FOOTNOTE].join('\n');
}

/**
 * Renders in `format`, with anything secret-shaped masked (tags and session names are free text); when the identity
 * is an agent, its posture scorecard follows (text) or sits under `posture` (JSON).
 */
export function renderRightsize(
  result: RightsizeResult,
  format: RightsizeFormat,
  posture: AgentScorecard | null = null,
): string {
  return redactSecrets(
    format === 'json'
      ? renderRightsizeJson(result, posture)
      : `${renderRightsizeText(result)}${postureSection(posture)}`,
  );
}
