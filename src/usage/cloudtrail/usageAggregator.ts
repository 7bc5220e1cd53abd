// Folds observed events into usage rows, client activity, access keys and principals, on one thread.
import {
  preferred,
  summarizeStates,
  type AccessKeyCell,
  type AggregateState,
  type AggregateSummary,
  type ClientCell,
  type PairCount,
  type PrincipalCell,
  type Span,
  type UsageCell,
} from './aggregateState.js';
import { addRanked, rankOf, type RankedValue } from './boundedList.js';
import type { ActionCatalogue } from './eventAction.js';
import { MinuteCounts } from './minuteCounts.js';
import type { ObservedEvent } from './observedEvent.js';
import { attributePrincipal, type PrincipalAttribution } from './principal.js';
import { classifyUserAgent, sourceNetwork, type ClientClass } from './userAgent.js';

/** The evidence window: events outside it are counted in coverage but not aggregated. */
export interface EvidenceWindow {
  /** Epoch ms, inclusive; -Infinity when open. */
  since: number;
  /** Epoch ms, inclusive; +Infinity when open. */
  until: number;
}

/** A client-activity row while aggregating: its minutes live in the MinuteCounts table, the current run here. */
interface LiveClientCell extends Omit<ClientCell, 'minutes'> {
  row: number;
  runMinute: number;
  runCount: number;
}

/** Rows of one (identity, credential): usage by pair (and resource), client activity by family and network. */
interface OwnerRow {
  usage: Map<number, UsageCell>;
  usageByResource: Map<number, Map<number, UsageCell>>;
  clients: Map<number, LiveClientCell>;
}

/** A distinct eventSource/eventName pair. */
interface PairEntry extends PairCount {
  index: number;
}

/** A distinct `userIdentity` (as far as attribution goes), with everything derived from it. */
interface OwnerEntry {
  /** The hash lane not in the cache key, checked on every lookup. */
  identityHash2: number;
  attribution: PrincipalAttribution;
  /** The rows of its (identityId, credentialId), shared by every owner entry of the same identity and credential. */
  row: OwnerRow;
  session: RankedValue | null;
  principal: PrincipalCell;
  accessKey: AccessKeyCell | null;
}

interface UserAgentEntry extends RankedValue {
  client: ClientClass;
  familyIndex: number;
}

interface AddressEntry extends RankedValue {
  network: string;
  networkIndex: number;
}

const SEPARATOR = '\u0000';
/** Caches of values that recur (user agents, addresses, sessions) are dropped and rebuilt past this size. */
const CACHE_LIMIT = 50_000;
/** Attributions are cached by the hash of the `userIdentity` block (rotating session keys make many distinct ones). */
const OWNER_CACHE_LIMIT = 65_536;

/**
 * Aggregates events as they stream: one usage row per (identity, credential, eventSource, eventName, resource),
 * one client-activity row per (identity, credential, client family, source network) — never one row per event.
 * The hot path works on small integer indices (strings are interned once) and caches attribution per distinct
 * `userIdentity`. Every operation is commutative (counts add, times take min/max, evidence lists keep a bottom-k
 * sample by hash, per-minute counts add before the peak is taken), so the order in which files are read — by
 * however many threads — does not change the result.
 */
export class UsageAggregator {
  private readonly window: EvidenceWindow;
  private first = Infinity;
  private last = -Infinity;

  private readonly pairsBySource = new Map<string, Map<string, PairEntry>>();
  private readonly pairList: PairEntry[] = [];
  private readonly ownerRows = new Map<string, OwnerRow>();
  private owners = new Map<number, OwnerEntry>();
  private readonly principals = new Map<string, PrincipalCell>();
  /** By key id, then identity (a key id almost always has one): no concatenated key string kept per key. */
  private readonly accessKeys = new Map<string, AccessKeyCell[]>();
  /** One string object per distinct identity id, ARN, account, type: attributions made apart share them. */
  private canonicalStrings = new Map<string, string>();
  private readonly resources = new Map<string, number>();
  private userAgents = new Map<string, UserAgentEntry>();
  private addresses = new Map<string, AddressEntry>();
  private sessions = new Map<string, RankedValue>();
  private readonly families = new Map<string, number>();
  private readonly networks = new Map<string, number>();
  private readonly usageCells: UsageCell[] = [];
  private readonly clientCells: LiveClientCell[] = [];
  private readonly minutes = new MinuteCounts();

  constructor(window: EvidenceWindow = { since: -Infinity, until: Infinity }) {
    this.window = window;
  }

