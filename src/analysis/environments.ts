// Environment isolation: which places (AWS accounts, GitHub environments, files on disk, SaaS tenants) are prod or non-prod, and where each credential is seen.
import type { Credential, Identity, Inventory, JsonValue } from '../model/types.js';

/** The environment a place belongs to; null when nothing says. */
export type EnvironmentVerdict = 'prod' | 'nonprod';

/** Config `environments`: verdicts by AWS account id, and extra name patterns (case-insensitive regular expressions). */
export interface EnvironmentConfig {
  accounts?: Record<string, EnvironmentVerdict>;
  prod?: string[];
  nonprod?: string[];
}

/** The config, compiled once per scan. */
export interface EnvironmentRules {
  accounts: ReadonlyMap<string, EnvironmentVerdict>;
  prod: readonly RegExp[];
  nonprod: readonly RegExp[];
}

/** What kind of place a credential can be held or used in. */
export type PlaceKind = 'aws-account' | 'github-environment' | 'github-org' | 'saas-tenant' | 'local-holder';

/** One place with its verdict and why (rule view `environment_places`). */
export interface EnvironmentPlace {
  /** Stable key: `aws-account:111122223333`, `github-environment:org/repo/production`, `saas-tenant:openai:Fleet API`, or a local holder's identity id. */
  place: string;
  kind: PlaceKind;
  /** The text classified: the account id, the environment name, the tenant name, the file path and holder. */
  name: string;
  /** For people: `AWS account 111122223333`, `GitHub environment production of org/repo`… */
  label: string;
  environment: EnvironmentVerdict | null;
  /** Why: the config entry, the tags, or the word of the name that decided; or why nothing did. */
  evidence: string;
}

/** What a credential key stands for (rule view `credential_places`, column `credential_kind`). */
export type CredentialKind = 'credential' | 'local-secret' | 'identity' | 'role-session-name';

/** One credential seen in one place (rule view `credential_places`). */
export interface CredentialPlace {
  /**
   * The credential, one key for all its copies: an inventory credential's id (an AWS access key as `<user ARN>#n`),
   * a secret found on disk that matches none by its label (the key id or redacted hint with its sha256 prefix),
   * an identity acting without a credential of its own (a role: its ARN), or `role session name "<name>"`.
   */
  credential: string;
  credentialKind: CredentialKind;
  /** For people: never a secret value. */
  label: string;
  credentialId: string | null;
  identityId: string | null;
  place: string;
  /** How it is there: `its own account`, `AssumeRole arn:aws:iam::…:role/deploy`, `MCP server "aws" in …`. */
  via: string;
  /** True when an AI agent holds or drives it there. */
  agent: boolean;
}

/** Everything environment isolation derives from one inventory. */
export interface EnvironmentFacts {
  places: EnvironmentPlace[];
  placements: CredentialPlace[];
}

/** Words of a name that say prod. */
const PROD_WORDS = new Set(['prod', 'production', 'prd']);
/** Words of a name that say non-prod. */
const NONPROD_WORDS = new Set([
  'nonprod',
  'preprod',
  'dev',
  'develop',
  'development',
  'staging',
  'stage',
  'stg',
  'test',
  'testing',
  'qa',
  'uat',
  'preview',
  'sandbox',
  'sbx',
]);
/** Tag keys whose value names an environment. */
const ENVIRONMENT_TAG_KEYS = new Set(['environment', 'env', 'stage', 'tier', 'environment-name', 'env-name']);
/** Session names tools give every session by default: they say nothing about who assumed the role. */
const DEFAULT_SESSION_NAMES = [
  /^GitHubActions$/i,
  /^botocore-session-\d+$/i,
  /^aws-go-sdk-\d+$/i,
  /^aws-sdk-js-\d+$/i,
  /^aws-sdk-java-\d+$/i,
  /^AWSCLI-Session$/i,
  /^\d+$/,
];

/**
 * Compiles config `environments`; throws an Error naming the field of a pattern that is not a regular expression
 * (config loading turns it into a message naming the file).
 */
