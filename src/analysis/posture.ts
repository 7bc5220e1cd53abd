// The agent posture scorecard: for each agent identity, whether it is distinct, scoped, short-lived and observable,
// and whether it has an owner, a purpose and an expiry — each with a reason and the findings behind a failure. Pure.
import type { PostureProperty } from '../rules/schema.js';
import type {
  PostureAgentRow,
  PostureCredentialRow,
  PostureRows,
  PostureSummaryRow,
  PostureUsageRow,
} from '../store/postureReads.js';
import { findingIdentityResolver, identityOfFinding } from './findingIdentity.js';
import { groupBy } from './groupBy.js';

/** pass: the evidence shows the property holds; fail: a finding or a recorded fact shows it does not; unknown: no evidence either way. */
export type PostureStatus = 'pass' | 'fail' | 'unknown';

/** One property of one agent. */
export interface PostureCheck {
  status: PostureStatus;
  /** One sentence: what the status rests on, or what is missing. */
  reason: string;
  /** Ids (fingerprints) of the visible findings that fail the property; empty unless it fails because of a rule. */
  findings: string[];
}

/** The scorecard's properties, as JSON keys. */
export interface PostureProperties {
  distinct: PostureCheck;
  scoped: PostureCheck;
  shortLived: PostureCheck;
  observable: PostureCheck;
  owner: PostureCheck;
  purpose: PostureCheck;
  expiry: PostureCheck;
}

/** One agent's scorecard (the `summary.agents` entries of the JSON report). */
export interface AgentScorecard {
  /** The identity's stable id. */
  identity: string;
  name: string;
  provider: string;
  kind: string;
  properties: PostureProperties;
}

/** The properties in scorecard order: JSON key, the rules' `posture` value, and a column title. */
export const SCORECARD_COLUMNS: readonly {
  key: keyof PostureProperties;
  posture: PostureProperty;
  title: string;
}[] = [
  { key: 'distinct', posture: 'distinct', title: 'distinct' },
  { key: 'scoped', posture: 'scoped', title: 'scoped' },
  { key: 'shortLived', posture: 'short-lived', title: 'short-lived' },
  { key: 'observable', posture: 'observable', title: 'observable' },
  { key: 'owner', posture: 'owner', title: 'owner' },
  { key: 'purpose', posture: 'purpose', title: 'purpose' },
  { key: 'expiry', posture: 'expiry', title: 'expiry' },
];

/** A finding as the scorecard reads it; `hidden` when suppressed or baselined (it then fails nothing). */
export interface PostureFinding {
  id: string;
  ruleId: string;
  resource: string;
  evidence: Readonly<Record<string, unknown>>;
  hidden: boolean;
}

/** What the scorecard is computed from: the cache rows of one scan, its findings, the rules' tags and coverage. */
export interface PostureInput extends PostureRows {
  findings: readonly PostureFinding[];
  /** Rule id → the property its alarms fail (rules without `posture` absent). */
  rulePosture: ReadonlyMap<string, PostureProperty>;
  /** The scan's coverage (`cloudtrail`, `pushdown` say whether CloudTrail was read). */
  coverage: Readonly<Record<string, unknown>>;
  /** The scan's "now", for credential ages. */
  asOf: string;
}

/** The rule id → posture map of a rule catalogue. */
export function rulePostureMap(
  rules: readonly { id: string; posture?: PostureProperty }[],
): Map<string, PostureProperty> {
  return new Map(rules.flatMap((rule) => (rule.posture ? [[rule.id, rule.posture] as const] : [])));
}

const DAY_MS = 86_400_000;
const day = (iso: string): string => iso.slice(0, 10);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What one agent's checks read, gathered. */
interface AgentFacts {
  agent: PostureAgentRow;
  credentials: PostureCredentialRow[];
  summary: PostureSummaryRow | undefined;
  usage: PostureUsageRow[];
  /** Visible and hidden findings about the agent, per property. */
  visible: Map<PostureProperty, PostureFinding[]>;
  hidden: Map<PostureProperty, PostureFinding[]>;
  cloudTrailRead: boolean;
  asOf: number;
}

type FactCheck = (facts: AgentFacts) => PostureCheck;

const pass = (reason: string): PostureCheck => ({ status: 'pass', reason, findings: [] });
const fail = (reason: string): PostureCheck => ({ status: 'fail', reason, findings: [] });
const unknown = (reason: string): PostureCheck => ({ status: 'unknown', reason, findings: [] });

/**
 * Wraps a property's evidence check with the rule findings: a visible finding of a rule tagged with the property fails
 * it (listing the findings); only hidden ones (suppressed or baselined) make it pass as an accepted risk.
 */
