// Pure builders of the panes' text: a finding's details, an identity's details and the key help, wrapped to a width.
import { SCORECARD_COLUMNS, type AgentScorecard } from '../analysis/posture.js';
import type { JsonValue } from '../model/types.js';
import { POSTURE_MARK } from '../report/scorecard.js';
import type { TriageData, TriageFinding, TriageIdentity } from '../triage/types.js';
import { KEY_BINDINGS } from './keys.js';
import { clean, day, shortResource, wrap } from './text.js';
import type { Tone } from './theme.js';

/** A run of text with one meaning. */
export interface Segment {
  text: string;
  tone?: Tone;
}

/** One screen line: segments drawn side by side. */
export type Line = Segment[];

/** Accumulates wrapped lines for a pane `width` wide. */
export class LineBuilder {
  readonly lines: Line[] = [];
  constructor(readonly width: number) {}

  /** A blank line. */
  blank(): this {
    this.lines.push([{ text: '' }]);
    return this;
  }

  /** `text` wrapped, every line in `tone`, indented by `indent` spaces. */
  text(text: string, tone?: Tone, indent = 0): this {
    for (const part of wrap(text, this.width - indent)) {
      this.lines.push([{ text: `${' '.repeat(indent)}${part}`, tone }]);
    }
    return this;
  }

  /** A section title. */
  heading(text: string): this {
    return this.text(text, 'heading');
  }

  /** `label` in a column `labelWidth` wide, then `value` wrapped beside it. */
  field(label: string, value: string, labelWidth = 12, tone?: Tone, indent = 2): this {
    const lead = ' '.repeat(indent);
    const parts = wrap(value || '—', this.width - indent - labelWidth);
    parts.forEach((part, index) => {
      this.lines.push([
        { text: `${lead}${(index === 0 ? label : '').padEnd(labelWidth)}`, tone: 'dim' },
        { text: part, tone },
      ]);
    });
    return this;
  }

  /** Segments on one line, as given (the caller keeps it within the width). */
  segments(...segments: Segment[]): this {
    this.lines.push(segments);
    return this;
  }
}

/** An evidence value as one line of text. */
function evidenceText(value: JsonValue): string {
  if (value === null) return '—';
  if (Array.isArray(value)) return value.map((item) => evidenceText(item)).join(', ') || '—';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  return String(value);
}

function stateText(finding: TriageFinding): string {
  if (finding.state === 'open') return 'open';
  const a = finding.acceptance;
  const until = a?.expiresAt ? ` until ${day(a.expiresAt)}` : '';
  const why = a?.reason ? `: ${a.reason}` : '';
  const by = a?.createdBy ? ` (by ${a.createdBy}${a.createdAt ? ` on ${day(a.createdAt)}` : ''})` : '';
  return `${finding.state}${until}${why}${by}`;
}

/** The identity part of a details pane: kind, owner, last use, agent evidence, credentials. */
function identitySection(b: LineBuilder, identity: TriageIdentity): void {
  b.heading(`Identity  ${clean(identity.name)}`);
  b.field('kind', `${identity.provider} ${identity.kind}${identity.isHuman ? ' (a person signs in)' : ''}`);
  if (identity.arn) b.field('address', clean(identity.arn));
  const owner = identity.owner
    ? `${clean(identity.owner)}${identity.ownerSource ? ` (from ${clean(identity.ownerSource)})` : ''}${identity.ownerStatus ? `, ${identity.ownerStatus} in the directory` : ', not in the directory'}`
    : 'none recorded';
  b.field('owner', owner, 12, identity.ownerStatus === 'departed' || !identity.owner ? 'error' : undefined);
  if (identity.purpose) b.field('purpose', clean(identity.purpose));
  b.field('created', day(identity.createdAt));
  b.field('last used', identity.lastUsedAt ?? 'never seen');
  if (identity.expiresAt) b.field('expires', identity.expiresAt);
  b.field('AI agent', identity.isAgent ? `yes: ${identity.agentEvidence.map(clean).join('; ')}` : 'no');
  b.blank().heading(`Credentials (${identity.credentials.length})`);
  if (identity.credentials.length === 0) b.text('none', 'dim', 2);
  for (const c of identity.credentials) {
    const slot = c.id.includes('#') ? ` #${c.id.slice(c.id.lastIndexOf('#') + 1)}` : '';
    const key = c.keyId ? ` ${clean(c.keyId)}` : c.hint ? ` …${clean(c.hint)}` : '';
    b.text(`${c.kind}${slot}${key}  ${c.status}`, c.status === 'active' ? undefined : 'dim', 2);
    b.text(
      `created ${day(c.createdAt)} · rotated ${day(c.lastRotatedAt)} · last used ${day(c.lastUsedAt)}${c.expiresAt ? ` · expires ${day(c.expiresAt)}` : ''}`,
      'dim',
      4,
    );
  }
}