export function compileEnvironmentRules(config: EnvironmentConfig = {}): EnvironmentRules {
  const compile = (side: 'prod' | 'nonprod'): RegExp[] =>
    (config[side] ?? []).map((pattern, index) => {
      try {
        return new RegExp(pattern, 'i');
      } catch (error) {
        throw new Error(
          `field "environments.${side}[${index}]" is not a valid regular expression: ${(error as Error).message}`,
        );
      }
    });
  return {
    accounts: new Map(Object.entries(config.accounts ?? {})),
    prod: compile('prod'),
    nonprod: compile('nonprod'),
  };
}

/**
 * The environment a name says, with the evidence: a config pattern first (`environments.prod` / `.nonprod`), then the
 * built-in words (prod, production, prd; nonprod, preprod, dev, staging, stage, stg, test, qa, uat, preview,
 * sandbox…) as whole words of the name. A name that says both is ambiguous (environment null, evidence given);
 * null when the name says nothing.
 */
export function classifyName(
  name: string,
  rules: EnvironmentRules,
): { environment: EnvironmentVerdict | null; evidence: string } | null {
  const byConfig = (side: 'prod' | 'nonprod'): RegExp | undefined => rules[side].find((re) => re.test(name));
  const prodPattern = byConfig('prod');
  const nonprodPattern = byConfig('nonprod');
  if (prodPattern && nonprodPattern) {
    return {
      environment: null,
      evidence: `"${name}" matches both environments.prod /${prodPattern.source}/ and environments.nonprod /${nonprodPattern.source}/`,
    };
  }
  if (prodPattern)
    return { environment: 'prod', evidence: `"${name}" matches environments.prod /${prodPattern.source}/` };
  if (nonprodPattern) {
    return {
      environment: 'nonprod',
      evidence: `"${name}" matches environments.nonprod /${nonprodPattern.source}/`,
    };
  }
  const words = nameWords(name);
  const prod = words.find((word) => PROD_WORDS.has(word));
  const nonprod = words.find((word) => NONPROD_WORDS.has(word));
  if (prod && nonprod) return { environment: null, evidence: `"${name}" names both ${prod} and ${nonprod}` };
  if (prod) return { environment: 'prod', evidence: `"${name}" says ${prod}` };
  if (nonprod) return { environment: 'nonprod', evidence: `"${name}" says ${nonprod}` };
  return null;
}

/** The lower-case words of a name: split at punctuation, spaces and camelCase; `non-prod` and `pre-prod` kept whole. */
function nameWords(name: string): string[] {
  const joined = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\b(non|pre)[-_ .]?prod(uction)?\b/g, '$1prod');
  return joined.split(/[^a-z0-9]+/).filter((word) => word.length > 0);
}

/** A path without the home folder it starts in (`/Users/dev/…` must not make everything non-prod). */
function withoutHome(file: string): string {
  return file.replace(
    /^(\/Users\/[^/]+|\/home\/[^/]+|\/root|[A-Za-z]:[\\/]Users[\\/][^\\/]+)(?=[\\/]|$)/,
    '~',
  );
}

const text = (value: JsonValue | undefined): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;

/** The key of an AWS account place. */
export const awsAccountPlace = (account: string): string => `aws-account:${account}`;

/** The AWS account an ARN names (its fifth field), when it names one. */
export function arnAccount(arn: string | null): string | null {
  if (!arn?.startsWith('arn:')) return null;
  const account = arn.split(':')[4] ?? '';
  return /^\d{12}$/.test(account) ? account : null;
}

/**
 * Classifies the places of an inventory and says where each credential is seen: its holder's own place (account,
 * tenant, GitHub environment, file), the AWS accounts its requests name in their ARNs (usage keeps no recipient
 * account: the resource ARN's account is what there is), the accounts of roles a session name was seen on, and every
 * file a copy of it was found in. Pure: the same inventory and rules give the same facts.
 */
