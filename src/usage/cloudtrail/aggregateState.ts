// Aggregated CloudTrail usage as plain data, and how states fold into sorted rows.
import type { ClientActivity, Usage } from '../../model/types.js';
import { mergeRanked, sortedValues, type RankedValue } from './boundedList.js';
import { mapEventToAction, type ActionCatalogue } from './eventAction.js';
import { peakPerMinute } from './minuteCounts.js';
import type { ClientClass } from './userAgent.js';

/** An access key id seen in the logs and who used it. */
export interface ObservedAccessKey {
  keyId: string;
  identityId: string;
  principalArn: string | null;
  /** True for session keys (ASIA…). */
  temporary: boolean;
  firstSeen: string;
  lastSeen: string;
  count: number;
}

/** A principal seen in the logs, with a bounded sample (≤ 20) of the role session names that drove it. */
export interface ObservedPrincipal {
  identityId: string;
  principalArn: string | null;
  /** `userIdentity.type`. */
  principalType: string;
  accountId: string | null;
  firstSeen: string;
  lastSeen: string;
  count: number;
  sessionNames: string[];
}

/** What every row counts. */
export interface Span {
  count: number;
  first: number;
  last: number;
}

/** A usage row being aggregated. */
export interface UsageCell extends Span {
  identityId: string;
  credentialId: string | null;
  eventSource: string;
  eventName: string;
  resource: string | null;
  userAgents: RankedValue[];
  sourceAddresses: RankedValue[];
  sessionNames: RankedValue[];
}

/** A client-activity row as plain data. */
export interface ClientCell extends Span {
  identityId: string;
  credentialId: string | null;
  client: ClientClass;
  sourceNetwork: string;
  /** `[minute, count, …]` lists (one per state that saw the row), for the peak. */
  minutes: Int32Array[];
}

/** An access key row being aggregated. */
export interface AccessKeyCell extends Span {
  keyId: string;
  identityId: string;
  principalArn: string | null;
  temporary: boolean;
}

/** A principal row being aggregated. */
export interface PrincipalCell extends Span {
  identityId: string;
  principalArn: string | null;
  principalType: string;
  accountId: string | null;
  sessionNames: RankedValue[];
}

/** Events of one eventSource/eventName pair. */
export interface PairCount {
  eventSource: string;
  eventName: string;
  count: number;
}

/** An aggregator's whole result as plain data (survives a structured clone, so states can be kept or sent). */
export interface AggregateState {
  /** Unique events per eventSource/eventName, whatever their date: the basis of mapped/unmapped coverage. */
  pairs: PairCount[];
  usage: UsageCell[];
  clients: ClientCell[];
  accessKeys: AccessKeyCell[];
  principals: PrincipalCell[];
  /** Epoch ms of the first and last aggregated event. */
  first: number;
  last: number;
}

/** What the aggregation amounts to once mapped to IAM actions; rows sorted by their keys. */
export interface AggregateSummary {
  usage: Usage[];
  clientActivity: ClientActivity[];
  accessKeys: ObservedAccessKey[];
  principals: ObservedPrincipal[];
  mapped: number;
  unmapped: number;
  firstEventAt: string | null;
  lastEventAt: string | null;
}

const SEPARATOR = '\u0000';

/**
 * Folds aggregator states into sorted rows, mapping every distinct eventSource/eventName pair to
 * its IAM action once. Rows merge by their keys; counts add, times take min/max, evidence keeps its bottom-k sample,
 * and per-minute counts add before the peak is taken — so the result does not depend on how events were split.
 */
