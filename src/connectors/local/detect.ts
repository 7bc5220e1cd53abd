// Finds secrets in text with secretlint's recommended rule preset and describes each without keeping its value.
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';
import { secretFingerprint } from '../../model/ids.js';
import { publicPrefix } from '../../model/keyFormats.js';

/** A secret seen in a text: the value lives only as long as the detection, for fingerprinting and pairing. */
export interface DetectedSecret {
  /** The secret itself. Never stored, printed or logged: callers turn it into a fingerprint and a hint. */
  value: string;
  /** Where in the text it starts (for line numbers and pairing with an access key id), -1 when unknown. */
  index: number;
  /** `aws`, `openai`, `anthropic`, `slack`, `github`, `gcp`, `npm`, `private-key`, … */
  provider: string;
  /** secretlint's message id: `AWSSecretAccessKey`, `OPENAI_TOKEN`, `SLACK_TOKEN`, … */
  secretType: string;
  /** The public prefix of its format (`sk-proj-`, `sk-ant-api03-`, `xoxb-`, `ghp_`), not part of the secret. */
  keyPrefix: string | null;
}

/** What agentaudit keeps of a secret: a fingerprint and a hint of at most 4 characters. */
export interface SecretDigest {
  fingerprint: string;
  hint: string;
}

const CONFIG: SecretLintCoreConfig = {
  rules: [
    {
      id: '@secretlint/secretlint-rule-preset-recommend',
      rule: recommendedPreset,
      // Access key ids are identifiers, not secrets; reported only so a secret key can be paired with its id.
      rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
    },
  ],
};

/** secretlint rule ids to provider names. */
function providerOf(ruleId: string): string {
  const name = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  const names: Record<string, string> = {
    privatekey: 'private-key',
    basicauth: 'basic-auth',
    'database-connection-string': 'database',
  };
  return names[name] ?? name;
}

/** The fingerprint and hint of a secret: sha256 and its last 4 characters. */
export function digestSecret(value: string): SecretDigest {
  return { fingerprint: secretFingerprint(value), hint: value.slice(-4) };
}

/** AWS access key ids in a text, with their positions: pairing a secret access key with the id next to it. */
export function accessKeyIds(text: string): { id: string; index: number }[] {
  return [...text.matchAll(/\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/g)].map((match) => ({
    id: match[1]!,
    index: match.index,
  }));
}

/** The secret a secretlint message found: its data carries it under one of these names. */
function valueOf(data: Record<string, unknown> | undefined, text: string, range: readonly [number, number]) {
  for (const key of ['KEY', 'TOKEN', 'CREDENTIAL', 'URI', 'URL']) {
    const value = data?.[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return text.slice(range[0], range[1]);
}

/**
 * Every secret secretlint's recommended preset finds in `text` (treated as the content of `fileName`). Access key
 * ids are not secrets and are not returned; use `accessKeyIds` to pair them. GCP service account files are
 * reported as a whole: their value is the file.
 */
export async function detectSecrets(text: string, fileName: string): Promise<DetectedSecret[]> {
  const result = await lintSource({
    source: { content: text, filePath: fileName, contentType: 'text' },
    options: { config: CONFIG, noPhysicFilePath: true },
  });
  const found = new Map<string, DetectedSecret>();
  for (const message of result.messages) {
    if (message.messageId === 'AWSAccessKeyID' || message.messageId === 'AWSAccountID') continue;
    const data = message.data as Record<string, unknown> | undefined;
    const value =
      typeof data?.FILE_NAME === 'string' ? text : valueOf(data, text, message.range as [number, number]);
    if (value.trim().length < 8 || found.has(value)) continue;
    const index = text.indexOf(value);
    found.set(value, {
      value,
      index,
      provider: providerOf(message.ruleId),
      secretType: message.messageId,
      keyPrefix: publicPrefix(value),
    });
  }
  return [...found.values()];
}

/**
 * secretlint 11 profiles every lint whether asked or not: it keeps every performance mark and scans them all on each
 * new one, so linting is quadratic in the number of files (secretlint/secretlint#1633, #1653; profiling became opt-in
 * in #1673, a later major). agentaudit never reads the profile, so marking is turned off, as that fix does: 400
 * config files went from 9.6 s to about 2 s.
 */
function disableProfiler(): void {
  (secretLintProfiler as unknown as { mark: (marker: unknown) => void }).mark = () => undefined;
}
disableProfiler();
