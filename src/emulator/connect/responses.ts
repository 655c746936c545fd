import type { AccountData } from '../data/index.js';
import { parseCalendarDate } from '../data/index.js';
import type { EmuContext, EmuRequest, EmuResponse } from '../http/types.js';

/**
 * Response helpers in Garmin's style. The 404 body is the recorded one
 * (`{"message":"HTTP 404 Not Found","error":"NotFoundException"}`); 400 and 403 follow the same
 * JAX-RS pattern (inferred: no 400/403 of the Connect API is recorded).
 */
export const JSON_TYPE = 'application/json;charset=UTF-8';

export function ok(body: unknown): EmuResponse {
  return { status: 200, headers: { 'content-type': JSON_TYPE }, body: body === null ? 'null' : body };
}

export function notFound(): EmuResponse {
  return { status: 404, headers: { 'content-type': JSON_TYPE }, body: { message: 'HTTP 404 Not Found', error: 'NotFoundException' } };
}

export function badRequest(detail: string): EmuResponse {
  return {
    status: 400,
    headers: { 'content-type': JSON_TYPE },
    body: { message: `HTTP 400 Bad Request: ${detail}`, error: 'BadRequestException' },
  };
}

export function forbidden(): EmuResponse {
  return { status: 403, headers: { 'content-type': JSON_TYPE }, body: { message: 'HTTP 403 Forbidden', error: 'ForbiddenException' } };
}

export function noContent(): EmuResponse {
  return { status: 204 };
}

/** Thrown inside handlers to answer early with a Garmin-style error. */
export class HttpAnswer extends Error {
  constructor(readonly response: EmuResponse) {
    super(`HTTP ${response.status}`);
  }
}

export type Lookup = (accountId: string) => AccountData | undefined;

/** Wraps a handler: resolves the account of the Bearer token and turns HttpAnswer into responses. */
export function withAccount(
  lookup: Lookup,
  handler: (data: AccountData, req: EmuRequest) => EmuResponse,
): (req: EmuRequest, ctx: EmuContext) => EmuResponse {
  return (req, ctx) => {
    const data = ctx.accountId === undefined ? undefined : lookup(ctx.accountId);
    // The server checked the token; an unknown account behind it is treated like a bad token.
    if (!data)
      return {
        status: 401,
        headers: { 'content-type': JSON_TYPE },
        body: { message: 'HTTP 401 Unauthorized', error: 'UnauthorizedException' },
      };
    try {
      return handler(data, req);
    } catch (e) {
      if (e instanceof HttpAnswer) return e.response;
      throw e;
    }
  };
}

/** A required `YYYY-MM-DD` (path or query); 400 when missing or not a real date. */
export function requireDate(value: string | null | undefined, name: string): string {
  if (value === null || value === undefined || value === '') throw new HttpAnswer(badRequest(`${name} is required`));
  if (parseCalendarDate(value) === undefined) throw new HttpAnswer(badRequest(`${name} must be a date (yyyy-MM-dd)`));
  return value;
}

/** An optional non-negative integer query parameter. */
export function intParam(req: EmuRequest, name: string, fallback: number): number {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new HttpAnswer(badRequest(`${name} must be a non-negative integer`));
  return Number(raw);
}

/** A numeric id path parameter: 400 when not a number (404 is the caller's job). */
export function idParam(req: EmuRequest, name = 'id'): number {
  const raw = req.params[name] ?? '';
  if (!/^\d{1,18}$/.test(raw)) throw new HttpAnswer(badRequest(`${name} must be numeric`));
  return Number(raw);
}

/** The `{displayName}` path segment must be the token owner's (other users' data is private). */
export function requireOwnName(data: AccountData, req: EmuRequest): void {
  if ((req.params.displayName ?? '') !== data.identity.displayName) throw new HttpAnswer(forbidden());
}
