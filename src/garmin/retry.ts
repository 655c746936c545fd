/**
 * Back-off policy for idempotent Garmin requests: exponential with "full jitter"
 * (delay = uniform(0, min(cap, base · 2^attempt))), drawn from an injected Random and slept on an
 * injected Clock, so tests can assert the math and advance time instead of waiting.
 */
import type { Random } from '../core/index.js';

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

/**
 * Milliseconds to wait from a Retry-After header (delta-seconds or an HTTP-date, RFC 9110 §10.2.3);
 * `fallbackMs` when it is absent or unreadable.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number, fallbackMs: number): number {
  if (!value) return fallbackMs;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return fallbackMs;
  return Math.max(0, date - nowMs);
}
