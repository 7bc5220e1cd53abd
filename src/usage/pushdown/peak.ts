// Bounds on a client row's per-minute peak, rebuilt from the busiest minutes of the engine rows it merges.

/** What the engine returned for one (principal, user agent, source) group. */
export interface MinuteSample {
  /** Distinct minutes with events. */
  activeMinutes: number;
  /** The busiest minutes, `[epoch minute, events]`, most events first; all of them when `activeMinutes` ≤ its length. */
  busiestMinutes: ReadonlyArray<readonly [number, number]>;
}

/** The peak's lower and upper bound; equal when the samples determine it. */
export interface PeakBounds {
  lower: number;
  upper: number;
}

/**
 * A client row (client family, source network) usually merges several engine groups: one per user-agent string
 * (SDKs put the API name and versions in theirs) and per address. Its peak is the busiest minute of their sum.
 * Each group returns its busiest minutes; in a minute it did not return, it had at most as many events as its
 * least busy returned minute (none when it returned them all). The lower bound sums the returned counts per minute;
 * the upper bound adds, for every group that did not return a minute, that cap. One group alone is always exact.
 */
export function peakBounds(samples: readonly MinuteSample[]): PeakBounds {
  const totals = new Map<number, number>();
  /** Per minute, the caps of the groups that returned it (they count exactly there). */
  const listedCaps = new Map<number, number>();
  let capSum = 0;
  for (const sample of samples) {
    const complete = sample.activeMinutes <= sample.busiestMinutes.length;
    let least = Infinity;
    for (const [, count] of sample.busiestMinutes) if (count < least) least = count;
    const cap = complete || least === Infinity ? 0 : least;
    capSum += cap;
    for (const [minute, count] of sample.busiestMinutes) {
      totals.set(minute, (totals.get(minute) ?? 0) + count);
      listedCaps.set(minute, (listedCaps.get(minute) ?? 0) + cap);
    }
  }
  let lower = 0;
  for (const total of totals.values()) if (total > lower) lower = total;
  if (samples.length === 1) return { lower, upper: lower };
  // A minute nobody returned has at most every cap; a returned one, its sum plus the caps of those that did not.
  let upper = capSum;
  for (const [minute, total] of totals) {
    const bound = total + capSum - (listedCaps.get(minute) as number);
    if (bound > upper) upper = bound;
  }
  return { lower, upper: Math.max(lower, upper) };
}