export function deriveEnvironments(inventory: Inventory, rules: EnvironmentRules): EnvironmentFacts {
  const identities = new Map(inventory.identities.map((i) => [i.id, i]));
  const credentials = new Map(inventory.credentials.map((c) => [c.id, c]));
  const places = new Map<string, EnvironmentPlace>();
  const placements = new Map<string, CredentialPlace>();
  const vias = new Map<string, Set<string>>();

  const addPlace = (place: string, make: () => Omit<EnvironmentPlace, 'place'>): void => {
    if (!places.has(place)) places.set(place, { place, ...make() });
  };
  const place = (key: string, where: Omit<CredentialPlace, 'place'>): void => {
    const id = `${where.credential}\u0000${key}`;
    const existing = placements.get(id);
    if (!existing) {
      placements.set(id, { ...where, place: key });
      vias.set(id, new Set([where.via]));
      return;
    }
    existing.agent ||= where.agent;
    vias.get(id)?.add(where.via);
  };

  const accountVerdicts = awsAccountVerdicts(inventory.identities, rules);
  // Account aliases the live AWS connector read (`aws:account` resources): `acme-prod` names its environment.
  const aliases = new Map(
    (inventory.resources ?? [])
      .filter((r) => r.provider === 'aws' && r.kind === 'account' && r.account)
      .map((r) => [r.account!, r.name] as const),
  );
  const awsAccount = (account: string): string => {
    const key = awsAccountPlace(account);
    const alias = aliases.get(account);
    const byAlias = alias ? classifyName(alias, rules) : null;
    addPlace(key, () => ({
      kind: 'aws-account',
      name: alias ?? account,
      label: alias ? `AWS account ${account} (${alias})` : `AWS account ${account}`,
      // The config's entry for the account, else a config pattern on its id, else its alias, else its identities' tags.
      ...((rules.accounts.has(account) ? undefined : classifyName(account, rules)) ??
        (rules.accounts.has(account) || !byAlias?.environment
          ? undefined
          : { ...byAlias, evidence: `account alias ${byAlias.evidence}` }) ??
        accountVerdicts.get(account) ?? {
          environment: null,
          evidence: 'no config entry, alias naming an environment or environment tag',
        }),
    }));
    return key;
  };

  /** The place an identity lives in, or null when it has none (a GitHub identity without an org). */
  const homeOf = (identity: Identity): string | null => {
    if (identity.provider === 'local') return localPlace(identity);
    if (identity.provider === 'aws') return identity.account ? awsAccount(identity.account) : null;
    const environment = text(identity.attributes['environment']);
    const repository = text(identity.attributes['repository']);
    if (identity.provider === 'github' && environment && repository) {
      const key = `github-environment:${repository}/${environment}`;
      addPlace(key, () => ({
        kind: 'github-environment',
        name: environment,
        label: `GitHub environment ${environment} of ${repository}`,
        ...named(environment, `GitHub environment "${environment}"`),
      }));
      return key;
    }
    if (!identity.account) return null;
    const account = identity.account;
    const kind: PlaceKind = identity.provider === 'github' ? 'github-org' : 'saas-tenant';
    const key =
      kind === 'github-org' ? `github-org:${account}` : `saas-tenant:${identity.provider}:${account}`;
    addPlace(key, () => ({
      kind,
      name: account,
      label: kind === 'github-org' ? `GitHub organization ${account}` : `${identity.provider} ${account}`,
      ...named(account, 'the name'),
    }));
    return key;
  };

  const named = (name: string, what: string): { environment: EnvironmentVerdict | null; evidence: string } =>
    classifyName(name, rules) ?? { environment: null, evidence: `${what} names no environment` };

  const localPlace = (holder: Identity): string => {
    addPlace(holder.id, () => {
      const file = text(holder.attributes['file']) ?? holder.name;
      const holderName = text(holder.attributes['holder']) ?? holder.name;
      const shownFile = withoutHome(file);
      // A CI job's name says what it does ("test", "smoke-test"), not where: only its file's path is read.
      const byHolder = holder.attributes['holder_type'] === 'job' ? null : classifyName(holderName, rules);
      const verdict = byHolder ?? classifyName(shownFile, rules);
      return {
        kind: 'local-holder',
        name: `${holderName} in ${shownFile}`,
        // The holder is said by the placement's `via` ("MCP server "aws" in the Cursor config"): the file is enough here.
        label: `${file}${holder.account ? ` on ${holder.account}` : ''}`,
        ...(verdict ?? {
          environment: null,
          evidence: 'neither the holder nor the path names an environment',
        }),
      };
    });
    return holder.id;
  };

  const clientAgents = new Set(
    inventory.clientActivity.filter((a) => a.agent && a.credentialId).map((a) => a.credentialId!),
  );
  const credentialKey = (c: Credential): string =>
    c.kind === 'aws-access-key' && c.id.startsWith('aws:access-key:')
      ? c.id.slice('aws:access-key:'.length)
      : c.id;
  const credentialLabel = (c: Credential, holder: Identity | undefined): string =>
    `${c.keyId ?? c.hint ?? c.kind} of ${holder?.name ?? c.identityId}`;

  // Inventory credentials (not copies found on disk) in their holder's place.
  const byFingerprint = new Map<string, Credential>();
  const byKeyId = new Map<string, Credential>();
  for (const c of inventory.credentials) {
    if (c.kind === 'local-secret') continue;
    if (c.fingerprint?.startsWith('sha256:')) byFingerprint.set(c.fingerprint, c);
    if (c.kind === 'aws-access-key' && c.keyId) byKeyId.set(c.keyId, c);
    const holder = identities.get(c.identityId);
    const home = holder ? homeOf(holder) : null;
    if (!home) continue;
    place(home, {
      credential: credentialKey(c),
      credentialKind: 'credential',
      label: credentialLabel(c, holder),
      credentialId: c.id,
      identityId: c.identityId,
      via:
        holder?.provider === 'aws'
          ? 'its own account'
          : home.startsWith('github-environment:')
            ? 'an environment secret'
            : 'where it is issued',
      agent: Boolean(holder?.isAgent) || clientAgents.has(c.id),
    });
  }

  // AWS requests: the account of the ARN each one names; a role's own sessions also by their session names.
  for (const u of inventory.usage) {
    const identity = identities.get(u.identityId);
    if (!identity || identity.provider !== 'aws') continue;
    const credential = u.credentialId ? credentials.get(u.credentialId) : undefined;
    // Without a credential of its own, only a workload's identity is followed: people switching between accounts
    // (console sessions, Identity Center roles named after them) and AWS-managed roles are not a shared secret.
    if (!credential && !isWorkload(identity)) continue;
    const who: Omit<CredentialPlace, 'place' | 'via'> = credential
      ? {
          credential: credentialKey(credential),
          credentialKind: 'credential',
          label: credentialLabel(credential, identity),
          credentialId: credential.id,
          identityId: identity.id,
          agent: identity.isAgent || clientAgents.has(credential.id),
        }
      : {
          credential: identity.arn ?? identity.id,
          credentialKind: 'identity',
          label: `${identity.kind} ${identity.name}`,
          credentialId: null,
          identityId: identity.id,
          agent: identity.isAgent,
        };
    if (!credential && identity.account) {
      place(awsAccount(identity.account), { ...who, via: 'its own account' });
    }
    const account = arnAccount(u.resource);
    if (account) place(awsAccount(account), { ...who, via: `${u.eventName} ${u.resource}` });
    if (identity.kind === 'iam-role' && identity.account) {
      for (const session of u.sessionNames) {
        if (DEFAULT_SESSION_NAMES.some((re) => re.test(session))) continue;
        place(awsAccount(identity.account), {
          credential: `role session name "${session}"`,
          credentialKind: 'role-session-name',
          label: `role session name "${session}"`,
          credentialId: null,
          identityId: null,
          via: `a session of ${identity.arn ?? identity.name}`,
          agent: identity.isAgent,
        });
      }
    }
  }

  // Secrets found on disk: one key with the inventory credential they match, else one key per secret.
  for (const c of inventory.credentials) {
    if (c.kind !== 'local-secret') continue;
    const holder = identities.get(c.identityId);
    if (!holder) continue;
    const linkedId = text(c.attributes['linked_credential_id']);
    const match =
      (linkedId ? credentials.get(linkedId) : undefined) ??
      (c.fingerprint ? byFingerprint.get(c.fingerprint) : undefined) ??
      (c.keyId ? byKeyId.get(c.keyId) : undefined);
    const label = text(c.attributes['label']) ?? c.keyId ?? c.fingerprint ?? c.id;
    const key = localPlace(holder);
    place(key, {
      credential: match ? credentialKey(match) : label,
      credentialKind: match ? 'credential' : 'local-secret',
      label: match ? credentialLabel(match, identities.get(match.identityId)) : label,
      credentialId: match?.id ?? c.id,
      identityId: match?.identityId ?? holder.id,
      via: text(c.attributes['holder_phrase']) ?? `found in ${text(c.attributes['file']) ?? holder.name}`,
      agent: holder.isAgent || c.attributes['agent_config'] === true,
    });
  }

  // Every place of the inventory is classified (every account, GitHub environment, tenant, holder on disk), whether
  // or not a credential is seen in it, so that the view shows the verdicts a person may want to correct.
  for (const identity of inventory.identities) homeOf(identity);

  return {
    places: [...places.values()].sort((a, b) => a.place.localeCompare(b.place)),
    placements: [...placements.entries()]
      .map(([id, p]) => {
        const more = (vias.get(id)?.size ?? 1) - 1;
        return more > 0 ? { ...p, via: `${p.via} (and ${more} more)` } : p;
      })
      .sort((a, b) => a.credential.localeCompare(b.credential) || a.place.localeCompare(b.place)),
  };
}

