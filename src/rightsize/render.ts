// Renders a right-sizing result: text for people (summary, unused services, suggested policy, caveats) or JSON.
import type { RightsizeResult } from './analyze.js';

/** Output formats of `agentaudit rightsize`. */
export const RIGHTSIZE_FORMATS = ['text', 'json'] as const;
/** An output format of `agentaudit rightsize`. */
export type RightsizeFormat = (typeof RIGHTSIZE_FORMATS)[number];

/** The evidence window in words: `2026-10-01 → 2026-10-04 (as of 2026-10-05)` or that it saw nothing. */
export function describeWindow(result: RightsizeResult): string {
  const { firstSeen, lastSeen, asOf, sawNothing } = result.window;
  if (sawNothing || firstSeen === null || lastSeen === null) {
    return `a window that saw no use at all (as of ${asOf})`;
  }
  return `${firstSeen} → ${lastSeen} (as of ${asOf})`;
}

/** The result as text for people. */
export function renderRightsizeText(result: RightsizeResult, maxServices = 20): string {
  const lines: string[] = [];
  const who = result.identity.arn ?? result.identity.id;
  const pct = (result.usedShare * 100).toFixed(result.usedShare > 0 && result.usedShare < 0.01 ? 2 : 0);
  lines.push(`${result.identity.name}  ${who}  (scan ${result.scan.id})`);
  lines.push(
    `granted ${result.granted.count} actions, used ${result.used.count} (${pct}%) over ${describeWindow(result)}`,
  );
  lines.push(`unused: ${result.unused.count} actions in ${result.unused.services.length} services`);
  if (result.unused.services.length > 0) {
    lines.push('', 'unused by service:');
    const width = Math.max(7, ...result.unused.services.slice(0, maxServices).map((s) => s.service.length));
    lines.push(`  ${'service'.padEnd(width)}  unused / granted`);
    for (const s of result.unused.services.slice(0, maxServices)) {
      lines.push(
        `  ${s.service.padEnd(width)}  ${String(s.unused).padStart(6)} / ${s.granted}${s.wholeService ? '  (whole service unused)' : ''}`,
      );
    }
    const rest = result.unused.services.length - maxServices;
    if (rest > 0) lines.push(`  … and ${rest} more services (--format json lists them all)`);
  }
  if (result.usedNotGranted.length > 0) {
    lines.push('', `used but not granted (unexpected): ${result.usedNotGranted.join(', ')}`);
  }
  if (result.unseenDataEvents.length > 0) {
    lines.push('', 'what the window cannot show (data events, may be used unseen):');
    for (const c of result.unseenDataEvents) {
      const shown = c.actions.slice(0, 8).join(', ');
      lines.push(
        `  ${c.category}: ${c.actions.length} unused (${shown}${c.actions.length > 8 ? ', …' : ''})`,
      );
    }
  }
  lines.push('', 'suggested policy:');
  lines.push(JSON.stringify(result.policy, null, 2));
  lines.push('', 'caveats:');
  for (const caveat of result.caveats) lines.push(`  - ${caveat}`);
  return lines.join('\n');
}

/** The result as JSON for machines. */
export function renderRightsizeJson(result: RightsizeResult): string {
  return JSON.stringify(result, null, 2);
}

/** Renders in `format`. */
export function renderRightsize(result: RightsizeResult, format: RightsizeFormat): string {
  return format === 'json' ? renderRightsizeJson(result) : renderRightsizeText(result);
}
