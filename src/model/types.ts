// The normalized model every stage after the connectors speaks: identities, credentials, grants, usage, people, edges, findings.

/** Severity of a finding, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
/** Severity of a finding. */
export type Severity = (typeof SEVERITIES)[number];

/** Finding categories a rule may use. */
export const CATEGORIES = [
  'shared-credential',
  'long-lived-secret',
  'orphaned-identity',
  'over-privilege',
  'human-credential',
  'insecure-trust',
  'hygiene',
] as const;
/** Category of a finding. */
export type Category = (typeof CATEGORIES)[number];

/** JSON-serialisable evidence attached to rows and findings. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * A principal that can act: an IAM user or role, a GitHub App installation, a PAT, an API key…
 * `id` is stable across scans: `provider:kind:native-id`.
 */
export interface Identity {
  id: string;
  provider: string;
  kind: string;
  name: string;
  /** AWS account id, GitHub org, SaaS tenant. */
  account: string | null;
  /** The provider's own address for it (an ARN, a URL), shown to people as the resource. */
  arn: string | null;
  /** True when a person signs in with it (an IAM user with a console password). */
  isHuman: boolean;
  owner: string | null;
  /** Where the owner came from: `tag:owner`, `added_by`, `creator`, `config`. */
  ownerSource: string | null;
  purpose: string | null;
  createdAt: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  isAgent: boolean;
  /** Why it is judged an agent (tags, names, user agents, session names). */
  agentEvidence: string[];
  tags: Record<string, string>;
  /** Provider-specific facts rules may read (path, password_enabled, mfa_active, trust policy…). */
  attributes: JsonObject;
}

/** A secret or key an identity authenticates with. Never holds the secret itself. */
export interface Credential {
  id: string;
  identityId: string;
  kind: string;
  /** The provider's public key id where it has one (an AWS access key id), else null. */
  keyId: string | null;
  createdAt: string | null;
  lastRotatedAt: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  status: 'active' | 'inactive' | 'expired' | 'revoked' | 'unknown';
  scopes: string[];
  /** sha256 of the secret, or the provider's public key id: never the secret. */
  fingerprint: string | null;
  /** At most the last 4 characters of a secret, for people to recognise it. */
  hint: string | null;
  attributes: JsonObject;
}

/** One permission granted to an identity, as written in the policy (patterns are not expanded here). */
export interface Grant {
  identityId: string;
  /** `s3:GetObject`, `iam:*`, `*`, `contents:write`. */
  permission: string;
  resource: string;
  effect: 'allow' | 'deny';
  /** True when the statement uses NotAction: `permission` is then what is *excluded*. */
  notAction: boolean;
  sourcePolicy: string;
  /** True when a Condition limits the statement. */
  conditional: boolean;
}

/** Aggregated use of one permission by one identity (and credential) over the evidence window. */
export interface Usage {
  identityId: string;
  credentialId: string | null;
  /** Mapped permission (`s3:GetObject`), or null when the event could not be mapped. */
  permission: string | null;
  eventSource: string;
  eventName: string;
  resource: string | null;
  firstSeen: string;
  lastSeen: string;
  count: number;
  userAgents: string[];
  sourceAddresses: string[];
  sessionNames: string[];
}

/** A usage row without its event names and samples: what right-sizing reads back from the cache. */
export type UsageSummary = Pick<
  Usage,
  'credentialId' | 'permission' | 'resource' | 'firstSeen' | 'lastSeen' | 'count' | 'sessionNames'
>;

/** How one credential or identity was driven, per client family and source network. */
export interface ClientActivity {
  identityId: string;
  credentialId: string | null;
  /** `aws-cli`, `sdk-python`, `console`, `ai-agent:claude-code`, `iac:terraform`, `aws-service`… */
  clientFamily: string;
  /** True for CLI, SDK, IaC and agent clients: software, not a person at a console. */
  automated: boolean;
  /** True when the client is an AI agent framework or SDK. */
  agent: boolean;
  /** `/24` of an IPv4 address, `/48` of IPv6, or the AWS service name. */
  sourceNetwork: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Most events seen from this client in any single minute. */
  peakPerMinute: number;
}

/** A human the estate knows about, for ownership. */
export interface Person {
  id: string;
  name: string | null;
  email: string | null;
  status: 'active' | 'departed' | 'unknown';
  source: string;
}

/** A relation between two nodes of the identity graph, possibly across providers. */
export interface Edge {
  from: string;
  to: string;
  kind: 'can-assume' | 'trusts-oidc' | 'found-in' | 'acts-for' | 'member-of' | 'owned-by';
  evidence: JsonObject;
}

/**
 * A policy document reaching an identity, kept whole so expansion sees exactly what AWS evaluates (NotResource,
 * statement boundaries). `identity` policies grant (inline, managed, through a group); a `boundary` only caps.
 */
export interface AttachedPolicy {
  identityId: string;
  /** Named like a grant's sourcePolicy: `inline:NAME`, a managed policy ARN, `group:NAME/…`. */
  sourcePolicy: string;
  kind: 'identity' | 'boundary';
  document: JsonObject;
}

/**
 * Granted vs used for one identity over the evidence window, derived during a scan (rule view `permission_summary`).
 * Counts are of IAM actions after expansion: Allow ∩ permission boundary − Deny.
 */
