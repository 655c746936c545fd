import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { findNul } from '../contract/index.js';
import { AppError, ERROR_CODES, type ErrorCode } from '../core/index.js';

/**
 * THE mapping from the error catalogue to HTTP (style.md rule 4). A Record over every code, so a
 * new code in core does not compile until it has a status here.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  TOKEN_INVALID: 401,
  SESSION_EXPIRED: 401,
  SESSION_REVOKED: 401,
  REFRESH_TOKEN_INVALID: 401,
  REFRESH_TOKEN_REUSED: 401,
  LOGIN_REQUIRED: 401,
  MFA_CODE_INVALID: 401,
  MFA_CHALLENGE_GONE: 410,
  MFA_REQUIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  TOO_MANY_ACTIVE_JOBS: 429,
  PAYLOAD_TOO_LARGE: 413,
  HEADERS_TOO_LARGE: 431,
  GARMIN_INVALID_CREDENTIALS: 401,
  GARMIN_ACCOUNT_LOCKED: 403,
  GARMIN_CAPTCHA_REQUIRED: 403,
  GARMIN_MFA_CODE_INVALID: 401,
  GARMIN_MFA_EXPIRED: 410,
  // Our session is fine; the Garmin side needs a new credential login (not 401: a client would
  // only refresh our token and retry).
  GARMIN_REAUTH_REQUIRED: 403,
  GARMIN_TOKEN_REJECTED: 502,
  GARMIN_RATE_LIMITED: 503,
  GARMIN_CIRCUIT_OPEN: 503,
  GARMIN_UNAVAILABLE: 502,
  GARMIN_NOT_FOUND: 404,
  GARMIN_PROTOCOL_CHANGED: 502,
  FIT_INVALID: 502,
  // archive import (issue 16): the uploaded file is the client's input
  ARCHIVE_INVALID: 422,
  ARCHIVE_ENTRY_TOO_LARGE: 422,
  ARCHIVE_ENTRY_CORRUPT: 422,
  JOB_FAILED: 409,
  JOB_ATTEMPTS_EXHAUSTED: 409,
  JOB_CANCELLED: 409,
  SERVICE_UNREACHABLE: 502,
  CREDENTIALS_INSECURE: 500,
  CONFIG_INVALID: 500,
  STARTUP_FAILED: 500,
  ABORTED: 503,
  INTERNAL: 500,
  // export (issue 14): raised by the CLI only; a service never answers it.
  FILE_EXISTS: 409,
  // storage (issue 12.2, 12.8): 507 Insufficient Storage (RFC 4918) says exactly this
  DISK_FULL: 507,
  STORAGE_UNWRITABLE: 503,
  NOT_READY: 503,
};

/** 5xx codes whose messages are fixed sentences built in one place (store/readiness.ts), safe to send. */
const FIXED_SENTENCE_5XX: ReadonlySet<ErrorCode> = new Set(['NOT_READY']);

/** Details that may travel to the client; anything else stays in the logs. */
const PUBLIC_DETAILS = new Set(['attempts_left', 'job_id', 'from', 'to', 'setting', 'limit', 'check', 'reason']);

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  attempts_left?: number;
  retry_after_seconds?: number;
  errors?: { path: string; message: string }[];
  [k: string]: unknown;
}

/** Builds an RFC 9457 body for an AppError; 5xx answers never carry internal messages. */
export function problemFor(err: AppError, instance?: string): ProblemBody {
  const status = HTTP_STATUS[err.code] ?? 500;
  const body: ProblemBody = {
    type: `urn:garminsync:error:${err.code}`,
    title: ERROR_CODES[err.code],
    status,
    // 5xx: the catalogue's sentence only; upstream or internal messages stay in the logs.
    detail: status >= 500 && !FIXED_SENTENCE_5XX.has(err.code) ? ERROR_CODES[err.code] : err.message,
    code: err.code,
  };
  if (instance) body.instance = instance;
  for (const [k, v] of Object.entries(err.details)) {
    if (PUBLIC_DETAILS.has(k) && (typeof v === 'number' || typeof v === 'string')) body[k] = v;
  }
  if (err.retryAfterMs !== undefined) body.retry_after_seconds = Math.max(1, Math.ceil(err.retryAfterMs / 1000));
  return body;
}

