import { AppError, ERROR_CODES, isAbortError, type ErrorCode } from '../../core/index.js';
import type { TransportInit } from '../../transport/index.js';
/**
 * The API's path prefix. The contract exports the same constant, but importing any value from
 * the contract evaluates every TypeBox schema (~150 ms of start-up for each command); the CLI only
 * needs types from it. http.test.ts checks that the two stay equal.
 */
export const API_PREFIX = '/api/v1';

/** The part of a fetch Response the CLI uses (the global Response has it; so has transport/'s nodeHttpFetch). */
export interface HttpResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
  json(): Promise<unknown>;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The part of fetch's request options the CLI uses: the transport's, without redirect control. */
export type HttpInit = Omit<TransportInit, 'redirect'>;

/** A fetch-shaped transport: the global fetch satisfies it, and so does the CLI's node:http one. */
export type HttpFetch = (url: string, init?: HttpInit) => Promise<HttpResponse>;

/** What the HTTP layer needs: where the service is and how to reach it. */
export interface HttpOptions {
  baseUrl: string;
  fetch: HttpFetch;
  /** Per-request timeout; streams (SSE, downloads) pass their own signal instead. */
  timeoutMs?: number;
  /** Called before every request with method and path (never headers or bodies): the debug trace. */
  trace?: (line: string) => void;
}

export interface RequestOptions {
  body?: unknown;
  /** A raw (non-JSON) body streamed as it is read, e.g. an archive upload. */
  raw?: { stream: () => ReadableStream<Uint8Array>; contentType: string; length?: number };
  token?: string;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  accept?: string;
  /** Streams must not time out while they are being read. */
  noTimeout?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Joins the service URL, the API prefix and a path; the query drops undefined values. */
export function apiUrl(baseUrl: string, path: string, query?: RequestOptions['query']): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${API_PREFIX}${path}`;
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

/**
 * Sends one request to the service and returns the raw response when it is 2xx. Network failures
 * become SERVICE_UNREACHABLE; error answers become AppErrors carrying the problem's `code`, so
 * that `exit-codes.ts` can map them. Secrets are never put into error messages.
 */
export async function send(http: HttpOptions, method: string, path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
  const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.raw) {
    headers['content-type'] = opts.raw.contentType;
    if (opts.raw.length !== undefined) headers['content-length'] = String(opts.raw.length);
  }
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const signals: AbortSignal[] = [];
  if (opts.signal) signals.push(opts.signal);
  if (!opts.noTimeout) signals.push(AbortSignal.timeout(http.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  http.trace?.(`${method} ${API_PREFIX}${path}`);
  let res: HttpResponse;
  try {
    res = await http.fetch(apiUrl(http.baseUrl, path, opts.query), {
      method,
      headers,
      body: opts.raw ? opts.raw.stream() : opts.body === undefined ? undefined : JSON.stringify(opts.body),
      // A streamed body must be sent half-duplex (fetch's rule for stream bodies).
      ...(opts.raw ? { duplex: 'half' } : {}),
      signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
    });
  } catch (e) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? e;
    throw unreachable(http.baseUrl, e);
  }
  if (res.ok) return res;
  throw await problemError(res);
}

/** Like `send`, then parses the JSON body (204 gives undefined). */
export async function sendJson<T>(http: HttpOptions, method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(http, method, path, opts);
  if (res.status === 204) return undefined as T;
  try {
    return (await res.json()) as T;
  } catch (e) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? e;
    throw new AppError('INTERNAL', `The service sent an answer that is not JSON (${method} ${path}).`);
  }
}

/** SERVICE_UNREACHABLE with the reason (ECONNREFUSED, timeout) and what to do. */
export function unreachable(baseUrl: string, e: unknown): AppError {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const reason = isAbortError(e) ? 'no answer in time' : (cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e)));
  return new AppError(
    'SERVICE_UNREACHABLE',
    `Cannot reach the sync service at ${baseUrl} (${reason}); start it with \`garminsync server\` or pass --server.`,
    { server: baseUrl },
    { cause: e },
  );
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  410: 'MFA_CHALLENGE_GONE',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
};

function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && Object.hasOwn(ERROR_CODES, v);
}

/** Turns an error answer (problem+json or not) into an AppError with the problem's fields as details. */
export async function problemError(res: HttpResponse): Promise<AppError> {
  let problem: Record<string, unknown> = {};
  try {
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') problem = parsed as Record<string, unknown>;
  } catch {
    // not JSON: fall back to the status code below
  }
  const code: ErrorCode = isErrorCode(problem.code)
    ? problem.code
    : (STATUS_CODES[res.status] ?? (res.status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED'));
  const detail =
    typeof problem.detail === 'string' && problem.detail
      ? problem.detail
      : typeof problem.message === 'string' && problem.message
        ? problem.message
        : res.status >= 500
          ? `The sync service failed (HTTP ${res.status}).`
          : ERROR_CODES[code];
  const details: Record<string, unknown> = { ...problem, status: res.status };
  const retryAfter = res.headers.get('retry-after');
  if (retryAfter && /^\d+$/.test(retryAfter)) details.retry_after_ms = Number(retryAfter) * 1000;
  return new AppError(code, detail, details);
}
