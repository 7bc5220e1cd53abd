// The granted-vs-used pane: an identity's grants as written (-) against what the window saw used (+), then the policy.
import type { GrantedVsUsed } from '../triage/grantedVsUsed.js';
import { formatCount } from '../report/text.js';
import { LineBuilder, type Line } from './lines.js';
import { clean, day } from './text.js';

const MAX_GRANT_LINES = 30;
const MAX_SERVICE_LINES = 12;

/** The pane: summary, then `-` the grants as written and `+` what the window saw used, then the suggested policy. */
export function grantedVsUsedLines(view: GrantedVsUsed, width: number): Line[] {
  const b = new LineBuilder(width);
  const share = view.usedShare * 100;
  const pct = share > 0 && share < 1 ? share.toFixed(2) : share.toFixed(0);
  b.heading(`Granted vs used  ${clean(view.identity.name)} (${view.identity.kind})`);
  if (view.identity.arn) b.text(clean(view.identity.arn), 'dim');
  b.text(
    `granted ${formatCount(view.granted)} actions · used ${formatCount(view.used.length)} (${pct}%) · unused ${formatCount(view.unused.count)} in ${view.unused.services.length} services`,
  );
  b.text(`window ${view.window}`, 'dim');
  b.blank().segments({ text: '--- granted now (as written)', tone: 'removed' });
  const allows = view.grantsAsWritten;
  for (const g of allows.slice(0, MAX_GRANT_LINES)) {
    const what = `${g.effect === 'allow' ? 'Allow' : 'Deny'} ${g.notAction ? 'NotAction ' : ''}${clean(g.permission)} on ${clean(g.resource)}${g.conditional ? ' (with a condition)' : ''}`;
    b.text(`- ${what}  via ${clean(g.sourcePolicy)}`, 'removed');
  }
  if (allows.length === 0) b.text('- (no grant recorded)', 'dim');
  if (allows.length > MAX_GRANT_LINES) b.text(`- … and ${allows.length - MAX_GRANT_LINES} more`, 'dim');
  b.segments({
    text: `+++ suggested replacement: the ${view.used.length} action(s) the window saw`,
    tone: 'added',
  });
  if (view.used.length === 0) b.text('+ (nothing: no use seen, see the caveats)', 'dim');
  for (const u of view.used) {
    b.text(`+ ${clean(u.action)}  ${formatCount(u.count)}× · last ${day(u.lastSeen)}`, 'added');
  }
  if (view.usedNotGranted.length > 0) {
    b.blank().text(`used but not granted: ${view.usedNotGranted.map(clean).join(', ')}`, 'error');
  }
  if (view.unused.services.length > 0) {
    b.blank().heading('Unused, by service');
    for (const s of view.unused.services.slice(0, MAX_SERVICE_LINES)) {
      b.text(
        `${clean(s.service)}  ${formatCount(s.unused)} of ${formatCount(s.granted)}${s.whole ? ' (whole service unused)' : ''}`,
        undefined,
        2,
      );
    }
    const rest = view.unused.services.length - MAX_SERVICE_LINES;
    if (rest > 0) b.text(`… and ${rest} more services`, 'dim', 2);
  }
  b.blank().heading('Suggested policy');
  for (const line of view.policyJson.split('\n')) b.segments({ text: `  ${clean(line)}`, tone: 'added' });
  b.blank().heading('Caveats');
  for (const caveat of view.caveats) b.text(`- ${clean(caveat)}`, 'dim', 2);
  b.blank().text(
    `The same as JSON: agentaudit rightsize ${view.identity.arn ?? view.identity.id} --format json`,
    'dim',
  );
  return b.lines;
}
