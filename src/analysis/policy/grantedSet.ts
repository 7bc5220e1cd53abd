// The granted set of an identity as bits over the action catalogue: how a scan counts thousands of identities fast.
import {
  combine,
  type GrantSources,
  type IamCatalogue,
  type PolicyExpander,
  type PolicyPart,
} from './expand.js';

/** Catalogue actions numbered in catalogue order (each service's actions contiguous), with their service. */
export interface CatalogueIndex {
  /** Lower-case action per number. */
  readonly keys: readonly string[];
  readonly numberOf: ReadonlyMap<string, number>;
  /** Service number per action number. */
  readonly serviceOf: Uint16Array;
  /** Lower-case service prefixes, by service number. */
  readonly services: readonly string[];
  /** 32-bit words a set over the catalogue takes. */
  readonly words: number;
  /** Per service number, its first action number and one past its last. */
  readonly serviceRanges: readonly (readonly [number, number])[];
}

const indexes = new WeakMap<IamCatalogue, CatalogueIndex>();

/** The numbering of a catalogue, computed once per catalogue. */
export function catalogueIndex(catalogue: IamCatalogue): CatalogueIndex {
  const hit = indexes.get(catalogue);
  if (hit) return hit;
  const keys: string[] = [];
  const services: string[] = [];
  const serviceNumbers: number[] = [];
  for (const [service, actions] of catalogue.byService) {
    services.push(service);
    for (const action of actions) {
      keys.push(action.toLowerCase());
      serviceNumbers.push(services.length - 1);
    }
  }
  const serviceRanges: [number, number][] = services.map(() => [0, 0]);
  serviceNumbers.forEach((service, n) => {
    const range = serviceRanges[service]!;
    if (range[1] === 0) range[0] = n;
    range[1] = n + 1;
  });
  const index: CatalogueIndex = {
    keys,
    numberOf: new Map(keys.map((key, n) => [key, n])),
    serviceOf: Uint16Array.from(serviceNumbers),
    services,
    words: Math.ceil(keys.length / 32),
    serviceRanges,
  };
  indexes.set(catalogue, index);
  return index;
}

/** A set of catalogue actions. */
export type ActionBits = Int32Array;

/** The set of the actions `predicate` accepts (lower-case action → boolean). */
export function bitsWhere(index: CatalogueIndex, predicate: (key: string) => boolean): ActionBits {
  const bits = new Int32Array(index.words);
  index.keys.forEach((key, n) => {
    if (predicate(key)) bits[n >>> 5]! |= 1 << (n & 31);
  });
  return bits;
}

/** Whether action number `n` is in `bits`. */
export function hasBit(bits: ActionBits, n: number): boolean {
  return (bits[n >>> 5]! & (1 << (n & 31))) !== 0;
}