  /** Counts a unique event; aggregates it when it is dated and inside the window. Returns whether it was aggregated. */
  add(event: ObservedEvent): boolean {
    const pair = this.pair(event.eventSource, event.eventName);
    pair.count++;
    const time = event.time;
    if (!(time >= this.window.since && time <= this.window.until)) return false;
    if (time < this.first) this.first = time;
    if (time > this.last) this.last = time;

    const owner = this.owner(event);
    const attribution = owner.attribution;
    const userAgent = event.userAgent === null ? null : this.userAgent(event.userAgent);
    const address = event.sourceAddress === null ? null : this.address(event.sourceAddress);

    const row = owner.row;
    let usage: UsageCell | undefined;
    let byResource: Map<number, UsageCell> | undefined;
    let resourceIndex = 0;
    if (event.resource === null) {
      usage = row.usage.get(pair.index);
    } else {
      resourceIndex = intern(this.resources, event.resource, 1);
      byResource = row.usageByResource.get(pair.index);
      if (!byResource) {
        byResource = new Map();
        row.usageByResource.set(pair.index, byResource);
      }
      usage = byResource.get(resourceIndex);
    }
    if (!usage) {
      usage = {
        identityId: attribution.identityId,
        credentialId: attribution.credentialId,
        eventSource: pair.eventSource,
        eventName: pair.eventName,
        resource: event.resource,
        count: 0,
        first: time,
        last: time,
        userAgents: [],
        sourceAddresses: [],
        sessionNames: [],
      };
      if (byResource) byResource.set(resourceIndex, usage);
      else row.usage.set(pair.index, usage);
      this.usageCells.push(usage);
    }
    extend(usage, time);
    if (userAgent) addRanked(usage.userAgents, userAgent);
    if (address) addRanked(usage.sourceAddresses, address);
    if (owner.session) addRanked(usage.sessionNames, owner.session);

    const client = userAgent ? userAgent.client : classifyUserAgent(null);
    const familyIndex = userAgent ? userAgent.familyIndex : intern(this.families, client.family, 0);
    const network = address ? address.network : sourceNetwork(null);
    const networkIndex = address ? address.networkIndex : intern(this.networks, network, 0);
    // Families are few (< 1024), so one number keys the pair.
    const clientKey = networkIndex * 1024 + familyIndex;
    let activity = row.clients.get(clientKey);
    if (!activity) {
      activity = {
        identityId: attribution.identityId,
        credentialId: attribution.credentialId,
        client,
        sourceNetwork: network,
        count: 0,
        first: time,
        last: time,
        row: this.clientCells.length,
        runMinute: 0,
        runCount: 0,
      };
      row.clients.set(clientKey, activity);
      this.clientCells.push(activity);
    }
    extend(activity, time);
    const minute = Math.floor(time / 60_000);
    if (activity.runCount > 0 && activity.runMinute === minute) {
      activity.runCount++;
    } else {
      if (activity.runCount > 0) this.minutes.add(activity.row, activity.runMinute, activity.runCount);
      activity.runMinute = minute;
      activity.runCount = 1;
    }

    if (owner.accessKey) extend(owner.accessKey, time);
    extend(owner.principal, time);
    if (owner.session) addRanked(owner.principal.sessionNames, owner.session);
    return true;
  }

  /**
   * The state, for `summarize`: it shares the aggregator's usage and principal cells (no copies at the moment memory
   * peaks), so it is taken once, at the end; each client row's minutes are reduced to its busiest one.
   */
  snapshot(): AggregateState {
    for (const cell of this.clientCells) {
      if (cell.runCount > 0) this.minutes.add(cell.row, cell.runMinute, cell.runCount);
      cell.runCount = 0;
    }
    // Only each row's busiest minute is needed for its peak (this is the only state summarized).
    const busiest = this.minutes.busiest(this.clientCells.length);
    return {
      pairs: this.pairList.map(({ eventSource, eventName, count }) => ({ eventSource, eventName, count })),
      usage: this.usageCells,
      clients: this.clientCells.map((cell): ClientCell => ({
        identityId: cell.identityId,
        credentialId: cell.credentialId,
        client: cell.client,
        sourceNetwork: cell.sourceNetwork,
        count: cell.count,
        first: cell.first,
        last: cell.last,
        minutes: [busiest.subarray(cell.row * 2, cell.row * 2 + 2)],
      })),
      accessKeys: [...this.accessKeys.values()].flat().filter((cell) => cell.count > 0),
      principals: [...this.principals.values()].filter((cell) => cell.count > 0),
      first: this.first,
      last: this.last,
    };
  }

  /** The eventSources seen, to load the catalogue services they need. */
  eventSources(): Set<string> {
    return new Set<string>(this.pairsBySource.keys());
  }

  /** Maps every distinct eventSource/eventName pair once, and returns sorted rows. */
  summarize(catalogue: ActionCatalogue): AggregateSummary {
    return summarizeStates([this.snapshot()], catalogue);
  }

  private pair(eventSource: string, eventName: string): PairEntry {
    let byName = this.pairsBySource.get(eventSource);
    if (!byName) {
      byName = new Map();
      this.pairsBySource.set(eventSource, byName);
    }
    let pair = byName.get(eventName);
    if (!pair) {
      pair = { eventSource, eventName, count: 0, index: this.pairList.length };
      byName.set(eventName, pair);
      this.pairList.push(pair);
    }
    return pair;
  }

