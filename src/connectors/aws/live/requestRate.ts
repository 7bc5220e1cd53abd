// A token bucket on an injectable clock, and the SDK middleware that makes every attempt of a client's requests wait for a token.
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';

/** Time as the rate limiter sees it; a test passes a fake one. */
export interface Clock {
  /** Milliseconds since some fixed point. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock. */
  sleep(ms: number): Promise<void>;
}

/** The machine's clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * At most `perSecond` grants a second on average, and never more than `burst` at once. Callers are served in the
 * order they asked. With `burst` 1 grants are spaced `1000 / perSecond` ms apart, so no one-second window ever
 * holds more than `perSecond` of them.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number = 1,
    private readonly clock: Clock = systemClock,
  ) {
    this.tokens = burst;
    this.updatedAt = clock.now();
  }

  /** Resolves when a token is granted (consumed). */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) * this.perSecond) / 1000);
      this.updatedAt = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.perSecond));
    }
  }
}

/**
 * Makes every HTTP attempt of `client` (retries included) wait for a token of `bucket`. It sits in the
 * finalizeRequest step below the SDK's retry middleware, so a retried request is rate limited like a first one.
 */
export function limitRequestRate(
  client: Pick<CloudTrailClient, 'middlewareStack'>,
  bucket: TokenBucket,
): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      await bucket.take();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'agentauditRequestRate' },
  );
}