/** Sends a problem+json answer (with Retry-After when the error says when to retry). */
export function sendProblem(reply: FastifyReply, problem: ProblemBody): FastifyReply {
  if (problem.retry_after_seconds !== undefined) void reply.header('retry-after', String(problem.retry_after_seconds));
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** Translates whatever was thrown (AppError, Fastify's own errors, bugs) into an AppError. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const fe = err as Partial<FastifyError> & {
    validation?: { instancePath?: string; message?: string; params?: { missingProperty?: string } }[];
  };
  if (fe.validation) {
    return new AppError('VALIDATION_FAILED', `The request is not valid: ${fe.message ?? 'schema mismatch'}.`, {
      errors: fe.validation.map((v) => ({
        path: `${v.instancePath ?? ''}${v.params?.missingProperty ? `/${v.params.missingProperty}` : ''}` || '/',
        message: v.message ?? 'invalid',
      })),
    });
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large.');
  if (typeof fe.statusCode === 'number' && fe.statusCode === 429) return new AppError('RATE_LIMITED', 'Too many requests.');
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Malformed JSON, wrong content type, bad URL encoding…: the client's fault, said plainly.
    return new AppError('VALIDATION_FAILED', `The request is not valid: ${fe.message ?? 'bad request'}.`);
  }
  return new AppError('INTERNAL', undefined, {}, { cause: err });
}

/**
 * Fastify's `frameworkErrors` option: errors raised by the router before any route or error
 * handler runs (a malformed percent-encoding, a path parameter beyond maxParamLength) would
 * otherwise be answered with Fastify's own application/json body (found by the reliability fuzz).
 */
export function frameworkErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appErr = toAppError(err);
  request.log.info({ error_code: appErr.code, fastify_code: err.code }, 'request refused by the router');
  return sendProblem(reply, problemFor(appErr, request.url.split('?')[0]));
}

/**
 * The contract's NUL rule (`findNul`), applied to every route's body, query string and path
 * parameters before its schema validation: 400 VALIDATION_FAILED naming where (issue 12.3).
 */
export function refuseNulStrings(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['body', request.body],
      ['querystring', request.query],
      ['params', request.params],
    ] as const) {
      const at = findNul(value);
      if (at !== null) {
        throw new AppError('VALIDATION_FAILED', 'The request is not valid: a string holds a NUL character.', {
          errors: [{ path: `/${part}${at === '/' ? '' : at}`, message: 'must not contain a NUL character' }],
        });
      }
    }
  });
}

/**
 * Fastify's `clientErrorHandler`: a request the HTTP parser refuses (unknown method, malformed
 * or conflicting headers such as Content-Length with Transfer-Encoding, headers beyond the
 * limit) never reaches a route; Node answered it with a bare 400 or closed the socket. It gets
 * a problem+json answer like every other error, then the connection closes (issue 12.11).
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const appErr =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new AppError('HEADERS_TOO_LARGE', 'The request headers are too large.')
      : new AppError('VALIDATION_FAILED', 'The request is not valid HTTP.');
  const problem = problemFor(appErr);
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Bad Request'}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Installs the one error handler and the 404 handler on the app. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const appErr = toAppError(err);
    const problem = problemFor(appErr, request.url.split('?')[0]);
    if (appErr.code === 'VALIDATION_FAILED' && Array.isArray(appErr.details.errors)) {
      problem.errors = appErr.details.errors as ProblemBody['errors'];
    }
    if (problem.status >= 500) request.log.error({ err, error_code: appErr.code }, 'request failed');
    else request.log.info({ error_code: appErr.code, status: problem.status }, 'request refused');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problemFor(new AppError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`), request.url.split('?')[0]),
    ),
  );
}