/** The details pane of a finding: what, why, evidence, what to do, references, and who it is about. */
export function findingDetailLines(data: TriageData, finding: TriageFinding, width: number): Line[] {
  const b = new LineBuilder(width);
  b.segments(
    { text: finding.severity.toUpperCase(), tone: finding.severity },
    { text: `  ${clean(finding.ruleId)}  ·  ${finding.category}`, tone: 'dim' },
  );
  b.text(clean(finding.title), 'heading');
  b.field('resource', clean(finding.resource));
  b.field('state', clean(stateText(finding)), 12, finding.state === 'open' ? undefined : 'suppressed');
  b.field('fingerprint', finding.id, 12, 'dim');
  b.blank().heading('Reason').text(clean(finding.reason), undefined, 2);
  const evidence = Object.entries(finding.evidence);
  if (evidence.length > 0) {
    b.blank().heading('Evidence');
    const labelWidth = Math.min(22, Math.max(...evidence.map(([key]) => key.length)) + 2);
    for (const [key, value] of evidence) b.field(clean(key), clean(evidenceText(value)), labelWidth);
  }
  b.blank().heading('Remediation').text(clean(finding.remediation), undefined, 2);
  if (finding.references.length > 0) {
    b.blank().heading('References');
    for (const ref of finding.references) {
      b.text(`${clean(ref.id)}  ${clean(ref.title)}`, undefined, 2);
      b.text(clean(ref.url), 'accent', 4);
    }
  }
  const identity = finding.identityId ? data.identities.find((i) => i.id === finding.identityId) : undefined;
  b.blank();
  if (identity) identitySection(b, identity);
  else b.text('The resource names no identity of this scan.', 'dim');
  return b.lines;
}

/** The details pane of an identity: its facts, credentials and findings. */
export function identityDetailLines(data: TriageData, identity: TriageIdentity, width: number): Line[] {
  const b = new LineBuilder(width);
  identitySection(b, identity);
  b.blank().heading(`Findings (${identity.findingIds.length})`);
  if (identity.findingIds.length === 0) b.text('none', 'dim', 2);
  const byId = new Map(data.findings.map((f) => [f.id, f] as const));
  for (const id of identity.findingIds) {
    const f = byId.get(id);
    if (!f) continue;
    b.segments(
      { text: `  ${f.severity.padEnd(9)}`, tone: f.severity },
      { text: clean(f.ruleId), tone: f.state === 'open' ? undefined : 'suppressed' },
      { text: f.state === 'open' ? '' : `  (${f.state})`, tone: 'dim' },
    );
    b.text(clean(f.reason), 'dim', 13);
  }
  return b.lines;
}

/**
 * The details pane of an agent: its posture scorecard, each property with its reason, and under a failed property
 * the findings behind it (severity, rule, resource, reason).
 */
export function agentDetailLines(data: TriageData, card: AgentScorecard, width: number): Line[] {
  const b = new LineBuilder(width);
  b.heading(`Agent posture: ${clean(card.name)}`);
  b.field('kind', `${clean(card.provider)} ${clean(card.kind)}`);
  b.field('identity', clean(card.identity), 12, 'dim');
  const byId = new Map(data.findings.map((f) => [f.id, f] as const));
  const width0 = Math.max(...SCORECARD_COLUMNS.map(({ title }) => title.length)) + 2;
  for (const { key, title } of SCORECARD_COLUMNS) {
    const check = card.properties[key];
    const tone = check.status === 'fail' ? 'error' : check.status === 'pass' ? 'ok' : 'dim';
    b.blank().segments(
      { text: `${POSTURE_MARK[check.status]} `, tone },
      { text: title.padEnd(width0), tone: 'heading' },
      { text: check.status, tone },
    );
    b.text(clean(check.reason), undefined, 4);
    for (const id of check.findings) {
      const f = byId.get(id);
      if (!f) continue;
      b.segments(
        { text: `    ${f.severity.padEnd(9)}`, tone: f.severity },
        { text: clean(f.ruleId) },
        { text: `  ${clean(shortResource(f.resource))}`, tone: 'accent' },
      );
      b.text(clean(f.reason), 'dim', 13);
    }
  }
  b.blank().text(
    '✓ pass · ✗ fail · ? unknown (no evidence either way). A suppressed or baselined finding fails no property.',
    'dim',
  );
  return b.lines;
}

/** The help pane: every key. */
export function helpLines(width: number): Line[] {
  const b = new LineBuilder(width);
  b.heading('Keys');
  for (const binding of KEY_BINDINGS) b.field(binding.keys, binding.action, 11, undefined, 1);
  b.blank().text(
    'A suppression is kept in the cache (the next scan hides the finding) and, when a baseline file is configured (--baseline or baseline: in the config), written to it with its reason and expiry, so `agentaudit scan --baseline FILE --fail-on …` in CI ignores it until it expires.',
    'dim',
  );
  return b.lines;
}
