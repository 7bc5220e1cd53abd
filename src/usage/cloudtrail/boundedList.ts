// Bounded evidence lists (user agents, addresses, session names): a deterministic sample that does not grow with the log.

/** Most distinct values kept per evidence list. */
export const EVIDENCE_LIST_LIMIT = 20;

/** A value with its sampling rank (a hash of the value). */
export interface RankedValue {
  value: string;
  rank: number;
}

/** FNV-1a 32-bit hash of a string: the rank that decides which values a full list keeps. */
export function rankOf(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const compareRanked = (a: RankedValue, b: RankedValue): number =>
  a.rank - b.rank || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

/**
 * Adds `item` to `list` (distinct, ordered by rank, at most `limit` long), keeping the `limit` values of lowest rank:
 * a bottom-k sample by hash. It depends only on the set of values seen, not on their order, so results are the same
 * whatever the number of threads; and comparing ranks (numbers) is much cheaper than comparing long user agents.
 */
export function addRanked(list: RankedValue[], item: RankedValue, limit: number = EVIDENCE_LIST_LIMIT): void {
  const length = list.length;
  if (length === limit && compareRanked(item, list[length - 1] as RankedValue) >= 0) return;
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareRanked(list[middle] as RankedValue, item) < 0) low = middle + 1;
    else high = middle;
  }
  if (low < length && compareRanked(list[low] as RankedValue, item) === 0) return;
  list.splice(low, 0, item);
  if (list.length > limit) list.pop();
}

/** Merges `source` into `target` with the same rule. */
export function mergeRanked(
  target: RankedValue[],
  source: readonly RankedValue[],
  limit: number = EVIDENCE_LIST_LIMIT,
): void {
  for (const item of source) addRanked(target, item, limit);
}

/** The plain values of a list, sorted alphabetically, for output. */
export function sortedValues(list: readonly RankedValue[]): string[] {
  return list.map((item) => item.value).sort();
}