/** Not a person's sign-in, not root, not AWS-managed, not an Identity Center permission set (like `non_human`). */
function isWorkload(identity: Identity): boolean {
  return (
    !identity.isHuman &&
    identity.kind !== 'aws-root' &&
    identity.attributes['service_linked'] !== true &&
    !identity.name.startsWith('AWSReservedSSO_')
  );
}

/**
 * The verdict of each AWS account: the config's (`environments.accounts`), else the environment tags of the
 * inventoried identities in it when they agree (`environment`, `env`, `stage`, `tier`: their values classified as
 * names). Tags that disagree leave the account unknown, and say so.
 */
function awsAccountVerdicts(
  identities: readonly Identity[],
  rules: EnvironmentRules,
): Map<string, { environment: EnvironmentVerdict | null; evidence: string }> {
  const tagged = new Map<string, Map<EnvironmentVerdict, string[]>>();
  for (const identity of identities) {
    if (identity.provider !== 'aws' || !identity.account || identity.attributes['observed_only'] === true)
      continue;
    for (const [key, value] of Object.entries(identity.tags)) {
      if (!ENVIRONMENT_TAG_KEYS.has(key.toLowerCase()) || typeof value !== 'string') continue;
      const verdict = classifyName(value, rules)?.environment;
      if (!verdict) continue;
      const byVerdict = tagged.get(identity.account) ?? new Map<EnvironmentVerdict, string[]>();
      tagged.set(identity.account, byVerdict);
      byVerdict.set(verdict, [...(byVerdict.get(verdict) ?? []), `${key}=${value} on ${identity.name}`]);
    }
  }
  const verdicts = new Map<string, { environment: EnvironmentVerdict | null; evidence: string }>();
  const summary = (tags: readonly string[]): string =>
    tags.length > 3 ? `${tags.slice(0, 3).join(', ')} and ${tags.length - 3} more` : tags.join(', ');
  for (const [account, byVerdict] of tagged) {
    const prod = byVerdict.get('prod') ?? [];
    const nonprod = byVerdict.get('nonprod') ?? [];
    verdicts.set(
      account,
      prod.length > 0 && nonprod.length > 0
        ? {
            environment: null,
            evidence: `tags disagree: ${summary(prod)} (prod); ${summary(nonprod)} (non-prod)`,
          }
        : prod.length > 0
          ? { environment: 'prod', evidence: `tag ${summary(prod)}` }
          : { environment: 'nonprod', evidence: `tag ${summary(nonprod)}` },
    );
  }
  for (const [account, environment] of rules.accounts) {
    verdicts.set(account, { environment, evidence: 'config environments.accounts' });
  }
  return verdicts;
}
