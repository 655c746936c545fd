/**
 * The one place where the Garmin client touches the network: an injected fetch with the caller's
 * AbortSignal combined with a per-request timeout, upstream answers classified into the error
 * catalogue (429 / Cloudflare → GARMIN_RATE_LIMITED with retry_after_ms, 5xx / resets / timeouts
 * → retried with back-off when the request is idempotent, else GARMIN_UNAVAILABLE). This loop is
 * the only place in the code base that re-sends a Garmin request (retry.ts has the policy).
 */
import { AppError, cryptoRandom, isAppError, silentLogger } from '../core/index.js';
import type { Clock, Logger, Random } from '../core/index.js';
import { backoffDelayMs, DEFAULT_BACKOFF, parseRetryAfterMs } from './retry.js';
import type { BackoffPolicy } from './retry.js';
import { createNodeFetch } from '../transport/index.js';
import type { TransportFetch, TransportHeaders, TransportResponse } from '../transport/index.js';
import { BodyReadError, looksLikeCloudflare, rateLimited, readText } from './upstream-answer.js';

let sharedTransport: TransportFetch | undefined;

/**
 * The Garmin client's default transport: node:http/node:https with keep-alive agents of its own,
 * shared by every client of the process (one connection pool per upstream host, as the global
 * fetch had), instead of the global fetch: undici's per-call Request/Response/Headers objects were
 * ~12 % of the service's busy CPU during a backfill (issue 17, row 8).
 */
function garminTransport(): TransportFetch {
  sharedTransport ??= createNodeFetch({ ownKeepAliveAgents: true });
  return sharedTransport;
}

/** An answer whose body was read already (to classify it): the handler reads the same text again. */
class ReadResponse implements TransportResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: TransportHeaders;
  constructor(
    res: TransportResponse,
    private readonly bodyText: string,
  ) {
    this.ok = res.ok;
    this.status = res.status;
    this.headers = res.headers;
  }
  get body(): ReadableStream<Uint8Array> {
    const bytes = new TextEncoder().encode(this.bodyText);
    return new ReadableStream({
      start(c) {
        c.enqueue(bytes);
        c.close();
      },
    });
  }
  async text(): Promise<string> {
    return this.bodyText;
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.bodyText) as unknown;
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return new TextEncoder().encode(this.bodyText).buffer as ArrayBuffer;
  }
}

export interface HttpDeps {
  /** The transport; the global fetch fits too (tests wrap it). */
  fetch: TransportFetch;
  clock: Clock;
  random: Random;
  logger?: Logger;
  timeoutMs: number;
  /** Awaited before every upstream request (a per-account token bucket; waits out a pause too). */
  beforeRequest?: (signal: AbortSignal | undefined) => Promise<void>;
  /**
   * The caller's answer to a 429 it may retry: pause the account for `waitMs` (the next
   * `beforeRequest` then waits it out). Without it a 429 is never retried.
   */
  onRateLimited?: (waitMs: number) => void | Promise<void>;
  backoff?: BackoffPolicy;
}

/**
 * The HttpDeps both Garmin clients (auth, connect) start from: one place for the defaults of
 * `fetch`, `random` and the 30 s request timeout, so the two cannot drift apart.
 */
export function defaultHttpDeps(
  opts: { fetch?: TransportFetch; clock: Clock; random?: Random; timeoutMs?: number },
  logger: Logger,
): HttpDeps {
  return {
    fetch: opts.fetch ?? garminTransport(),
    clock: opts.clock,
    random: opts.random ?? cryptoRandom,
    logger,
    timeoutMs: opts.timeoutMs ?? 30_000,
  };
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Extra attempts for idempotent requests on 5xx, resets and timeouts (0 = none). */
  retries: number;
  /** Extra attempts after a 429, each after `onRateLimited` paused the account (default 0 = none). */
  rateLimitRetries?: number;
  /** Stable label for logs and error details (never the URL's query, which may hold a ticket). */
  label: string;
  /** Default wait reported with GARMIN_RATE_LIMITED when the answer has no Retry-After. */
  rateLimitDefaultMs: number;
  /** Let the handler see redirects instead of following them (SSO cookie handling). */
  manualRedirect?: boolean;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; retriable: boolean; error: AppError };

/**
 * Sends one logical request: awaits the limiter, fetches with signal+timeout, hands 2xx–4xx
 * answers to `handle`. 5xx/resets/timeouts/broken bodies are retried `req.retries` times with
 * full-jitter back-off; 429/Cloudflare (GARMIN_RATE_LIMITED) `req.rateLimitRetries` times, each
 * after `deps.onRateLimited` paused the account. The two budgets are independent, so one call
 * sends at most 1 + retries + rateLimitRetries requests.
 */
