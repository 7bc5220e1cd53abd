// Reads of the cache the agent posture scorecard needs: one scan's agents with the facts each property rests on.
import type { Db } from './database.js';

/** An agent identity with the facts its scorecard reads (a few provider attributes, never a secret). */
export interface PostureAgentRow {
  id: string;
  provider: string;
  kind: string;
  name: string;
  arn: string | null;
  isHuman: boolean;
  owner: string | null;
  purpose: string | null;
  expiresAt: string | null;
  /** GitHub: whether the organization's audit log or API insights could show this identity's use. */
  usageObserved: boolean | null;
  /** GitHub: which of those sources were read. */
  usageSources: string[];
  /** Local: the machine the configuration holding it was found on. */
  host: string | null;
}

/** A credential of an agent: dates, status and whether its provider tracks its use. */
export interface PostureCredentialRow {
  id: string;
  identityId: string;
  kind: string;
  status: string;
  createdAt: string | null;
  lastRotatedAt: string | null;
  expiresAt: string | null;
  /** SaaS keys: the provider reports this key's use (attribute `usage_tracked`). */
  usageTracked: boolean;
}

/** Granted vs used of an AWS agent, and the CloudTrail window behind it. */
export interface PostureSummaryRow {
  identityId: string;
  grantedCount: number;
  usedCount: number;
  policiesComplete: boolean;
  unusedUnobservable: number;
  unobservableServices: string[];
  firstEvent: string | null;
  lastEvent: string | null;
}

/** Events recorded for an agent, per log source (`event_source` of the usage table). */
export interface PostureUsageRow {
  identityId: string;
  eventSource: string;
  events: number;
}

/** Everything the scorecard reads of one scan, besides its findings and coverage. */
export interface PostureRows {
  agents: PostureAgentRow[];
  credentials: PostureCredentialRow[];
  summaries: PostureSummaryRow[];
  usage: PostureUsageRow[];
  /** Every identity and credential of the scan, by address: what resolves a finding to its identity. */
  addresses: {
    identities: { id: string; arn: string | null }[];
    credentials: { id: string; identityId: string }[];
  };
}

const parseStrings = (text: string | null): string[] => {
  if (!text) return [];
  const value = JSON.parse(text) as unknown;
  return Array.isArray(value) ? value.map(String) : [];
};

/** The agents of scan `scanId` (identities with `is_agent = 1`) and the rows their scorecards rest on. */
export function postureRowsOfScan(db: Db, scanId: number): PostureRows {
  const agents = (
    db
      .prepare(
        `SELECT id, provider, kind, name, arn, is_human, owner, purpose, expires_at,
           json_extract(attributes, '$.usage_observed') AS usage_observed,
           json_extract(attributes, '$.usage_sources') AS usage_sources,
           json_extract(attributes, '$.host') AS host
         FROM identities WHERE scan_id = ? AND is_agent = 1 ORDER BY provider, kind, name, id`,
      )
      .all(scanId) as {
      id: string;
      provider: string;
      kind: string;
      name: string;
      arn: string | null;
      is_human: number;
      owner: string | null;
      purpose: string | null;
      expires_at: string | null;
      usage_observed: number | null;
      usage_sources: string | null;
      host: unknown;
    }[]
  ).map((r) => ({
    id: r.id,
    provider: r.provider,
    kind: r.kind,
    name: r.name,
    arn: r.arn,
    isHuman: r.is_human === 1,
    owner: r.owner,
    purpose: r.purpose,
    expiresAt: r.expires_at,
    usageObserved: r.usage_observed === null ? null : r.usage_observed === 1,
    usageSources: parseStrings(r.usage_sources),
    host: typeof r.host === 'string' ? r.host : null,
  }));
  const credentials = (
    db
      .prepare(
        `SELECT c.id, c.identity_id, c.kind, c.status, c.created_at, c.last_rotated_at, c.expires_at,
           coalesce(json_extract(c.attributes, '$.usage_tracked'), 0) AS usage_tracked
         FROM credentials c JOIN identities i ON i.scan_id = c.scan_id AND i.id = c.identity_id
         WHERE c.scan_id = ? AND i.is_agent = 1 ORDER BY c.identity_id, c.id`,
      )
      .all(scanId) as {
      id: string;
      identity_id: string;
      kind: string;
      status: string;
      created_at: string | null;
      last_rotated_at: string | null;
      expires_at: string | null;
      usage_tracked: number;
    }[]
  ).map((r) => ({
    id: r.id,
    identityId: r.identity_id,
    kind: r.kind,
    status: r.status,
    createdAt: r.created_at,
    lastRotatedAt: r.last_rotated_at,
    expiresAt: r.expires_at,
    usageTracked: r.usage_tracked === 1,
  }));
  const summaries = (
    db
      .prepare(
        `SELECT p.identity_id, p.granted_count, p.used_count, p.policies_complete, p.unused_unobservable,
           p.unobservable_services, p.first_event, p.last_event
         FROM permission_summaries p JOIN identities i ON i.scan_id = p.scan_id AND i.id = p.identity_id
         WHERE p.scan_id = ? AND i.is_agent = 1 ORDER BY p.identity_id`,
      )
      .all(scanId) as {
      identity_id: string;
      granted_count: number;
      used_count: number;
      policies_complete: number;
      unused_unobservable: number;
      unobservable_services: string;
      first_event: string | null;
      last_event: string | null;
    }[]
  ).map((r) => ({
    identityId: r.identity_id,
    grantedCount: r.granted_count,
    usedCount: r.used_count,
    policiesComplete: r.policies_complete === 1,
    unusedUnobservable: r.unused_unobservable,
    unobservableServices: parseStrings(r.unobservable_services),
    firstEvent: r.first_event,
    lastEvent: r.last_event,
  }));
  const usage = db
    .prepare(
      `SELECT u.identity_id AS identityId, u.event_source AS eventSource, sum(u.count) AS events
       FROM usage u JOIN identities i ON i.scan_id = u.scan_id AND i.id = u.identity_id
       WHERE u.scan_id = ? AND i.is_agent = 1 GROUP BY u.identity_id, u.event_source
       ORDER BY u.identity_id, u.event_source`,
    )
    .all(scanId) as PostureUsageRow[];
  const identities = db
    .prepare(`SELECT id, arn FROM identities WHERE scan_id = ? ORDER BY id`)
    .all(scanId) as { id: string; arn: string | null }[];
  const allCredentials = db
    .prepare(`SELECT id, identity_id AS identityId FROM credentials WHERE scan_id = ? ORDER BY id`)
    .all(scanId) as { id: string; identityId: string }[];
  return { agents, credentials, summaries, usage, addresses: { identities, credentials: allCredentials } };
}
