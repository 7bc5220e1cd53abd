// Merges what each source found into one inventory, in registry order, without duplicate ids.
import { emptyInventory, type Inventory } from '../model/types.js';

/**
 * Concatenates partial inventories. Identities, credentials, people and resources are keyed by id: the first source to
 * report an id keeps it (the registry puts authoritative inventories first). Grants, usage, client activity,
 * edges and attached policy documents are rows of facts and are all kept.
 */
export function mergeInventories(parts: readonly Partial<Inventory>[]): Inventory {
  const merged = emptyInventory();
  const seen = {
    identities: new Set<string>(),
    credentials: new Set<string>(),
    people: new Set<string>(),
    resources: new Set<string>(),
  };
  for (const part of parts) {
    for (const identity of part.identities ?? []) {
      if (seen.identities.has(identity.id)) continue;
      seen.identities.add(identity.id);
      merged.identities.push(identity);
    }
    for (const credential of part.credentials ?? []) {
      if (seen.credentials.has(credential.id)) continue;
      seen.credentials.add(credential.id);
      merged.credentials.push(credential);
    }
    for (const person of part.people ?? []) {
      if (seen.people.has(person.id)) continue;
      seen.people.add(person.id);
      merged.people.push(person);
    }
    for (const resource of part.resources ?? []) {
      if (seen.resources.has(resource.id)) continue;
      seen.resources.add(resource.id);
      merged.resources!.push(resource);
    }
    merged.grants.push(...(part.grants ?? []));
    merged.usage.push(...(part.usage ?? []));
    merged.clientActivity.push(...(part.clientActivity ?? []));
    merged.edges.push(...(part.edges ?? []));
    merged.policies!.push(...(part.policies ?? []));
  }
  return merged;
}