export interface PermissionSummary {
  identityId: string;
  grantedCount: number;
  /** Granted actions every allowing statement of which carries a Condition (or that a conditional Deny may remove). */
  grantedConditional: number;
  /** Granted actions that change things (access level other than Read and List). */
  grantedWrite: number;
  grantedServices: number;
  /** Distinct actions used in the window that the grant allows. */
  usedCount: number;
  /** Distinct actions used that no known policy allows (a policy not exported, a resource policy, a catalogue gap). */
  usedNotGranted: number;
  /** Granted and not used: what a right-sized policy removes. */
  unusedCount: number;
  unusedWrite: number;
  /** Of the unused, those the window could not show (data events the trail does not log, permission-only actions). */
  unusedUnobservable: number;
  /** Services granted of which nothing was used, and whose use the window could show. */
  unusedServices: string[];
  /** Services granted of which nothing was used, all of whose granted actions the window cannot show. */
  unobservableServices: string[];
  usedServices: string[];
  /** The permission boundary that capped the grant (its ARN), or null. */
  boundary: string | null;
  removedByBoundary: number;
  /** False when some policy reaching the identity could not be read: the granted counts are a lower bound. */
  policiesComplete: boolean;
  firstUsed: string | null;
  lastUsed: string | null;
  /** The evidence window asked for (`--since` … as of) and the first and last event the logs held in it. */
  window: { since: string | null; until: string | null; firstEvent: string | null; lastEvent: string | null };
}

/**
 * Something identities act on that rules need facts about, not a principal: a GitHub repository (visibility, who
 * outside the organization may write to it). `id` is stable across scans: `provider:kind:native-id`.
 */
export interface Resource {
  id: string;
  provider: string;
  /** `repository`. */
  kind: string;
  name: string;
  /** GitHub org, AWS account id, SaaS tenant. */
  account: string | null;
  attributes: JsonObject;
}

/** Which side of a confused deputy a capability is: reading content others control, or acting with consequences. */
export type CapabilityKind = 'untrusted-read' | 'consequential-write';

/**
 * One capability of the catalogue (`rules/capabilities/*.yaml`) an identity holds, derived during a scan (rule view
 * `identity_capabilities`): through which grants, reaching what, and whether the logs show it used.
 */
export interface IdentityCapability {
  identityId: string;
  capabilityId: string;
  kind: CapabilityKind;
  /** What the capability lets it do, as a person would say it (`reads issues and comments`). */
  title: string;
  /** The permissions of its grants that give the capability (`issues:write`, `s3:GetObject`, `repo`). */
  grantedBy: string[];
  /** What it reaches: repositories outsiders can write to, resource patterns; empty when any resource. */
  reach: string[];
  used: boolean;
  /** Calls seen that exercise the capability. */
  usedCount: number;
  /** The permissions those calls were mapped to. */
  usedPermissions: string[];
}

/** Everything the collection stage learned about the estate, ready to be written to the store. */
export interface Inventory {
  identities: Identity[];
  credentials: Credential[];
  grants: Grant[];
  usage: Usage[];
  clientActivity: ClientActivity[];
  people: Person[];
  edges: Edge[];
  /** Policy documents reaching identities (AWS); grants are their flattened form. Absent for other providers. */
  policies?: AttachedPolicy[];
  /** Facts about what identities act on (GitHub repositories). Absent when a source has none. */
  resources?: Resource[];
}

/** An empty inventory to fill. */
export function emptyInventory(): Inventory {
  return {
    identities: [],
    credentials: [],
    grants: [],
    usage: [],
    clientActivity: [],
    people: [],
    edges: [],
    policies: [],
    resources: [],
  };
}

/** Status of a row a rule query returns. */
export type RuleRowStatus = 'alarm' | 'ok' | 'skip';

/** A reference a rule cites (OWASP NHI Top 10 entry, CIS control, vendor doc). */
export interface RuleReference {
  id: string;
  title: string;
  url: string;
}

/** A rule alarm, with a fingerprint stable across scans (rule id + resource). */
export interface Finding {
  id: string;
  ruleId: string;
  title: string;
  severity: Severity;
  category: Category;
  resource: string;
  status: 'alarm';
  reason: string;
  evidence: JsonObject;
  remediation: string;
  references: RuleReference[];
}

/** Per-rule counts of one scan, so reports can say "checked 412, 9 alarms". */
export interface RuleStat {
  ruleId: string;
  /** The scorecard property the rule's alarms fail (its `posture`), null when it has none or was not recorded. */
  posture?: string | null;
  checked: number;
  alarms: number;
  ok: number;
  skipped: number;
  suppressed: number;
  error: string | null;
}

/** How one input source fared in a scan. */
export interface SourceStatus {
  name: string;
  status: 'ok' | 'partial' | 'failed';
  detail: string;
}

/** An input that could not be read, named so a person can fix it. */
export interface InputError {
  file: string;
  message: string;
}

/** Coverage of CloudTrail ingestion: every event read, whatever its date. */
export interface CloudTrailCoverage {
  files: number;
  events: number;
  duplicates: number;
  mapped: number;
  unmapped: number;
  /** Files unchanged since an earlier scan (same key, size and sha256): replayed from their digests, not parsed. */
  reused?: number;
  errors: InputError[];
}