  /** Attribution of a `userIdentity`, cached by its JSON text. */
  private owner(event: ObservedEvent): OwnerEntry {
    // Keyed by the block's 64-bit hash (53 bits as the number, the rest checked): no long text kept or hashed again.
    const h1 = event.identityHash1;
    const h2 = event.identityHash2;
    const cacheKey = h1 * 0x200000 + (h2 >>> 11);
    const cached = this.owners.get(cacheKey);
    if (cached && cached.identityHash2 === h2) return cached;
    if (this.owners.size >= OWNER_CACHE_LIMIT) this.owners = new Map();

    const attribution = this.canonical(
      attributePrincipal(
        event.userIdentity !== undefined ? event.userIdentity : parseUserIdentity(event.userIdentityKey),
      ),
    );
    const rowKey = attribution.identityId + SEPARATOR + (attribution.credentialId ?? '');
    let row = this.ownerRows.get(rowKey);
    if (!row) {
      row = { usage: new Map(), usageByResource: new Map(), clients: new Map() };
      this.ownerRows.set(rowKey, row);
    }
    let principal = this.principals.get(attribution.identityId);
    if (!principal) {
      principal = {
        identityId: attribution.identityId,
        principalArn: attribution.principalArn,
        principalType: attribution.principalType,
        accountId: attribution.accountId,
        count: 0,
        first: Infinity,
        last: -Infinity,
        sessionNames: [],
      };
      this.principals.set(attribution.identityId, principal);
    } else {
      principal.principalArn = preferred(principal.principalArn, attribution.principalArn);
      if (attribution.principalType < principal.principalType)
        principal.principalType = attribution.principalType;
      principal.accountId = preferred(principal.accountId, attribution.accountId);
    }
    let accessKey: AccessKeyCell | null = null;
    if (attribution.accessKeyId) {
      let cells = this.accessKeys.get(attribution.accessKeyId);
      if (!cells) {
        cells = [];
        this.accessKeys.set(attribution.accessKeyId, cells);
      }
      accessKey = cells.find((cell) => cell.identityId === attribution.identityId) ?? null;
      if (!accessKey) {
        accessKey = {
          keyId: attribution.accessKeyId,
          identityId: attribution.identityId,
          principalArn: attribution.principalArn,
          temporary: attribution.temporaryKey,
          count: 0,
          first: Infinity,
          last: -Infinity,
        };
        cells.push(accessKey);
      } else {
        accessKey.principalArn = preferred(accessKey.principalArn, attribution.principalArn);
      }
    }
    const session = attribution.sessionName ? this.session(attribution.sessionName) : null;
    const owner: OwnerEntry = { identityHash2: h2, attribution, row, session, principal, accessKey };
    // A different block with the same 53 bits (never seen in practice) is attributed afresh each time, not cached.
    if (!cached) this.owners.set(cacheKey, owner);
    return owner;
  }

  /** The attribution with its recurring strings replaced by the aggregator's one copy of each. */
  private canonical(attribution: PrincipalAttribution): PrincipalAttribution {
    if (this.canonicalStrings.size >= CACHE_LIMIT) this.canonicalStrings = new Map();
    const one = (value: string): string => {
      const known = this.canonicalStrings.get(value);
      if (known !== undefined) return known;
      this.canonicalStrings.set(value, value);
      return value;
    };
    const maybe = (value: string | null): string | null => (value === null ? null : one(value));
    return {
      ...attribution,
      identityId: one(attribution.identityId),
      credentialId: maybe(attribution.credentialId),
      principalArn: maybe(attribution.principalArn),
      principalType: one(attribution.principalType),
      accountId: maybe(attribution.accountId),
    };
  }

  private userAgent(value: string): UserAgentEntry {
    let entry = this.userAgents.get(value);
    if (!entry) {
      if (this.userAgents.size >= CACHE_LIMIT) this.userAgents = new Map();
      const client = classifyUserAgent(value);
      entry = { value, rank: rankOf(value), client, familyIndex: intern(this.families, client.family, 0) };
      this.userAgents.set(value, entry);
    }
    return entry;
  }

  private address(value: string): AddressEntry {
    let entry = this.addresses.get(value);
    if (!entry) {
      if (this.addresses.size >= CACHE_LIMIT) this.addresses = new Map();
      const network = sourceNetwork(value);
      entry = { value, rank: rankOf(value), network, networkIndex: intern(this.networks, network, 0) };
      this.addresses.set(value, entry);
    }
    return entry;
  }

  private session(value: string): RankedValue {
    let entry = this.sessions.get(value);
    if (!entry) {
      if (this.sessions.size >= CACHE_LIMIT) this.sessions = new Map();
      entry = { value, rank: rankOf(value) };
      this.sessions.set(value, entry);
    }
    return entry;
  }
}

/** A `userIdentity` block from its text ('' when missing; text that is not JSON attributes as a missing block). */
function parseUserIdentity(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The index of `value` in `table`, adding it (numbered from `base`) when new. */
function intern(table: Map<string, number>, value: string, base: number): number {
  let index = table.get(value);
  if (index === undefined) {
    index = table.size + base;
    table.set(value, index);
  }
  return index;
}

function extend(span: Span, time: number): void {
  span.count++;
  if (time < span.first) span.first = time;
  if (time > span.last) span.last = time;
}
