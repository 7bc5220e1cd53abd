// Reduces one parsed CloudTrail event to the few facts aggregation needs, tolerating any shape.
import { hashEventId, type EventIdHash } from './eventIdSet.js';

/** The facts of one event that usage aggregation keeps. */
export interface ObservedEvent extends EventIdHash {
  /** Epoch milliseconds, NaN when the event has no valid `eventTime` (or Logstash's `@timestamp`). */
  time: number;
  /** Empty string when missing (such events count as unmapped). */
  eventSource: string;
  eventName: string;
  /**
   * `userIdentity` as logged, when already parsed; undefined otherwise: the aggregator then parses it from
   * `userIdentityKey` (once per distinct block).
   */
  userIdentity: unknown;
  /** The `userIdentity` block's JSON text ('' when missing). */
  userIdentityKey: string;
  /** A 64-bit hash of that text (two lanes, see `hashEventId`; (0, 0) when missing): the aggregator's cache key. */
  identityHash1: number;
  identityHash2: number;
  userAgent: string | null;
  sourceAddress: string | null;
  /** The first ARN in `resources[]`, else its first `ARNPrefix`, else null. */
  resource: string | null;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;

/**
 * True when a JSON object looks like a CloudTrail event (so that unrelated JSON files are reported, not counted):
 * it has at least one of the fields every CloudTrail record carries.
 */
export function looksLikeCloudTrailEvent(value: Record<string, unknown>): boolean {
  return (
    'eventSource' in value ||
    'eventName' in value ||
    'eventTime' in value ||
    '@timestamp' in value ||
    'eventID' in value ||
    'userIdentity' in value ||
    'eventVersion' in value
  );
}

/** Extracts an ObservedEvent from a parsed record (see `looksLikeCloudTrailEvent`); the streaming path uses eventFields.ts. */
export function observeEvent(event: Record<string, unknown>): ObservedEvent {
  const userIdentityKey = JSON.stringify(event.userIdentity) ?? '';
  const identity = { idHash1: 0, idHash2: 0 };
  hashEventId(userIdentityKey === '' ? null : userIdentityKey, identity);
  const observed: ObservedEvent = {
    idHash1: 0,
    idHash2: 0,
    time: parseEventTime(event.eventTime ?? event['@timestamp']),
    eventSource: text(event.eventSource) ?? '',
    eventName: text(event.eventName) ?? '',
    userIdentity: event.userIdentity,
    userIdentityKey,
    identityHash1: identity.idHash1,
    identityHash2: identity.idHash2,
    userAgent: text(event.userAgent),
    sourceAddress: text(event.sourceIPAddress),
    resource: firstResourceArn(event.resources),
  };
  hashEventId(text(event.eventID), observed);
  return observed;
}

/** Epoch milliseconds of an ISO timestamp, NaN when it is not one (the streaming path parses the common form from bytes). */
export function parseEventTime(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : NaN;
}

/** The first `ARN` in a `resources` array, else its first `ARNPrefix`, else null. */
export function firstResourceArn(resources: unknown): string | null {
  if (!Array.isArray(resources)) return null;
  let prefix: string | null = null;
  for (const resource of resources) {
    if (typeof resource !== 'object' || resource === null) continue;
    const entry = resource as Record<string, unknown>;
    const arn = text(entry.ARN);
    if (arn) return arn;
    prefix ??= text(entry.ARNPrefix);
  }
  return prefix;
}
