/**
 * The one back-off policy of the code base: exponential "full jitter" (delay = uniform(0,
 * min(cap, base · 2^attempt))), drawn from an injected Random. The Garmin client retries its
 * requests with it (garmin/retry.ts) and the CLI re-connects to a restarting service with it
 * (cli/api/reconnect.ts); the sleeping is each caller's, on its injected Clock.
 */
import type { Random } from './ids.js';

export interface BackoffPolicy {
  /** Delay ceiling of the first retry, ms. */
  baseMs: number;
  /** Upper bound of any single delay, ms. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 10_000 };

/** A uniform number in [0, 1) from an injected Random (32 bits are plenty for jitter). */
export function uniform01(random: Random): number {
  return random.bytes(4).readUInt32BE(0) / 0x1_0000_0000;
}

/**
 * The full-jitter delay before retry number `attempt` (0 = first retry):
 * uniform in [0, min(capMs, baseMs · 2^attempt)).
 */
export function backoffDelayMs(attempt: number, random: Random, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(uniform01(random) * ceiling);
}
