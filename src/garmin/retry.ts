/**
 * The one retry policy of every Garmin request (issue 11.1): nothing above this room re-sends a
 * request. Transient faults of idempotent requests are retried with exponential "full jitter"
 * back-off (delay = uniform(0, min(cap, base · 2^attempt))), drawn from an injected Random and
 * slept on an injected Clock; a rate-limited request is re-sent only after the caller's
 * RequestLimiter paused the account for the Retry-After (the engine's "pause the account").
 */
import { AppError, type Random } from '../core/index.js';

export interface BackoffPolicy {
  /** Delay ceiling of the first retry, ms. */
  baseMs: number;
  /** Upper bound of any single delay, ms. */
  capMs: number;
}

/** How often one request may be sent (GarminConnect's `retry` option; docs/garmin-client.md "Retry policy"). */
export interface RetryPolicy extends BackoffPolicy {
  /** Extra attempts of an idempotent GET after a 5xx, reset, timeout or broken body (default 3). */
  transientRetries: number;
  /**
   * Extra attempts of a GET after a 429 / Cloudflare block, each after the limiter's pause
   * (default 5). Only with a RequestLimiter that can `pause`; without one a 429 surfaces at once.
   */
  rateLimitRetries: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 10_000 };

export const DEFAULT_RETRY_POLICY: RetryPolicy = { ...DEFAULT_BACKOFF, transientRetries: 3, rateLimitRetries: 5 };

/** The defaults overlaid with `settings`; a negative or fractional count is VALIDATION_FAILED. */
export function retryPolicy(settings: Partial<RetryPolicy> = {}): RetryPolicy {
  const p = { ...DEFAULT_RETRY_POLICY, ...settings };
  for (const key of ['transientRetries', 'rateLimitRetries', 'baseMs', 'capMs'] as const) {
    if (!Number.isSafeInteger(p[key]) || p[key] < 0)
      throw new AppError('VALIDATION_FAILED', `Garmin retry setting ${key} must be a whole number ≥ 0.`, { field: key });
  }
  return p;
}

/**
 * The most requests one Connect API call can send: the first, every transient and rate-limit
 * retry, and the same again once after a 401 (one token refresh, then the call is repeated).
 * The refresh itself is one POST more, never retried.
 */
export function worstCaseRequestsPerCall(p: RetryPolicy): number {
  return 2 * (1 + p.transientRetries + p.rateLimitRetries);
}

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
