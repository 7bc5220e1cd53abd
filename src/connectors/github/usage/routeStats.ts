// API Insights route statistics per fine-grained PAT and App installation, mapped endpoint → permission with GitHub's tables.
import type { Usage } from '../../../model/types.js';
import { mapWithLimit } from '../model.js';
import type { OrgReader } from '../reader.js';
import { exercisedPermissions, grantLevels } from './exercised.js';
import { loadPermissionTable, type TokenKind } from './permissionTable.js';

/** One row of `GET /orgs/{org}/insights/api/route-stats/{actor_type}/{actor_id}`. */
export interface RouteStat {
  http_method?: string;
  api_route?: string;
  total_request_count?: number;
  rate_limited_request_count?: number;
  last_request_timestamp?: string;
  last_rate_limited_timestamp?: string | null;
}

/** An actor whose route statistics are read: a PAT (by token id) or an installation (by installation id). */
export interface RouteStatsActor {
  kind: TokenKind;
  actorId: number;
  identityId: string;
  credentialId: string | null;
  /** What the actor was granted (`contents:write`), to resolve endpoints with alternative permissions. */
  granted: string[];
}

/** What route statistics gave. */
export interface RouteStatsResult {
  usage: Usage[];
  /** Identity ids whose statistics were read (even when empty): their usage is known. */
  observed: Set<string>;
  counts: { actors: number; routes: number; mapped: number; unmapped: number; ambiguous: number };
}

/** The route-stats window: whole UTC days from `since` to `until`, so a re-scan the same day hits the ETag cache. */
export function dayWindow(window: { since: string; until: string }): { min: string; max: string } {
  const min = `${window.since.slice(0, 10)}T00:00:00Z`;
  const until = new Date(`${window.until.slice(0, 10)}T00:00:00Z`);
  until.setUTCDate(until.getUTCDate() + 1);
  return { min, max: until.toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

const ACTOR_TYPES: Record<TokenKind, string> = {
  'fine-grained-pat': 'fine_grained_pat',
  installation: 'installation',
};
const ROUTE = 'GET /orgs/{org}/insights/api/route-stats/{actor_type}/{actor_id}';

/**
 * Reads each actor's route statistics over the window and maps every `METHOD api_route` to the permission it
 * exercised (unmapped routes are kept with a null permission, and counted). Stops asking once the endpoint is
 * unavailable (plan or permission), since every other actor would be refused the same way.
 */
export async function readRouteStats(
  reader: OrgReader,
  actors: readonly RouteStatsActor[],
  window: { since: string; until: string },
): Promise<RouteStatsResult> {
  const usage: Usage[] = [];
  const observed = new Set<string>();
  const counts = { actors: 0, routes: 0, mapped: 0, unmapped: 0, ambiguous: 0 };
  const { min, max } = dayWindow(window);
  await mapWithLimit(actors, 4, async (actor) => {
    if (reader.unavailable.has(ROUTE)) return;
    const rows = await reader.list<RouteStat>(ROUTE, {
      org: reader.org,
      actor_type: ACTOR_TYPES[actor.kind],
      actor_id: actor.actorId,
      min_timestamp: min,
      max_timestamp: max,
    });
    if (rows === null) return;
    observed.add(actor.identityId);
    counts.actors += 1;
    const table = loadPermissionTable(actor.kind);
    const granted = grantLevels(actor.granted);
    for (const row of rows) {
      const method = (row.http_method ?? 'GET').toUpperCase();
      const route = row.api_route ?? '';
      const seen = row.last_request_timestamp ?? max;
      const count = row.total_request_count ?? 0;
      if (!route || count <= 0) continue;
      counts.routes += 1;
      const endpoint = table.lookup(method, route);
      const base = {
        identityId: actor.identityId,
        credentialId: actor.credentialId,
        eventSource: 'github:api-insights',
        eventName: `${method} ${route}`,
        resource: null,
        firstSeen: seen,
        lastSeen: seen,
        count,
        userAgents: [],
        sourceAddresses: [],
        sessionNames: [],
      };
      if (!endpoint || endpoint.permissions.length === 0) {
        counts.unmapped += 1;
        usage.push({ ...base, permission: null });
        continue;
      }
      counts.mapped += 1;
      const exercised = exercisedPermissions(endpoint, granted);
      if (exercised.ambiguous) counts.ambiguous += 1;
      for (const permission of exercised.permissions) usage.push({ ...base, permission });
    }
  });
  return { usage, observed, counts };
}
