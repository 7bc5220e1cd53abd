// Waits for a query an engine runs: polls with exponential backoff until it settles or the time allowed runs out.

/** How long to wait, and how often to ask. */
export interface PollTiming {
  /** Give up after this long (milliseconds). */
  timeoutMs: number;
  /** First pause between polls; doubled after each poll up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** One poll's answer: settled with a value, or still running (with the engine's word for its state). */
export type PollAnswer<T> = { settled: true; value: T } | { settled: false; state: string };

/** The query did not settle in time. */
export class PollTimeout extends Error {
  readonly lastState: string;
  constructor(waitedMs: number, lastState: string) {
    super(`did not finish within ${formatDuration(waitedMs)} (still ${lastState})`);
    this.name = 'PollTimeout';
    this.lastState = lastState;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `poll` until it settles, pausing `initialDelayMs` (default 250 ms) and doubling the pause up to
 * `maxDelayMs` (default 5 s) between calls. Throws PollTimeout when `timeoutMs` has passed; errors of `poll`
 * propagate.
 */
export async function pollUntilSettled<T>(
  poll: () => Promise<PollAnswer<T>>,
  timing: PollTiming,
): Promise<T> {
  const started = Date.now();
  let delay = timing.initialDelayMs ?? 250;
  const maxDelay = timing.maxDelayMs ?? 5_000;
  for (;;) {
    const answer = await poll();
    if (answer.settled) return answer.value;
    const elapsed = Date.now() - started;
    if (elapsed >= timing.timeoutMs) throw new PollTimeout(elapsed, answer.state);
    await sleep(Math.min(delay, timing.timeoutMs - elapsed));
    delay = Math.min(delay * 2, maxDelay);
  }
}

/** `90 s`, `15 min`, `2 h`. */
export function formatDuration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}