function withFindings(posture: PostureProperty, check: FactCheck): FactCheck {
  return (facts) => {
    const visible = facts.visible.get(posture) ?? [];
    if (visible.length > 0) {
      const rules = [...new Set(visible.map((f) => f.ruleId))].sort();
      return {
        status: 'fail',
        reason: `${plural(visible.length, 'finding')} of ${rules.join(', ')}`,
        findings: visible.map((f) => f.id),
      };
    }
    const hidden = facts.hidden.get(posture) ?? [];
    if (hidden.length > 0) {
      const rules = [...new Set(hidden.map((f) => f.ruleId))].sort();
      return pass(
        `accepted: ${plural(hidden.length, 'finding')} of ${rules.join(', ')} suppressed or baselined`,
      );
    }
    return check(facts);
  };
}

/** Its active (or unknown-status) credentials, leaving out a person's console password: no agent holds that. */
const activeCredentials = (facts: AgentFacts): PostureCredentialRow[] =>
  facts.credentials.filter(
    (c) => (c.status === 'active' || c.status === 'unknown') && c.kind !== 'console-password',
  );

const checkDistinct: FactCheck = ({ agent }) =>
  agent.isHuman
    ? fail('a person’s own identity: the agent acts as them')
    : pass('no rule found its credential shared between clients, machines or a person');

const checkScoped: FactCheck = ({ agent, summary }) => {
  if (agent.provider === 'aws') {
    if (!summary) return unknown('no granted-vs-used summary: no policy of it was read');
    if (!summary.policiesComplete)
      return unknown('some of its policies could not be read: the grant is not known');
    if (summary.firstEvent === null)
      return unknown(
        `no CloudTrail events in the window to compare with its ${summary.grantedCount} granted actions`,
      );
    return pass(
      `uses ${summary.usedCount} of ${summary.grantedCount} granted actions; no over-privilege rule alarmed`,
    );
  }
  if (agent.provider === 'github' && agent.usageObserved === true)
    return pass(
      `its use was read (${agent.usageSources.join(', ')}); no breadth or unused-write rule alarmed`,
    );
  return unknown(`no usage evidence to compare granted with used for this ${agent.provider} ${agent.kind}`);
};

const checkShortLived: FactCheck = (facts) => {
  const { agent } = facts;
  if (agent.provider === 'aws' && agent.kind === 'iam-role')
    return pass('an IAM role: it acts with temporary STS credentials, no long-lived key');
  if (agent.provider === 'github' && agent.kind === 'github-app-installation')
    return pass('a GitHub App installation: it acts with installation tokens that expire after an hour');
  const active = activeCredentials(facts);
  if (active.length === 0) return unknown('no active credential of it is known');
  if (active.every((c) => c.expiresAt !== null)) {
    const last = active
      .map((c) => c.expiresAt!)
      .sort()
      .at(-1)!;
    return pass(
      `${active.length === 1 ? 'its credential expires' : `its ${active.length} credentials expire`} (the last on ${day(last)})`,
    );
  }
  const since = active.map((c) => c.lastRotatedAt ?? c.createdAt);
  if (since.some((d) => d === null)) return unknown('the age of its credentials is not known');
  const oldest = since.sort()[0]!;
  const days = Math.max(0, Math.floor((facts.asOf - Date.parse(oldest)) / DAY_MS));
  return pass(
    `static ${plural(active.length, 'credential')}, the oldest set ${days} days ago; no rotation rule alarmed`,
  );
};

/** SaaS providers whose connector reads a log of what a key did, and what that log is called. */
const SAAS_LOGS: Readonly<Record<string, string>> = {
  okta: 'the Okta System Log',
  anthropic: 'Anthropic’s usage report',
};

/** Why nothing records a provider's identities' actions, for providers whose connector reads no such log. */
const NO_LOG: Readonly<Record<string, string>> = {
  openai: 'OpenAI reports only when a key was last used; no log of its requests was read',
  slack: 'Slack’s audit logs (Enterprise Grid) were not read: nothing records what the app does',
};

const checkObservable: FactCheck = (facts) => {
  const { agent, summary, usage } = facts;
  const events = usage.reduce((n, row) => n + row.events, 0);
  if (agent.provider === 'aws') {
    if (!facts.cloudTrailRead && !summary?.firstEvent)
      return fail('no CloudTrail was read in this scan: its AWS actions reach no log agentaudit read');
    const window =
      summary?.firstEvent && summary.lastEvent
        ? ` from ${day(summary.firstEvent)} to ${day(summary.lastEvent)}`
        : '';
    const blind =
      summary && summary.unusedUnobservable > 0
        ? `; ${plural(summary.unusedUnobservable, 'granted action')} would not show (data events the trail does not log, or never logged${summary.unobservableServices.length > 0 ? `; whole services: ${summary.unobservableServices.join(', ')}` : ''})`
        : '';
    return pass(`CloudTrail read${window}, ${plural(events, 'event')} of its own${blind}`);
  }
  if (agent.provider === 'github') {
    if (agent.usageObserved === true)
      return pass(
        `the organization’s ${agent.usageSources.join(' and ')} read, ${plural(events, 'event')} of its own`,
      );
    if (agent.usageObserved === false)
      return fail('neither the GitHub audit log nor API insights could be read for it');
    return fail(`the GitHub connector reads no activity of a ${agent.kind}`);
  }
  if (agent.provider === 'local')
    return fail(
      `a configuration on ${agent.host ?? 'a workstation'}: nothing agentaudit reads records what it does, and the key it holds is logged (if at all) as that key’s identity`,
    );
  const log = SAAS_LOGS[agent.provider];
  const tracked = facts.credentials.some((c) => c.usageTracked);
  if (log) {
    return tracked
      ? pass(`${log} was read for its key, ${plural(events, 'event')} of its own`)
      : fail(`${log} was not read for its key`);
  }
  const none = NO_LOG[agent.provider];
  if (none) return fail(none);
  return tracked
    ? pass('its provider reports the use of its key')
    : fail(`no log of what this ${agent.provider} ${agent.kind} does was read`);
};

