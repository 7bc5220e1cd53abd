// Defensive masking of well-known secret shapes in report text, keeping a hint of the last 4 characters.
import type { ReportInput } from './types.js';

/** What replaces a secret: the token's public prefix, then a marker and the last 4 characters as a hint. */
const mask = (prefix: string, secret: string): string => `${prefix}[REDACTED…${secret.slice(-4)}]`;

/**
 * Secret shapes, each with the part to keep visible (its well-known prefix or context) and the secret part.
 * AWS access key ids (AKIA…, ASIA…) are identifiers, not secrets, and are deliberately absent.
 */
const SECRET_PATTERNS: readonly {
  name: string;
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}[] = [
  {
    // PEM private keys (RSA, EC, OPENSSH, ENCRYPTED, PGP …): the whole block goes, with or without its END line,
    // and whether its newlines are real or JSON-escaped (`\n`). A block never spans a `"`, so in JSON text a key
    // cut short cannot swallow the document up to a later key's END line.
    name: 'private-key',
    pattern:
      /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----(?:[^"]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?:[A-Za-z0-9+/=\s:-]|\\[nr])*)/g,
    replace: (_match, kind = '', block = '') => `[REDACTED ${kind}PRIVATE KEY${block}]`,
  },
  {
    // GitHub fine-grained PATs: github_pat_<22>_<59>.
    name: 'github-fine-grained-pat',
    pattern: /(?<![A-Za-z0-9_])(github_pat_)([A-Za-z0-9_]{20,255})/g,
    replace: (_match, prefix = '', secret = '') => mask(prefix, secret),
  },
  {
    // GitHub classic PATs, OAuth, user-to-server, server-to-server and refresh tokens.
    name: 'github-token',
    pattern: /(?<![A-Za-z0-9_])(gh[pousr]_)([A-Za-z0-9]{30,255})(?![A-Za-z0-9])/g,
    replace: (_match, prefix = '', secret = '') => mask(prefix, secret),
  },
  {
    // AWS secret access keys are 40 base64 characters with no prefix: only recognisable by the name before them.
    name: 'aws-secret-access-key',
    pattern:
      /((?:aws_?)?secret_?(?:access_?)?key\\?["']?\s*[:=]\s*\\?["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    replace: (_match, context = '', secret = '') => mask(context, secret),
  },
  {
    // Anthropic (sk-ant-…), OpenAI project (sk-proj-…) and other `sk-` API keys.
    name: 'sk-api-key',
    pattern: /(?<![A-Za-z0-9_-])(sk-ant-|sk-proj-|sk-)([A-Za-z0-9_-]{20,})/g,
    replace: (_match, prefix = '', secret = '') => mask(prefix, secret),
  },
  {
    // A vendor's redacted form of a key (`sk-ant-api03-R2D...igAA`, `sk-proj-****abcd`) still shows part of the
    // secret beyond a 4-character hint: only the format's prefix and the last characters are kept.
    name: 'redacted-sk-key',
    pattern:
      /(?<![A-Za-z0-9_-])(sk-(?:ant-[a-z]+\d*-|proj-|svcacct-|admin-)?)([A-Za-z0-9_-]{0,16}(?:\.{3}|…|\*{3,})[A-Za-z0-9_-]{1,4})(?![A-Za-z0-9_-])/g,
    replace: (_match, prefix = '', secret = '') => mask(prefix, secret),
  },
  {
    // Slack bot, user, app-level, refresh and legacy tokens.
    name: 'slack-token',
    pattern: /(?<![A-Za-z0-9_-])(xox[abeoprs]-|xapp-)([A-Za-z0-9-]{10,})/g,
    replace: (_match, prefix = '', secret = '') => mask(prefix, secret),
  },
];

/**
 * Masks anything in `text` shaped like a well-known secret (GitHub tokens, AWS secret access keys in context,
 * `sk-` API keys, Slack tokens, private key blocks), keeping the public prefix and the last 4 characters as a hint.
 * AWS access key ids stay visible: they identify a key, they do not grant access. Idempotent.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const { pattern, replace } of SECRET_PATTERNS) {
    out = out.replace(pattern, (match: string, ...rest: unknown[]) => {
      // After the capture groups come the offset (a number) and the whole text: keep only the groups, in place.
      const groups = rest.slice(
        0,
        rest.findIndex((arg) => typeof arg === 'number'),
      );
      return replace(match, ...groups.map((group) => (typeof group === 'string' ? group : '')));
    });
  }
  return out;
}

/** A copy of a JSON-like value with every string (object keys included) passed through `redactSecrets`. */
function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [redactSecrets(key), redactValue(item as unknown)]),
    ) as T;
  }
  return value;
}

/**
 * A copy of the report input with every string redacted. Renderers apply it before formatting, because escaping
 * (Markdown) and line wrapping (table) could otherwise split or disguise a secret before the final pass sees it.
 */
export function redactReportInput(input: ReportInput): ReportInput {
  return redactValue(input);
}
