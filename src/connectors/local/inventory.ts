// Turns secrets found on disk into model rows: the config that holds each one as an identity, the secret as its credential.
import type { Credential, Identity, Inventory } from '../../model/types.js';
import { AGENT_CONFIG_KINDS, CONFIG_LABELS } from './configFiles.js';
import type { Discovery, FoundSecret } from './discover.js';

/** Credential kind of a secret found in a file. */
export const LOCAL_SECRET_KIND = 'local-secret';

const IDENTITY_KINDS: Record<FoundSecret['holderType'], string> = {
  'mcp-server': 'mcp-server',
  agent: 'agent-config',
  'env-file': 'env-file',
  service: 'compose-service',
  job: 'ci-job',
  file: 'config-file',
};

/** Identity id of what holds a secret: host, file and holder, stable across scans of the same machine. */
export const holderIdentityId = (host: string, secret: Pick<FoundSecret, 'file' | 'holder'>): string =>
  `local:holder:${host}:${secret.file}#${secret.holder}`;

/** Credential id of one secret in one holder (the same secret in two holders is two credentials). */
export const localSecretId = (host: string, secret: FoundSecret): string =>
  `local:secret:${secret.fingerprint.slice('sha256:'.length, 'sha256:'.length + 16)}@${holderIdentityId(host, secret)}`;

const PROVIDER_NAMES: Record<string, string> = {
  aws: 'AWS',
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  slack: 'Slack',
  github: 'GitHub',
  gcp: 'Google Cloud',
  npm: 'npm',
  sendgrid: 'SendGrid',
  shopify: 'Shopify',
  linear: 'Linear',
  '1password': '1Password',
  'private-key': 'private',
  'basic-auth': 'basic-auth',
  database: 'database',
};

/** The secret for people: "the AWS secret access key of AKIA…", "an OpenAI key sk-proj-…fLt7". */
export function secretPhrase(secret: Pick<FoundSecret, 'keyId' | 'provider' | 'keyPrefix' | 'hint'>): string {
  const vendor = PROVIDER_NAMES[secret.provider] ?? secret.provider;
  if (secret.keyId) return `the ${vendor} secret access key of ${secret.keyId}`;
  const article = /^[AEIOU]/i.test(vendor) ? 'an' : 'a';
  return `${article} ${vendor} secret ${secret.keyPrefix ?? ''}…${secret.hint}`;
}

/** Who holds it, for people: 'MCP server "aws" in the Cursor config', 'compose service "uploader"'. */
export function holderPhrase(secret: Pick<FoundSecret, 'configKind' | 'holder' | 'holderType'>): string {
  const label = CONFIG_LABELS[secret.configKind];
  switch (secret.holderType) {
    case 'mcp-server':
      return `MCP server "${secret.holder}" in the ${label} config`;
    case 'agent':
      return `the ${secret.holder} block of the ${label} config`;
    case 'service':
      return `compose service "${secret.holder}"`;
    case 'job':
      return `CI job "${secret.holder}"`;
    case 'env-file':
      return `the .env file ${secret.holder}`;
    default:
      return `the ${label} ${secret.holder}`;
  }
}

/** How a found secret is named in reports: its key id, or its provider, public prefix, hint and a fingerprint prefix. */
export function secretLabel(
  secret: Pick<FoundSecret, 'keyId' | 'provider' | 'keyPrefix' | 'hint' | 'fingerprint'>,
): string {
  if (secret.keyId) return secret.keyId;
  const short = secret.fingerprint.slice('sha256:'.length, 'sha256:'.length + 12);
  return `${secret.provider} ${secret.keyPrefix ?? ''}…${secret.hint} (sha256:${short})`;
}

/** The rows one discovery contributes: a holder identity per (file, holder) and a credential per secret in it. */
export function discoveryInventory(discovery: Discovery): Partial<Inventory> {
  const identities = new Map<string, Identity>();
  const credentials: Credential[] = [];
  for (const secret of discovery.secrets) {
    const identityId = holderIdentityId(discovery.host, secret);
    const label = CONFIG_LABELS[secret.configKind];
    const agent = AGENT_CONFIG_KINDS.has(secret.configKind);
    if (!identities.has(identityId)) {
      identities.set(identityId, {
        id: identityId,
        provider: 'local',
        kind: IDENTITY_KINDS[secret.holderType],
        name: `${secret.configKind}:${secret.holder}`,
        account: discovery.host,
        arn: `${secret.file}#${secret.holder}`,
        isHuman: false,
        owner: null,
        ownerSource: null,
        purpose: null,
        createdAt: null,
        lastUsedAt: null,
        expiresAt: null,
        isAgent: agent,
        agentEvidence: agent
          ? [
              secret.holderType === 'mcp-server'
                ? `MCP server "${secret.holder}" in the ${label} config`
                : `configuration of ${label}`,
            ]
          : [],
        tags: {},
        attributes: {
          host: discovery.host,
          file: secret.file,
          config_kind: secret.configKind,
          config_label: label,
          holder: secret.holder,
          holder_type: secret.holderType,
        },
      });
    }
    credentials.push({
      id: localSecretId(discovery.host, secret),
      identityId,
      kind: LOCAL_SECRET_KIND,
      keyId: secret.keyId,
      createdAt: null,
      lastRotatedAt: null,
      lastUsedAt: null,
      expiresAt: null,
      status: 'unknown',
      scopes: [],
      fingerprint: secret.fingerprint,
      hint: secret.hint,
      attributes: {
        label: secretLabel(secret),
        secret_phrase: secretPhrase(secret),
        holder_phrase: holderPhrase(secret),
        provider: secret.provider,
        secret_type: secret.secretType,
        key_prefix: secret.keyPrefix,
        temporary: secret.temporary,
        host: discovery.host,
        file: secret.file,
        line: secret.line,
        field: secret.field,
        config_kind: secret.configKind,
        config_label: label,
        agent_config: agent,
        holder: secret.holder,
        holder_type: secret.holderType,
      },
    });
  }
  return { identities: [...identities.values()], credentials };
}
