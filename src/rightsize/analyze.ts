// Compares what one identity is granted (expanded) with what its usage shows, and suggests a least-privilege policy.
import {
  expandIdentityGrants,
  withExtraActions,
  type ExpandedAction,
  type IamCatalogue,
} from '../analysis/policy/expand.js';
import type { Grant } from '../model/types.js';
import type { IdentityRef, UsageRef } from '../store/rightsizeReads.js';
import { isPermissionlessAction } from '../usage/cloudtrail/eventAction.js';

/** An action the usage shows, with how often, when and on what. */
export interface UsedAction {
  action: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Distinct resources seen; empty when no event named one. */
  resources: string[];
  /** True when at least one use had no resource. */
  someWithoutResource: boolean;
}

/** Per service, how many of its granted actions were unused, and which. */
export interface UnusedService {
  service: string;
  granted: number;
  unused: number;
  /** True when none of the service's granted actions was used. */
  wholeService: boolean;
  actions: string[];
}

/** Unused actions of a category CloudTrail logs only as data events (off by default). */
export interface UnseenCategory {
  category: string;
  actions: string[];
}

/** One statement of the suggested policy. */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
}

/** The result of right-sizing one identity. */
export interface RightsizeResult {
  identity: IdentityRef;
  scan: { id: number; asOf: string };
  granted: { count: number; conditional: number };
  used: { count: number; actions: UsedAction[] };
  /** Used and granted over granted, 0–1 (0 when nothing is granted). */
  usedShare: number;
  unused: { count: number; services: UnusedService[] };
  /** Used actions no grant allows (should not happen: a missing grant source, or a catalogue gap). */
  usedNotGranted: string[];
  window: { firstSeen: string | null; lastSeen: string | null; asOf: string; sawNothing: boolean };
  unseenDataEvents: UnseenCategory[];
  policy: { Version: '2012-10-17'; Statement: PolicyStatement[] };
  caveats: string[];
}

/** Data-event categories CloudTrail does not log unless a trail enables them. */
export const DATA_EVENT_CATEGORIES: readonly { category: string; pattern: RegExp }[] = [
  {
    category: 'S3 object-level',
    pattern: /^s3:(\w*Object\w*|AbortMultipartUpload|ListMultipartUploadParts)$/i,
  },
  { category: 'Lambda Invoke', pattern: /^lambda:Invoke\w*$/i },
  {
    category: 'DynamoDB item-level',
    pattern:
      /^dynamodb:(GetItem|PutItem|UpdateItem|DeleteItem|Query|Scan|BatchGetItem|BatchWriteItem|ConditionCheckItem|TransactGetItems|TransactWriteItems|PartiQL\w+|GetRecords|GetShardIterator)$/i,
  },
];

/** The data-event category of an action, or null. */
export function dataEventCategory(action: string): string | null {
  return DATA_EVENT_CATEGORIES.find((c) => c.pattern.test(action))?.category ?? null;
}

function serviceOf(action: string): string {
  return action.slice(0, action.indexOf(':')).toLowerCase();
}

/** Aggregates mapped usage rows (permissionless calls excluded) per lower-case action. */
export function usedActions(usage: readonly UsageRef[]): Map<string, UsedAction> {
  const byAction = new Map<string, UsedAction & { resourceSet: Set<string> }>();
  for (const row of usage) {
    if (row.permission === null || isPermissionlessAction(row.permission)) continue;
    const key = row.permission.toLowerCase();
    const entry = byAction.get(key) ?? {
      action: row.permission,
      count: 0,
      firstSeen: row.firstSeen,
      lastSeen: row.lastSeen,
      resources: [],
      someWithoutResource: false,
      resourceSet: new Set<string>(),
    };
    entry.count += row.count;
    if (row.firstSeen < entry.firstSeen) entry.firstSeen = row.firstSeen;
    if (row.lastSeen > entry.lastSeen) entry.lastSeen = row.lastSeen;
    if (row.resource) entry.resourceSet.add(row.resource);
    else entry.someWithoutResource = true;
    byAction.set(key, entry);
  }
  const result = new Map<string, UsedAction>();
  for (const [key, { resourceSet, ...entry }] of byAction) {
    result.set(key, { ...entry, resources: [...resourceSet].sort() });
  }
  return result;
}

