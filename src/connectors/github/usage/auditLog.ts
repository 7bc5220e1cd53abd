// The organization audit log (Enterprise Cloud): Git reads and pushes by deploy keys, App installations and PATs,
// and who created webhooks, installed Apps and set secrets (owners GitHub's other endpoints do not record).
import type { Usage } from '../../../model/types.js';
import type { OrgReader } from '../reader.js';

/** An audit log event (the fields agentaudit reads). */
export interface AuditEvent {
  '@timestamp'?: number;
  created_at?: number;
  action?: string;
  actor?: string;
  actor_ip?: string;
  user_agent?: string;
  repo?: string;
  repository?: string;
  name?: string;
  hook_id?: number;
  deploy_key_fingerprint?: string;
  programmatic_access_type?: string;
  token_id?: number;
  integration?: string;
  environment_name?: string;
  data?: Record<string, unknown>;
}

/** How audit-log actors are matched to identities of the inventory. */
export interface AuditLogIndex {
  /** Deploy key identity id by fingerprint (`SHA256:…`, compared without prefix and padding). */
  deployKeysByFingerprint: ReadonlyMap<string, { identityId: string; credentialId: string }>;
  /** Installation identity id by App slug (lower-case). */
  installationsBySlug: ReadonlyMap<string, string>;
  /** Fine-grained PAT identity id (and credential) by token id. */
  patsByTokenId: ReadonlyMap<number, { identityId: string; credentialId: string }>;
}

/** What the audit log gave. */
export interface AuditLogResult {
  usage: Usage[];
  /** Hook id → who created it. */
  hookCreators: Map<number, string>;
  /** App slug (lower-case) → who installed it. */
  installedBy: Map<string, string>;
  /** Secret key (`org/NAME`, `org/repo/NAME`, `org/repo/environments/ENV/NAME`, lower-case) → who last set it. */
  secretActors: Map<string, string>;
  counts: { events: number; gitEvents: number; attributed: number; unattributed: number; truncated: boolean };
  /** Null when the audit log could not be read. */
  read: boolean;
}

/** Audit log events read at most (newest first); more is truncated and said so in coverage. */
export const AUDIT_LOG_LIMIT = 5000;

const GIT_PERMISSIONS: Record<string, string> = {
  'git.clone': 'contents:read',
  'git.fetch': 'contents:read',
  'git.push': 'contents:write',
};

/** A fingerprint in one comparable form: no `SHA256:` prefix, no base64 padding. */
export const fingerprintKey = (fingerprint: string): string =>
  fingerprint.replace(/^SHA256:/i, '').replace(/=+$/, '');

const iso = (ms: number | undefined): string | null =>
  ms === undefined ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Reads the audit log over the window (whole days, newest first, at most AUDIT_LOG_LIMIT events) and turns Git
 * events into usage of the deploy key, installation or fine-grained PAT that made them, and creation events into
 * owners. Events agentaudit cannot attribute (a classic PAT is known only by a hash of the token) are counted.
 */
export async function readAuditLog(
  reader: OrgReader,
  index: AuditLogIndex,
  window: { since: string; until: string },
): Promise<AuditLogResult> {
  const result: AuditLogResult = {
    usage: [],
    hookCreators: new Map(),
    installedBy: new Map(),
    secretActors: new Map(),
    counts: { events: 0, gitEvents: 0, attributed: 0, unattributed: 0, truncated: false },
    read: false,
  };
  const events = await reader.list<AuditEvent>(
    'GET /orgs/{org}/audit-log',
    {
      org: reader.org,
      phrase: `created:${window.since.slice(0, 10)}..${window.until.slice(0, 10)}`,
      include: 'all',
      order: 'desc',
    },
    { limit: AUDIT_LOG_LIMIT },
  );
  if (events === null) return result;
  result.read = true;
  result.counts.events = events.length;
  result.counts.truncated = events.length >= AUDIT_LOG_LIMIT;
  const aggregated = new Map<string, Usage>();
  for (const event of events) {
    const action = event.action ?? '';
    const at = iso(event['@timestamp'] ?? event.created_at);
    const actor = event.actor ?? null;
    collectOwners(reader.org, event, action, actor, result);
    const permission = GIT_PERMISSIONS[action];
    if (!permission || at === null) continue;
    result.counts.gitEvents += 1;
    const who = attribute(event, index);
    if (!who) {
      result.counts.unattributed += 1;
      continue;
    }
    result.counts.attributed += 1;
    const repository = event.repo ?? event.repository ?? null;
    const key = JSON.stringify([who.identityId, who.credentialId, action, repository]);
    const row = aggregated.get(key) ?? {
      identityId: who.identityId,
      credentialId: who.credentialId,
      permission,
      eventSource: 'github:audit-log',
      eventName: action,
      resource: repository,
      firstSeen: at,
      lastSeen: at,
      count: 0,
      userAgents: [],
      sourceAddresses: [],
      sessionNames: [],
    };
    row.count += 1;
    if (at < row.firstSeen) row.firstSeen = at;
    if (at > row.lastSeen) row.lastSeen = at;
    if (event.user_agent && !row.userAgents.includes(event.user_agent) && row.userAgents.length < 20)
      row.userAgents.push(event.user_agent);
    if (event.actor_ip && !row.sourceAddresses.includes(event.actor_ip) && row.sourceAddresses.length < 20)
      row.sourceAddresses.push(event.actor_ip);
    aggregated.set(key, row);
  }
  result.usage = [...aggregated.values()];
  return result;
}

function attribute(
  event: AuditEvent,
  index: AuditLogIndex,
): { identityId: string; credentialId: string | null } | null {
  if (event.deploy_key_fingerprint) {
    return index.deployKeysByFingerprint.get(fingerprintKey(event.deploy_key_fingerprint)) ?? null;
  }
  const access = (event.programmatic_access_type ?? '').toLowerCase();
  if (event.token_id !== undefined && access.includes('fine-grained')) {
    return index.patsByTokenId.get(event.token_id) ?? null;
  }
  const bot = /^(.+)\[bot\]$/.exec(event.actor ?? '');
  if (bot || access.includes('server-to-server')) {
    const slug = (bot?.[1] ?? event.integration ?? '').toLowerCase();
    const identityId = index.installationsBySlug.get(slug);
    return identityId ? { identityId, credentialId: null } : null;
  }
  return null;
}

/** Events are newest first: the first event seen for a key is the latest, and wins. */
function collectOwners(
  org: string,
  event: AuditEvent,
  action: string,
  actor: string | null,
  result: AuditLogResult,
): void {
  if (!actor) return;
  if (
    action === 'hook.create' &&
    typeof event.hook_id === 'number' &&
    !result.hookCreators.has(event.hook_id)
  ) {
    result.hookCreators.set(event.hook_id, actor);
  }
  if (action === 'integration_installation.create') {
    const slug = (event.integration ?? event.name ?? '').toLowerCase();
    if (slug && !result.installedBy.has(slug)) result.installedBy.set(slug, actor);
  }
  const secret = /^(org|repo|environment)\.(create|update)_actions_secret$/.exec(action);
  if (secret && event.name) {
    const repository = (event.repo ?? event.repository ?? '').split('/').pop() ?? '';
    const key =
      secret[1] === 'org'
        ? `${org}/${event.name}`
        : secret[1] === 'repo'
          ? `${org}/${repository}/${event.name}`
          : `${org}/${repository}/environments/${event.environment_name ?? ''}/${event.name}`;
    if (!result.secretActors.has(key.toLowerCase())) result.secretActors.set(key.toLowerCase(), actor);
  }
}