export function summarizeStates(
  states: readonly AggregateState[],
  catalogue: ActionCatalogue,
): AggregateSummary {
  const pairs = new Map<string, PairCount>();
  const usage = new Map<string, UsageCell>();
  const clients = new Map<string, ClientCell>();
  const accessKeys = new Map<string, AccessKeyCell>();
  const principals = new Map<string, PrincipalCell>();
  let first = Infinity;
  let last = -Infinity;
  for (const state of states) {
    if (state.first < first) first = state.first;
    if (state.last > last) last = state.last;
    for (const pair of state.pairs) {
      const key = pair.eventSource + SEPARATOR + pair.eventName;
      const mine = pairs.get(key);
      if (mine) mine.count += pair.count;
      else pairs.set(key, { ...pair });
    }
    for (const cell of state.usage) {
      const key = [cell.identityId, cell.credentialId, cell.eventSource, cell.eventName, cell.resource].join(
        SEPARATOR,
      );
      const mine = usage.get(key);
      if (!mine) {
        usage.set(key, cell);
        continue;
      }
      mergeSpan(mine, cell);
      mergeRanked(mine.userAgents, cell.userAgents);
      mergeRanked(mine.sourceAddresses, cell.sourceAddresses);
      mergeRanked(mine.sessionNames, cell.sessionNames);
    }
    for (const cell of state.clients) {
      const key = [cell.identityId, cell.credentialId, cell.client.family, cell.sourceNetwork].join(
        SEPARATOR,
      );
      const mine = clients.get(key);
      if (!mine) {
        clients.set(key, cell);
        continue;
      }
      mergeSpan(mine, cell);
      mine.minutes.push(...cell.minutes);
    }
    for (const cell of state.accessKeys) {
      const key = cell.keyId + SEPARATOR + cell.identityId;
      const mine = accessKeys.get(key);
      if (!mine) {
        accessKeys.set(key, cell);
        continue;
      }
      mergeSpan(mine, cell);
      mine.principalArn = preferred(mine.principalArn, cell.principalArn);
    }
    for (const cell of state.principals) {
      const mine = principals.get(cell.identityId);
      if (!mine) {
        principals.set(cell.identityId, cell);
        continue;
      }
      mergeSpan(mine, cell);
      mergeRanked(mine.sessionNames, cell.sessionNames);
      mine.principalArn = preferred(mine.principalArn, cell.principalArn);
      mine.principalType = mine.principalType <= cell.principalType ? mine.principalType : cell.principalType;
      mine.accountId = preferred(mine.accountId, cell.accountId);
    }
  }

  const permissions = new Map<string, string | null>();
  let mapped = 0;
  let unmapped = 0;
  for (const [key, pair] of pairs) {
    const mapping = mapEventToAction(pair.eventSource, pair.eventName, catalogue);
    permissions.set(key, mapping.known ? mapping.action : null);
    if (mapping.known) mapped += pair.count;
    else unmapped += pair.count;
  }
  const any = first <= last;
  return {
    usage: byKey(usage).map((cell): Usage => ({
      identityId: cell.identityId,
      credentialId: cell.credentialId,
      permission: permissions.get(cell.eventSource + SEPARATOR + cell.eventName) ?? null,
      eventSource: cell.eventSource,
      eventName: cell.eventName,
      resource: cell.resource,
      firstSeen: iso(cell.first),
      lastSeen: iso(cell.last),
      count: cell.count,
      userAgents: sortedValues(cell.userAgents),
      sourceAddresses: sortedValues(cell.sourceAddresses),
      sessionNames: sortedValues(cell.sessionNames),
    })),
    clientActivity: byKey(clients).map((cell): ClientActivity => ({
      identityId: cell.identityId,
      credentialId: cell.credentialId,
      clientFamily: cell.client.family,
      automated: cell.client.automated,
      agent: cell.client.agent,
      sourceNetwork: cell.sourceNetwork,
      count: cell.count,
      firstSeen: iso(cell.first),
      lastSeen: iso(cell.last),
      peakPerMinute: peakPerMinute(cell.minutes),
    })),
    accessKeys: byKey(accessKeys).map((cell): ObservedAccessKey => ({
      keyId: cell.keyId,
      identityId: cell.identityId,
      principalArn: cell.principalArn,
      temporary: cell.temporary,
      firstSeen: iso(cell.first),
      lastSeen: iso(cell.last),
      count: cell.count,
    })),
    principals: byKey(principals).map((cell): ObservedPrincipal => ({
      identityId: cell.identityId,
      principalArn: cell.principalArn,
      principalType: cell.principalType,
      accountId: cell.accountId,
      firstSeen: iso(cell.first),
      lastSeen: iso(cell.last),
      count: cell.count,
      sessionNames: sortedValues(cell.sessionNames),
    })),
    mapped,
    unmapped,
    firstEventAt: any ? iso(first) : null,
    lastEventAt: any ? iso(last) : null,
  };
}

/** Adds `source`'s count and widens `target`'s time span to cover it. */
export function mergeSpan(target: Span, source: Span): void {
  target.count += source.count;
  if (source.first < target.first) target.first = source.first;
  if (source.last > target.last) target.last = source.last;
}

/** A non-null value over null; between two values the smaller, so the choice does not depend on order. */
export function preferred(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

function byKey<T>(map: Map<string, T>): T[] {
  return [...map.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((key) => map.get(key) as T);
}

const iso = (ms: number): string => new Date(ms).toISOString();
