// Masks secret-shaped strings that people paste where they should not (tags, descriptions, user agents) before anything is stored.
import type { Inventory, JsonValue } from '../model/types.js';
import { redactSecrets } from '../report/redact.js';

function redactJson<T extends JsonValue | Record<string, string> | string[]>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactJson(item as JsonValue)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [redactSecrets(key), redactJson(item as JsonValue)]),
    ) as T;
  }
  return value;
}

const text = (value: string | null): string | null => (value === null ? null : redactSecrets(value));

/**
 * Returns the inventory with every free-text field an input could carry a secret in passed through the secret
 * masker, so the cache never holds one: a token pasted into an owner tag is stored as `ghp_[REDACTED…abcd]`.
 */
export function sanitizeInventory(inventory: Inventory): Inventory {
  return {
    ...inventory,
    identities: inventory.identities.map((identity) => ({
      ...identity,
      name: redactSecrets(identity.name),
      owner: text(identity.owner),
      purpose: text(identity.purpose),
      tags: redactJson(identity.tags),
      attributes: redactJson(identity.attributes),
    })),
    credentials: inventory.credentials.map((credential) => ({
      ...credential,
      attributes: redactJson(credential.attributes),
    })),
    usage: inventory.usage.map((row) => ({
      ...row,
      resource: text(row.resource),
      userAgents: row.userAgents.map(redactSecrets),
      sessionNames: row.sessionNames.map(redactSecrets),
    })),
    people: inventory.people.map((person) => ({
      ...person,
      name: text(person.name),
      email: text(person.email),
    })),
  };
}
