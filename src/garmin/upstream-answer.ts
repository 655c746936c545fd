/**
 * Reading Garmin's answers: the body readers the request handlers use (a failed read is a
 * BodyReadError, which the request loop in http.ts counts as a transport fault and retries) and
 * the rules that tell a rate limit from an answer (Cloudflare's pages, Garmin's JSON 429 envelope).
 */
import { AppError } from '../core/index.js';
import { parseRetryAfterMs } from './retry.js';
import type { TransportResponse } from '../transport/index.js';

/** Thrown by a response handler when reading the body failed mid-way (counts as a transport fault). */
export class BodyReadError extends Error {
  constructor(cause: unknown) {
    super('reading the response body failed', { cause });
    this.name = 'BodyReadError';
  }
}

// Words of Cloudflare's block and challenge pages (error 1015 = rate limited, 1020 = access denied).
// Its 5xx error pages ("Bad gateway | Error 502") also name Cloudflare but are outages, not limits.
const CLOUDFLARE_BLOCK_HINTS =
  /error (code )?10(15|20)|rate limit|access denied|attention required|just a moment|cf-chl|challenge-platform/i;

/** True for an HTML page of Cloudflare's blocking or challenging us (instead of Garmin's answer). */
export function looksLikeCloudflare(status: number, contentType: string | null, body: string): boolean {
  if (!/html/i.test(contentType ?? '') && !/^\s*<(!doctype|html)/i.test(body)) return false;
  if (status === 429) return true;
  // Garmin's own 403 pages (e.g. a stale CSRF token) are not Cloudflare's; only pages naming it are.
  // 5xx pages name Cloudflare too ("Cloudflare Ray ID"), so for them only the block words count.
  if (status === 403) return /cloudflare/i.test(body) || CLOUDFLARE_BLOCK_HINTS.test(body);
  return CLOUDFLARE_BLOCK_HINTS.test(body);
}

/** A JSON body of the shape `{"error":{"status-code":"429"}}`, which Garmin sends with 200 as well. */
export function isJsonRateLimit(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const err = (value as { error?: unknown }).error;
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as Record<string, unknown>)['status-code'];
  return code === '429' || code === 429;
}

export function rateLimited(label: string, retryAfterMs: number, extra: Record<string, unknown> = {}): AppError {
  return new AppError('GARMIN_RATE_LIMITED', undefined, { retry_after_ms: retryAfterMs, endpoint: label, ...extra });
}

/** Reads a body as text, mapping stream failures to BodyReadError (a retriable transport fault). */
export async function readText(res: TransportResponse): Promise<string> {
  try {
    return await res.text();
  } catch (e) {
    throw new BodyReadError(e);
  }
}

/**
 * Reads and parses a JSON body. A JSON rate-limit envelope becomes GARMIN_RATE_LIMITED, an HTML
 * Cloudflare page too, anything else that is not JSON GARMIN_PROTOCOL_CHANGED.
 */
export async function readJson(res: TransportResponse, label: string, nowMs: number, rateLimitDefaultMs: number): Promise<unknown> {
  const text = await readText(res);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (looksLikeCloudflare(res.status, res.headers.get('content-type'), text)) {
      throw rateLimited(label, parseRetryAfterMs(res.headers.get('retry-after'), nowMs, rateLimitDefaultMs), { status: res.status });
    }
    throw new AppError('GARMIN_PROTOCOL_CHANGED', `Garmin answered ${label} with something that is not JSON.`, {
      endpoint: label,
      status: res.status,
    });
  }
  if (isJsonRateLimit(value)) {
    throw rateLimited(label, parseRetryAfterMs(res.headers.get('retry-after'), nowMs, rateLimitDefaultMs), { status: res.status });
  }
  return value;
}

/**
 * Reads a body chunk by chunk into `push` (so a download is never buffered compressed and unzipped at once).
 * `signal` ends the read at once: fetch's body stream does not always settle a read after its
 * request is aborted (a read begun after the abort, while `push` was awaited, stayed pending for
 * ever — the shutdown hang of the native-inflater unzip), so the abort rejects the read here and
 * cancels the body. Every exit removes the abort listener and releases the reader.
 */
export async function streamBody(
  res: TransportResponse,
  push: (chunk: Uint8Array) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  if (!res.body) return;
  const reader = res.body.getReader();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    if (!signal) return;
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  // The abort promise may reject while no read races it; that is handled by the race below.
  aborted.catch(() => undefined);
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) return;
      await Promise.race([push(value), aborted]);
    }
  } catch (e) {
    if (signal?.aborted) reader.cancel(signal.reason).catch(() => undefined);
    throw new BodyReadError(e);
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}
