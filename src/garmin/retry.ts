/**
 * The one retry policy of every Garmin request (issue 11.1): nothing above this room re-sends a
 * request. Transient faults of idempotent requests are retried with the code base's one back-off
 * (core/backoff.ts: exponential "full jitter"), drawn from an injected Random and slept on an
 * injected Clock; a rate-limited request is re-sent only after the caller's
 * RequestLimiter paused the account for the Retry-After (the engine's "pause the account").
 */
import { AppError, DEFAULT_BACKOFF, type BackoffPolicy } from '../core/index.js';

// The back-off itself lives in core (shared with the CLI's reconnect); re-exported for this room.
export { backoffDelayMs, DEFAULT_BACKOFF, uniform01, type BackoffPolicy } from '../core/index.js';

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
