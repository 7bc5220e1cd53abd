// Turns the engine's aggregate rows into the rows local ingest produces, with agentaudit's own attribution, mapping and classification.
import type { ClientActivity, Usage } from '../../model/types.js';
import {
  summarizeStates,
  type AccessKeyCell,
  type AggregateState,
  type ClientCell,
  type PairCount,
  type PrincipalCell,
  type UsageCell,
} from '../cloudtrail/aggregateState.js';
import { addRanked, rankOf, type RankedValue } from '../cloudtrail/boundedList.js';
import type { ActionCatalogue } from '../cloudtrail/eventAction.js';
import type { ObservedAccessKey, ObservedPrincipal } from '../cloudtrail/ingest.js';
import { attributePrincipal, type PrincipalAttribution } from '../cloudtrail/principal.js';
import { classifyUserAgent, sourceNetwork } from '../cloudtrail/userAgent.js';
import { peakBounds } from './peak.js';
import type {
  AggregateRow,
  ClientAggregateRow,
  FamilyAggregateRow,
  PrincipalFields,
  UsageAggregateRow,
} from './resultRows.js';

/** What the pushed-down aggregation showed, in local ingest's terms. */
export interface PushdownObservations {
  usage: Usage[];
  clientActivity: ClientActivity[];
  /** Long-term keys only: session keys (ASIA…) are not aggregated (they name no credential). */
  accessKeys: ObservedAccessKey[];
  principals: ObservedPrincipal[];
  /** Unique events in the window. */
  events: number;
  mapped: number;
  unmapped: number;
  firstEventAt: string | null;
  lastEventAt: string | null;
  /** Client rows whose per-minute peak is a lower bound (the busiest minutes returned did not settle it). */
  peakLowerBounds: number;
}

const SEPARATOR = '\u0000';

/**
 * Rebuilds usage, client activity, access keys and principals from aggregate rows, through the same functions and
 * the same fold (`summarizeStates`) as local ingest: each row's principal is attributed by `attributePrincipal`,
 * its user agent classified by `classifyUserAgent`, its address reduced by `sourceNetwork`, its event mapped to an
 * IAM action against `catalogue`. Evidence lists are bottom-k samples by `rankOf`, so merging rows keeps the sample
 * local ingest would keep. Pure.
 */
export function rebuildObservations(
  rows: readonly AggregateRow[],
  catalogue: ActionCatalogue,
): PushdownObservations {
  const attributions = new Map<string, PrincipalAttribution>();
  const attribute = (fields: PrincipalFields): PrincipalAttribution => {
    const key = JSON.stringify(fields);
    let attribution = attributions.get(key);
    if (!attribution) {
      attribution = attributePrincipal({
        type: fields.type,
        arn: fields.arn,
        accessKeyId: fields.accessKeyId,
        accountId: fields.accountId,
        invokedBy: fields.invokedBy,
        sessionContext: { sessionIssuer: { arn: fields.sessionIssuerArn } },
      });
      attributions.set(key, attribution);
    }
    return attribution;
  };

  const state: AggregateState = {
    pairs: [],
    usage: [],
    clients: [],
    accessKeys: [],
    principals: [],
    first: Infinity,
    last: -Infinity,
  };
  /** Client rows by the client-activity row they fold into. */
  const clientRows = new Map<string, ClientAggregateRow[]>();
  /** Client rows, and the family row, by (principal, network, family hint). */
  const hintGroups = new Map<string, { clients: ClientAggregateRow[]; family: FamilyAggregateRow | null }>();
  const hintGroup = (row: ClientAggregateRow | FamilyAggregateRow) => {
    const key = JSON.stringify([row.principal, row.network, row.familyHint]);
    let group = hintGroups.get(key);
    if (!group) {
      group = { clients: [], family: null };
      hintGroups.set(key, group);
    }
    return group;
  };
  for (const row of rows) {
    if (row.kind === 'family') {
      hintGroup(row).family = row;
      continue;
    }
    const attribution = attribute(row.principal);
    if (row.kind === 'usage') {
      addUsage(state, row, attribution);
      continue;
    }
    const key = addClient(state, row, attribution);
    const list = clientRows.get(key) ?? [];
    list.push(row);
    clientRows.set(key, list);
    hintGroup(row).clients.push(row);
  }

  const peaks = new Map<string, number>();
  let peakLowerBounds = 0;
  for (const [key, members] of clientRows) {
    const exact = familyPeak(members, hintGroup(members[0] as ClientAggregateRow));
    if (exact !== null) {
      peaks.set(key, exact);
      continue;
    }
    const bounds = peakBounds(members);
    if (bounds.lower < bounds.upper) peakLowerBounds++;
  }

  const summary = summarizeStates([state], catalogue);
  return {
    usage: summary.usage,
    clientActivity: summary.clientActivity.map((row) => {
      const peak = peaks.get(
        [row.identityId, row.credentialId, row.clientFamily, row.sourceNetwork].join(SEPARATOR),
      );
      return peak === undefined ? row : { ...row, peakPerMinute: peak };
    }),
    accessKeys: summary.accessKeys,
    principals: summary.principals,
    events: summary.mapped + summary.unmapped,
    mapped: summary.mapped,
    unmapped: summary.unmapped,
    firstEventAt: summary.firstEventAt,
    lastEventAt: summary.lastEventAt,
    peakLowerBounds,
  };
}