function bitsInWord(word: number): number {
  let w = word - ((word >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** How many actions `bits` holds. */
export function countBits(bits: ActionBits): number {
  let total = 0;
  for (const word of bits) total += bitsInWord(word);
  return total;
}

/** How many actions numbered in [start, end) `bits` holds, optionally only those also in `and`. */
export function countBitsInRange(bits: ActionBits, start: number, end: number, and?: ActionBits): number {
  let total = 0;
  for (let w = start >>> 5; w <= (end - 1) >>> 5 && start < end; w++) {
    let word = bits[w]! & (and ? and[w]! : -1);
    const low = w * 32;
    if (start > low) word &= ~0 << (start - low);
    if (end < low + 32) word &= (1 << (end - low)) - 1;
    total += bitsInWord(word);
  }
  return total;
}

/** How many actions both sets hold. */
export function countBitsOfBoth(a: ActionBits, b: ActionBits): number {
  let total = 0;
  for (let w = 0; w < a.length; w++) total += bitsInWord(a[w]! & b[w]!);
  return total;
}

/** Calls `fn` with the number of every action in `bits`, in catalogue order. */
export function forEachBit(bits: ActionBits, fn: (n: number) => void): void {
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w]!;
    while (word !== 0) {
      const low = word & -word;
      fn(w * 32 + 31 - Math.clz32(low));
      word ^= low;
    }
  }
}

/** A document's allows and denies as sets: what needs no per-action work, and what does (`denyPartial`). */
interface DocumentBits {
  allowAny: ActionBits;
  allowUnconditional: ActionBits;
  /** Denied outright: no Condition, Resource `*`. */
  denyFull: ActionBits;
  denyConditional: ActionBits;
  /** Denied on some resources only (a Resource list or NotResource): the exact answer needs the resources. */
  denyPartial: ActionBits;
}

function documentBits(part: PolicyPart, index: CatalogueIndex): DocumentBits {
  const make = () => new Int32Array(index.words);
  const bits: DocumentBits = {
    allowAny: make(),
    allowUnconditional: make(),
    denyFull: make(),
    denyConditional: make(),
    denyPartial: make(),
  };
  const set = (target: ActionBits, key: string) => {
    const n = index.numberOf.get(key);
    if (n !== undefined) target[n >>> 5]! |= 1 << (n & 31);
  };
  for (const [key, { scopes }] of part.expansion.allow) {
    set(bits.allowAny, key);
    if (scopes.some((scope) => !scope.conditional)) set(bits.allowUnconditional, key);
  }
  for (const [key, { scopes }] of part.expansion.deny) {
    for (const scope of scopes) {
      if (scope.conditional) set(bits.denyConditional, key);
      else if (!scope.notResource && scope.resources.includes('*')) set(bits.denyFull, key);
      else set(bits.denyPartial, key);
    }
  }
  return bits;
}

/** What an identity is granted, as sets over the catalogue; the same answer as `PolicyExpander.grantedActions`. */
export interface GrantedSet {
  index: CatalogueIndex;
  granted: ActionBits;
  /** Granted actions every allowing statement of which has a Condition, or that a conditional Deny or boundary limits. */
  conditional: ActionBits;
  boundary: string | null;
  removedByBoundary: number;
}

/**
 * Computes granted sets from an expander's (memoised) expansions: unions, the boundary cap and outright denies are
 * word operations; only the few actions a Deny names with resources get the exact per-action treatment.
 */
export class GrantedSetBuilder {
  private readonly bits = new Map<string, DocumentBits>();
  readonly index: CatalogueIndex;
  /** Scratch sets reused from one identity to the next. */
  private readonly scratch: Record<
    'unconditional' | 'denyFull' | 'denyConditional' | 'denyPartial',
    ActionBits
  >;

  constructor(private readonly expander: PolicyExpander) {
    this.index = catalogueIndex(expander.catalogue);
    const make = () => new Int32Array(this.index.words);
    this.scratch = { unconditional: make(), denyFull: make(), denyConditional: make(), denyPartial: make() };
  }

  /** The granted set of one identity. */
  grantedSet(sources: GrantSources): GrantedSet {
    const { parts, boundary } = this.expander.resolve(sources);
    const words = this.index.words;
    const any = new Int32Array(words);
    const { unconditional, denyFull, denyConditional, denyPartial } = this.scratch;
    for (const scratch of [unconditional, denyFull, denyConditional, denyPartial]) scratch.fill(0);
    for (const part of parts) {
      const b = this.bitsOf(part);
      for (let w = 0; w < words; w++) {
        any[w]! |= b.allowAny[w]!;
        unconditional[w]! |= b.allowUnconditional[w]!;
      }
    }
    for (const part of boundary ? [...parts, boundary] : parts) {
      const b = this.bitsOf(part);
      for (let w = 0; w < words; w++) {
        denyFull[w]! |= b.denyFull[w]!;
        denyConditional[w]! |= b.denyConditional[w]!;
        denyPartial[w]! |= b.denyPartial[w]!;
      }
    }
    let removedByBoundary = 0;
    const conditional = new Int32Array(words);
    const cap = boundary ? this.bitsOf(boundary) : null;
    for (let w = 0; w < words; w++) {
      let granted = any[w]!;
      if (cap) {
        const capped = granted & ~cap.allowAny[w]!;
        removedByBoundary += bitsInWord(capped);
        granted &= cap.allowAny[w]!;
      }
      granted &= ~denyFull[w]!;
      any[w] = granted;
      conditional[w] =
        granted & (~unconditional[w]! | denyConditional[w]! | (cap ? ~cap.allowUnconditional[w]! : 0));
      denyPartial[w]! &= granted;
    }
    if (countBits(denyPartial) > 0) {
      const keys = new Set<string>();
      forEachBit(denyPartial, (n) => keys.add(this.index.keys[n]!));
      const exact = combine(parts, boundary, keys).actions;
      for (const key of keys) {
        const n = this.index.numberOf.get(key)!;
        const found = exact.get(key);
        const word = n >>> 5;
        const bit = 1 << (n & 31);
        if (!found) {
          any[word]! &= ~bit;
          conditional[word]! &= ~bit;
        } else if (found.conditional) {
          conditional[word]! |= bit;
        } else {
          conditional[word]! &= ~bit;
        }
      }
    }
    return {
      index: this.index,
      granted: any,
      conditional,
      boundary: boundary?.sourcePolicy ?? null,
      removedByBoundary,
    };
  }

  private bitsOf(part: PolicyPart): DocumentBits {
    let found = this.bits.get(part.key);
    if (!found) {
      found = documentBits(part, this.index);
      this.bits.set(part.key, found);
    }
    return found;
  }
}
