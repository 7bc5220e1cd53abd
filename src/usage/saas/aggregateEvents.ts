// Aggregates a SaaS audit log's events (Okta System Log …) into usage and client-activity rows, as CloudTrail's are.
import type { ClientActivity, Usage } from '../../model/types.js';
import { classifyUserAgent, sourceNetwork } from '../cloudtrail/userAgent.js';

/** One audit-log event, reduced to what aggregation needs. */
export interface SaasEvent {
  identityId: string;
  credentialId: string | null;
  /** The log's own name for the service (`okta`). */
  eventSource: string;
  /** The event type (`user.lifecycle.create`). */
  eventName: string;
  /** The permission it exercised, when the log says (most SaaS logs do not). */
  permission: string | null;
  resource: string | null;
  /** ISO-8601. */
  time: string;
  userAgent: string | null;
  sourceAddress: string | null;
}

const EVIDENCE_LIMIT = 20;
const toIso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function addBounded(list: string[], value: string | null): void {
  if (value && list.length < EVIDENCE_LIMIT && !list.includes(value)) list.push(value);
}

/**
 * Usage per identity, credential, event and resource, and client activity per identity, credential, client family
 * and source network (with the busiest minute), from events in any order. User agents are classified with the same
 * families as CloudTrail's, so agent detection works on SaaS logs too.
 */
export function aggregateSaasEvents(events: readonly SaasEvent[]): {
  usage: Usage[];
  clientActivity: ClientActivity[];
} {
  const usage = new Map<string, Usage>();
  const clients = new Map<string, ClientActivity & { minutes: Map<number, number> }>();
  for (const event of events) {
    const ms = Date.parse(event.time);
    if (Number.isNaN(ms)) continue;
    const time = toIso(ms);
    const usageKey = [event.identityId, event.credentialId, event.eventName, event.resource].join('\u0000');
    let row = usage.get(usageKey);
    if (!row) {
      row = {
        identityId: event.identityId,
        credentialId: event.credentialId,
        permission: event.permission,
        eventSource: event.eventSource,
        eventName: event.eventName,
        resource: event.resource,
        firstSeen: time,
        lastSeen: time,
        count: 0,
        userAgents: [],
        sourceAddresses: [],
        sessionNames: [],
      };
      usage.set(usageKey, row);
    }
    row.count += 1;
    if (time < row.firstSeen) row.firstSeen = time;
    if (time > row.lastSeen) row.lastSeen = time;
    addBounded(row.userAgents, event.userAgent);
    addBounded(row.sourceAddresses, event.sourceAddress);

    const client = classifyUserAgent(event.userAgent);
    const network = sourceNetwork(event.sourceAddress);
    const clientKey = [event.identityId, event.credentialId, client.family, network].join('\u0000');
    let activity = clients.get(clientKey);
    if (!activity) {
      activity = {
        identityId: event.identityId,
        credentialId: event.credentialId,
        clientFamily: client.family,
        automated: client.automated,
        agent: client.agent,
        sourceNetwork: network,
        count: 0,
        firstSeen: time,
        lastSeen: time,
        peakPerMinute: 0,
        minutes: new Map(),
      };
      clients.set(clientKey, activity);
    }
    activity.count += 1;
    if (time < activity.firstSeen) activity.firstSeen = time;
    if (time > activity.lastSeen) activity.lastSeen = time;
    const minute = Math.floor(ms / 60_000);
    const inMinute = (activity.minutes.get(minute) ?? 0) + 1;
    activity.minutes.set(minute, inMinute);
    if (inMinute > activity.peakPerMinute) activity.peakPerMinute = inMinute;
  }
  return {
    usage: [...usage.values()],
    clientActivity: [...clients.values()].map(({ minutes: _minutes, ...activity }) => activity),
  };
}