/**
 * The exact peak of a client-activity row from the engine's family row, when the family hint grouped exactly this
 * row's user agents: the members share one principal, network and hint, no other user agent has that hint there,
 * and the family row's count is the members' sum. Null otherwise (the hint split the user agents differently).
 */
function familyPeak(
  members: readonly ClientAggregateRow[],
  group: { clients: readonly ClientAggregateRow[]; family: FamilyAggregateRow | null },
): number | null {
  if (!group.family || group.clients.length !== members.length) return null;
  if (!members.every((member) => group.clients.includes(member))) return null;
  const count = members.reduce((sum, member) => sum + member.count, 0);
  if (count !== group.family.count) return null;
  return group.family.busiestMinutes[0]?.[1] ?? null;
}

const ranked = (values: readonly string[]): RankedValue[] => {
  const list: RankedValue[] = [];
  for (const value of values) addRanked(list, { value, rank: rankOf(value) });
  return list;
};

/** Adds a usage row, and the pair, principal and access key it counts for. */
function addUsage(state: AggregateState, row: UsageAggregateRow, attribution: PrincipalAttribution): void {
  const span = { count: row.count, first: row.first, last: row.last };
  const eventSource = row.eventSource ?? '';
  const eventName = row.eventName ?? '';
  extendWindow(state, row);
  state.pairs.push({ eventSource, eventName, count: row.count } satisfies PairCount);
  state.usage.push({
    ...span,
    identityId: attribution.identityId,
    credentialId: attribution.credentialId,
    eventSource,
    eventName,
    resource: row.resource,
    userAgents: ranked(row.userAgents),
    sourceAddresses: ranked(row.sourceAddresses),
    sessionNames: ranked(row.sessionNames),
  } satisfies UsageCell);
  state.principals.push({
    ...span,
    identityId: attribution.identityId,
    principalArn: attribution.principalArn,
    principalType: attribution.principalType,
    accountId: attribution.accountId,
    sessionNames: ranked(row.sessionNames),
  } satisfies PrincipalCell);
  if (attribution.accessKeyId) {
    state.accessKeys.push({
      ...span,
      keyId: attribution.accessKeyId,
      identityId: attribution.identityId,
      principalArn: attribution.principalArn,
      temporary: attribution.temporaryKey,
    } satisfies AccessKeyCell);
  }
}

/** Adds a client row; returns the key of the client-activity row it folds into. */
function addClient(
  state: AggregateState,
  row: ClientAggregateRow,
  attribution: PrincipalAttribution,
): string {
  const client = classifyUserAgent(row.userAgent);
  const network = sourceNetwork(row.network);
  const minutes = new Int32Array(row.busiestMinutes.length * 2);
  row.busiestMinutes.forEach(([minute, count], index) => {
    minutes[index * 2] = minute;
    minutes[index * 2 + 1] = count;
  });
  state.clients.push({
    identityId: attribution.identityId,
    credentialId: attribution.credentialId,
    client,
    sourceNetwork: network,
    count: row.count,
    first: row.first,
    last: row.last,
    minutes: [minutes],
  } satisfies ClientCell);
  return [attribution.identityId, attribution.credentialId, client.family, network].join(SEPARATOR);
}

function extendWindow(state: AggregateState, row: UsageAggregateRow): void {
  if (row.first < state.first) state.first = row.first;
  if (row.last > state.last) state.last = row.last;
}
