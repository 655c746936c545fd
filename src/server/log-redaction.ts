/**
 * What the service's logs never show (docs/security.md): passwords, MFA codes, tokens, auth
 * headers — whatever a log call passes. Error codes are not secrets: `code` fields are kept when
 * they are a code (FIT_INVALID, EADDRINUSE, 3F000) and redacted otherwise, so an MFA code (all
 * digits) under the same name never shows, while `"code":"[redacted]"` no longer hides why
 * something failed (issue 12.13).
 */

/** The log paths that may carry a secret. */
export const LOG_REDACT = [
  'password',
  '*.password',
  'code',
  '*.code',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'tokens',
  '*.tokens',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/** An error code: upper-case letters, digits and underscores with at least one letter. */
const ERROR_CODE = /^(?=.*[A-Z])[A-Z0-9_]{2,64}$/;
const CENSORED = '[redacted]';

/** pino's censor: a `code` that is an error code stays; every other redacted value is censored. */
export function censorSecret(value: unknown, path: string[]): unknown {
  return path[path.length - 1] === 'code' && typeof value === 'string' && ERROR_CODE.test(value) ? value : CENSORED;
}

/** pino's `redact` option for every service logger (and the test harnesses'). */
export const LOG_REDACTION = { paths: LOG_REDACT, censor: censorSecret };
