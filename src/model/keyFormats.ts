// Public facts of API key formats: the prefix every key of a kind starts with, and the vendors' redacted forms.

const PUBLIC_PREFIXES = [
  /^sk-ant-[a-z]+\d*-/,
  /^sk-(?:proj|svcacct|admin)-/,
  /^sk-/,
  /^(?:xox[a-z]|xapp)-/,
  /^(?:ghp|gho|ghu|ghs|ghr|github_pat)_/,
  /^npm_/,
  /^lin_api_/,
  /^SG\./,
  /^shp(?:at|ca|pa|ss)_/,
  /^ops_/,
];

/** The public prefix of a key's format (`sk-proj-`, `sk-ant-api03-`, `xoxb-`, `ghp_`): it names the kind, not the key. */
export function publicPrefix(value: string): string | null {
  for (const pattern of PUBLIC_PREFIXES) {
    const match = pattern.exec(value);
    if (match) return match[0];
  }
  return null;
}

/**
 * What agentaudit keeps of a vendor's redacted key (`sk-ant-api03-R2D...igAA`, `sk-proj-****abcd`): the format's
 * public prefix and a hint of at most the last 4 characters. The rest of the visible part is dropped, since it is
 * part of the secret.
 */
export function redactedKeyHint(redacted: string | null | undefined): {
  keyPrefix: string | null;
  hint: string | null;
} {
  if (!redacted) return { keyPrefix: null, hint: null };
  // Already masked by agentaudit (a cached or recorded response): `sk-ant-api03-[REDACTED…igAA]`.
  const masked = /^(.*?)\[REDACTED…([^\]]{1,4})\]$/.exec(redacted);
  if (masked) return { keyPrefix: publicPrefix(masked[1]!), hint: masked[2]! };
  const parts = redacted.split(/\.{2,}|…|\*{2,}/).filter((part) => part !== '');
  if (parts.length < 2) return { keyPrefix: publicPrefix(redacted), hint: null };
  const tail = parts[parts.length - 1]!;
  return { keyPrefix: publicPrefix(parts[0]!), hint: tail.slice(-4) };
}

/** Whether a secret could be the key a vendor shows redacted (its visible head and tail match). In memory only. */
export function matchesRedacted(secret: string, redacted: string): boolean {
  const parts = redacted.split(/\.{2,}|…|\*{2,}/);
  if (parts.length < 2) return false;
  const head = parts[0]!;
  const tail = parts[parts.length - 1]!;
  return head.length + tail.length >= 6 && secret.startsWith(head) && secret.endsWith(tail);
}