export async function sendRequest<T>(
  deps: HttpDeps,
  req: HttpRequest,
  handle: (res: TransportResponse, signal: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const logger = deps.logger ?? silentLogger;
  const rateLimitRetries = deps.onRateLimited ? (req.rateLimitRetries ?? 0) : 0;
  let transient = 0;
  let limited = 0;
  for (;;) {
    const result = await attemptOnce(deps, req, handle, signal);
    if (result.ok) return result.value;
    const error = result.error;
    if (error.code === 'GARMIN_RATE_LIMITED') {
      if (limited >= rateLimitRetries) throw error;
      limited++;
      const waitMs = error.retryAfterMs ?? req.rateLimitDefaultMs;
      logger.warn({ endpoint: req.label, attempt: limited, pause_ms: waitMs }, 'garmin: rate limited; pausing the account, then retrying');
      await deps.onRateLimited!(waitMs);
      continue;
    }
    if (!result.retriable) throw error;
    if (transient >= req.retries) {
      throw new AppError('GARMIN_UNAVAILABLE', undefined, { ...error.details, attempts: transient + limited + 1 }, { cause: error });
    }
    const delay = backoffDelayMs(transient++, deps.random, deps.backoff ?? DEFAULT_BACKOFF);
    logger.debug({ endpoint: req.label, attempt: transient, delay_ms: delay, reason: error.details.reason }, 'garmin: retrying');
    try {
      await deps.clock.sleep(delay, signal);
    } catch (e) {
      throw abortedError(e);
    }
  }
}

function abortedError(cause: unknown): AppError {
  return isAppError(cause, 'ABORTED') ? cause : new AppError('ABORTED', undefined, {}, { cause });
}

async function attemptOnce<T>(
  deps: HttpDeps,
  req: HttpRequest,
  handle: (res: TransportResponse, signal: AbortSignal) => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<Attempt<T>> {
  if (signal?.aborted) throw abortedError(signal.reason);
  if (deps.beforeRequest) {
    try {
      await deps.beforeRequest(signal);
    } catch (e) {
      if (signal?.aborted) throw abortedError(e);
      throw e;
    }
  }
  const timeout = AbortSignal.timeout(deps.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const transport = (reason: string, cause: unknown): Attempt<T> => {
    if (signal?.aborted) throw abortedError(signal.reason);
    return { ok: false, retriable: true, error: new AppError('GARMIN_UNAVAILABLE', undefined, { endpoint: req.label, reason }, { cause }) };
  };
  let res: TransportResponse;
  try {
    res = await deps.fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: combined,
      redirect: req.manualRedirect ? 'manual' : 'follow',
    });
  } catch (e) {
    return transport(timeout.aborted ? 'timeout' : 'connection failed', e);
  }
  try {
    if (res.status === 429 || res.status === 403 || res.status >= 500) {
      const text = await readText(res);
      const contentType = res.headers.get('content-type');
      if (res.status === 429 || looksLikeCloudflare(res.status, contentType, text)) {
        const wait = parseRetryAfterMs(res.headers.get('retry-after'), deps.clock.now(), req.rateLimitDefaultMs);
        return { ok: false, retriable: false, error: rateLimited(req.label, wait, { status: res.status }) };
      }
      if (res.status >= 500) {
        const error = new AppError('GARMIN_UNAVAILABLE', undefined, {
          endpoint: req.label,
          status: res.status,
          reason: `HTTP ${res.status}`,
        });
        // 501 is "no such endpoint" (the emulator's answer for unknown paths): retrying cannot help.
        return { ok: false, retriable: res.status !== 501, error };
      }
      return { ok: true, value: await handle(new ReadResponse(res, text), combined) };
    }
    return { ok: true, value: await handle(res, combined) };
  } catch (e) {
    if (e instanceof AppError) {
      if (e.code === 'ABORTED') throw e;
      return { ok: false, retriable: false, error: e };
    }
    if (signal?.aborted) throw abortedError(signal.reason);
    if (e instanceof BodyReadError || isTransportError(e)) return transport(timeout.aborted ? 'timeout' : 'body read failed', e);
    throw e;
  }
}

/** A timeout that fired while a handler waited on the body (other handler errors are bugs, not retried). */
function isTransportError(e: unknown): boolean {
  return (e instanceof Error || e instanceof DOMException) && (e.name === 'AbortError' || e.name === 'TimeoutError');
}
