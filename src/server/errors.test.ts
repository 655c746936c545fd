import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CODES, type ErrorCode } from '../core/index.js';
import { HTTP_STATUS, problemFor, toAppError } from './errors.js';

describe('problem+json mapping', () => {
  it('maps every catalogue code to an HTTP error status', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      expect(HTTP_STATUS[code], code).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS[code], code).toBeLessThan(600);
    }
  });

  it('passes public details and Retry-After, and never internal messages on 5xx', () => {
    const p = problemFor(new AppError('MFA_CODE_INVALID', 'wrong', { attempts_left: 2, secret: 'x' }), '/api/v1/auth/mfa');
    expect(p).toEqual({
      type: 'urn:garminsync:error:MFA_CODE_INVALID',
      title: ERROR_CODES.MFA_CODE_INVALID,
      status: 401,
      detail: 'wrong',
      code: 'MFA_CODE_INVALID',
      instance: '/api/v1/auth/mfa',
      attempts_left: 2,
    });
    expect(problemFor(new AppError('RATE_LIMITED', 'slow down', { retry_after_ms: 1500 })).retry_after_seconds).toBe(2);
    const internal = problemFor(toAppError(new Error('SELECT * FROM secrets failed at /srv/x.js:1')));
    expect(internal).toMatchObject({ status: 500, code: 'INTERNAL', detail: ERROR_CODES.INTERNAL });
    expect(problemFor(new AppError('GARMIN_UNAVAILABLE', 'upstream said 502 at https://sso…')).detail).toBe(ERROR_CODES.GARMIN_UNAVAILABLE);
  });

  it("translates Fastify's own errors", () => {
    expect(toAppError({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }).code).toBe('PAYLOAD_TOO_LARGE');
    expect(toAppError({ statusCode: 415, message: 'Unsupported Media Type' }).code).toBe('VALIDATION_FAILED');
    expect(
      toAppError({ validation: [{ instancePath: '/x', message: 'must be string' }], message: 'body/x must be string' }).details.errors,
    ).toEqual([{ path: '/x', message: 'must be string' }]);
  });
});