/** Right-sizes one identity from its stored grants and usage, against the catalogue. Pure. */
export function analyzeIdentity(input: {
  identity: IdentityRef;
  scan: { id: number; asOf: string };
  grants: readonly Grant[];
  usage: readonly UsageRef[];
  catalogue: IamCatalogue;
}): RightsizeResult {
  const used = usedActions(input.usage);
  // Actions seen in logs but missing from the catalogue are added, so that `*` or `s3:Get*` still covers them.
  const catalogue = withExtraActions(
    input.catalogue,
    [...used.values()].map((u) => u.action),
  );
  const granted = expandIdentityGrants(input.grants, catalogue);

  const usedGranted = [...used.keys()].filter((key) => granted.has(key));
  const usedNotGranted = [...used.entries()]
    .filter(([key]) => !granted.has(key))
    .map(([, u]) => u.action)
    .sort();

  const unusedByService = new Map<string, { granted: number; actions: string[] }>();
  for (const [key, expanded] of granted) {
    const service = serviceOf(expanded.action);
    const entry = unusedByService.get(service) ?? { granted: 0, actions: [] };
    entry.granted += 1;
    if (!used.has(key)) entry.actions.push(expanded.action);
    unusedByService.set(service, entry);
  }
  const services: UnusedService[] = [...unusedByService.entries()]
    .filter(([, e]) => e.actions.length > 0)
    .map(([service, e]) => ({
      service,
      granted: e.granted,
      unused: e.actions.length,
      wholeService: e.actions.length === e.granted,
      actions: e.actions.sort(),
    }))
    .sort((a, b) => b.unused - a.unused || a.service.localeCompare(b.service));
  const unusedCount = services.reduce((sum, s) => sum + s.unused, 0);

  const unseen = new Map<string, string[]>();
  for (const service of services) {
    for (const action of service.actions) {
      const category = dataEventCategory(action);
      if (category) unseen.set(category, [...(unseen.get(category) ?? []), action]);
    }
  }

  const usedList = [...used.values()].sort((a, b) => a.action.localeCompare(b.action));
  const firstSeen = usedList.length > 0 ? usedList.map((u) => u.firstSeen).sort()[0]! : null;
  const lastSeen =
    usedList.length > 0
      ? usedList
          .map((u) => u.lastSeen)
          .sort()
          .at(-1)!
      : null;
  const sawNothing = usedList.length === 0;

  const statements = suggestStatements(usedGranted.map((key) => [used.get(key)!, granted.get(key)!]));
  const caveats: string[] = [];
  if (sawNothing) {
    caveats.push(
      'the evidence window saw no use of this identity at all: do not remove its permissions without other evidence (it may run rarely, or its logs were not read)',
    );
  }
  if (unseen.size > 0) {
    caveats.push(
      'CloudTrail logs data events (S3 object-level, Lambda Invoke, DynamoDB item-level) only when a trail enables them: the unused actions of those categories may have been used unseen',
    );
  }
  const conditionalUsed = usedGranted.filter((key) => granted.get(key)!.conditional);
  if (conditionalUsed.length > 0) {
    caveats.push(
      `the grants of ${conditionalUsed.map((key) => granted.get(key)!.action).join(', ')} carry a Condition the suggested policy does not repeat: copy it from the original policy`,
    );
  }
  if (usedNotGranted.length > 0) {
    caveats.push(
      `${usedNotGranted.length} used action(s) are not granted by any policy in the cache (a policy the export did not include, a resource-based policy, or a catalogue gap); they are left out of the suggested policy`,
    );
  }
  caveats.push(
    'the suggested policy covers only what the window saw: actions used monthly, yearly or in an incident may be missing',
  );

  return {
    identity: input.identity,
    scan: input.scan,
    granted: {
      count: granted.size,
      conditional: [...granted.values()].filter((g) => g.conditional).length,
    },
    used: { count: usedList.length, actions: usedList },
    usedShare: granted.size === 0 ? 0 : usedGranted.length / granted.size,
    unused: { count: unusedCount, services },
    usedNotGranted,
    window: { firstSeen, lastSeen, asOf: input.scan.asOf, sawNothing },
    unseenDataEvents: [...unseen.entries()].map(([category, actions]) => ({ category, actions })),
    policy: { Version: '2012-10-17', Statement: statements },
    caveats,
  };
}

/**
 * Statements of the suggested policy: per service, actions sharing the same resources in one statement. Resources
 * are the ARNs usage saw when every use of the action named one, else the granted resources.
 */
export function suggestStatements(
  pairs: readonly (readonly [UsedAction, ExpandedAction])[],
): PolicyStatement[] {
  const groups = new Map<string, { service: string; resources: string[]; actions: string[] }>();
  for (const [use, grant] of pairs) {
    const resources = !use.someWithoutResource && use.resources.length > 0 ? use.resources : grant.resources;
    const service = serviceOf(grant.action);
    const key = JSON.stringify([service, resources]);
    const group = groups.get(key) ?? { service, resources, actions: [] };
    group.actions.push(grant.action);
    groups.set(key, group);
  }
  const counters = new Map<string, number>();
  return [...groups.values()]
    .sort((a, b) => a.service.localeCompare(b.service) || a.actions[0]!.localeCompare(b.actions[0]!))
    .map((group) => {
      const base = group.service.replace(/[^a-z0-9]/gi, '').replace(/^./, (c) => c.toUpperCase());
      const n = (counters.get(base) ?? 0) + 1;
      counters.set(base, n);
      return {
        Sid: n === 1 ? base : `${base}${n}`,
        Effect: 'Allow' as const,
        Action: group.actions.sort(),
        Resource: group.resources.length === 1 ? group.resources[0]! : group.resources,
      };
    });
}