const checkOwner: FactCheck = ({ agent }) => {
  if (agent.owner) return pass(`owned by ${agent.owner}`);
  if (agent.isHuman) return pass('a person’s own identity: that person owns it');
  return fail('no owner recorded (tag, description or directory)');
};

const checkPurpose: FactCheck = ({ agent }) =>
  agent.purpose ? pass('a purpose is recorded') : fail('no purpose recorded (description or tag)');

const checkExpiry: FactCheck = (facts) => {
  if (facts.agent.expiresAt) return pass(`expires on ${day(facts.agent.expiresAt)}`);
  const active = activeCredentials(facts);
  if (active.length > 0 && active.every((c) => c.expiresAt !== null)) {
    const last = active
      .map((c) => c.expiresAt!)
      .sort()
      .at(-1)!;
    return pass(`its credentials expire, the last on ${day(last)}`);
  }
  return fail('no expiry date recorded on it or its credentials');
};

const CHECKS: Readonly<Record<keyof PostureProperties, FactCheck>> = {
  distinct: withFindings('distinct', checkDistinct),
  scoped: withFindings('scoped', checkScoped),
  shortLived: withFindings('short-lived', checkShortLived),
  observable: withFindings('observable', checkObservable),
  owner: withFindings('owner', checkOwner),
  purpose: withFindings('purpose', checkPurpose),
  expiry: withFindings('expiry', checkExpiry),
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether the scan read CloudTrail: from files (`coverage.cloudtrail`) or through a pushed-down engine (`coverage.pushdown`). */
function cloudTrailWasRead(coverage: Readonly<Record<string, unknown>>): boolean {
  return [coverage['cloudtrail'], coverage['pushdown']].some(
    (entry) => isRecord(entry) && typeof entry['events'] === 'number' && entry['events'] > 0,
  );
}

/** The scorecard of every agent of the scan, in the rows' order (provider, kind, name). */
export function buildAgentScorecards(input: PostureInput): AgentScorecard[] {
  const resolve = findingIdentityResolver(input.addresses.identities, input.addresses.credentials);
  const byAgent = new Map<
    string,
    { visible: Map<PostureProperty, PostureFinding[]>; hidden: Map<PostureProperty, PostureFinding[]> }
  >(input.agents.map((a) => [a.id, { visible: new Map(), hidden: new Map() }]));
  for (const finding of input.findings) {
    const posture = input.rulePosture.get(finding.ruleId);
    if (!posture) continue;
    const identity = identityOfFinding(resolve, finding);
    const slot = identity ? byAgent.get(identity) : undefined;
    if (!slot) continue;
    const map = finding.hidden ? slot.hidden : slot.visible;
    map.set(posture, [...(map.get(posture) ?? []), finding]);
  }
  const credentials = groupBy(input.credentials, (c) => c.identityId);
  const usage = groupBy(input.usage, (u) => u.identityId);
  const summaries = new Map(input.summaries.map((s) => [s.identityId, s]));
  const cloudTrailRead = cloudTrailWasRead(input.coverage);
  const asOf = Date.parse(input.asOf);
  return input.agents.map((agent) => {
    const facts: AgentFacts = {
      agent,
      credentials: credentials.get(agent.id) ?? [],
      summary: summaries.get(agent.id),
      usage: usage.get(agent.id) ?? [],
      visible: byAgent.get(agent.id)!.visible,
      hidden: byAgent.get(agent.id)!.hidden,
      cloudTrailRead,
      asOf,
    };
    const properties = Object.fromEntries(
      SCORECARD_COLUMNS.map(({ key }) => [key, CHECKS[key](facts)]),
    ) as unknown as PostureProperties;
    return { identity: agent.id, name: agent.name, provider: agent.provider, kind: agent.kind, properties };
  });
}

/** How many agents pass, fail and are unknown on each property. */
export function scorecardTotals(
  cards: readonly AgentScorecard[],
): Record<keyof PostureProperties, Record<PostureStatus, number>> {
  return Object.fromEntries(
    SCORECARD_COLUMNS.map(({ key }) => {
      const counts: Record<PostureStatus, number> = { pass: 0, fail: 0, unknown: 0 };
      for (const card of cards) counts[card.properties[key].status] += 1;
      return [key, counts];
    }),
  ) as Record<keyof PostureProperties, Record<PostureStatus, number>>;
}
