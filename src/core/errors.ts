/**
 * The one error vocabulary (style.md rule 4). Every error the system raises on purpose is an
 * AppError with a stable UPPER_SNAKE code from ERROR_CODES. The server maps codes to HTTP status
 * + problem+json in one place (src/server), the CLI maps them to exit codes in one place
 * (src/cli/main.ts). Nothing here knows about HTTP or exit codes.
 */
export const ERROR_CODES = {
  // input
  VALIDATION_FAILED: 'The request or input is not valid.',
  // our own authentication (service sessions)
  UNAUTHENTICATED: 'Authentication is required.',
  TOKEN_INVALID: 'The access token is invalid or expired.',
  SESSION_EXPIRED: 'The session has expired.',
  SESSION_REVOKED: 'The session was revoked.',
  REFRESH_TOKEN_INVALID: 'The refresh token is invalid or expired.',
  REFRESH_TOKEN_REUSED: 'A rotated refresh token was reused; the session was revoked.',
  LOGIN_REQUIRED: 'A new login is required.',
  MFA_CODE_INVALID: 'The MFA code is not correct.',
  MFA_CHALLENGE_GONE: 'The MFA challenge expired or has no attempts left.',
  MFA_REQUIRED: 'An MFA code is required to finish the login.',
  FORBIDDEN: 'Not allowed.',
  // resources and state
  NOT_FOUND: 'Not found.',
  INVALID_TRANSITION: 'That state change is not allowed.',
  CONFLICT: 'The request conflicts with the current state.',
  RATE_LIMITED: 'Too many requests.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  // harden-input (issue 12.11): refused by the HTTP parser before any route ran
  HEADERS_TOO_LARGE: 'The request headers are too large.',
  // Garmin (upstream)
  GARMIN_INVALID_CREDENTIALS: 'Garmin rejected the e-mail or password.',
  GARMIN_ACCOUNT_LOCKED: 'The Garmin account is locked.',
  GARMIN_CAPTCHA_REQUIRED: 'Garmin asks for a captcha; log in on the Garmin website once, then try again.',
  GARMIN_MFA_CODE_INVALID: 'Garmin rejected the MFA code.',
  GARMIN_MFA_EXPIRED: 'The Garmin MFA code expired or too many were tried.',
  // The one "login required" sentence: jobs fail with it, the gateway and the token vault throw it.
  GARMIN_REAUTH_REQUIRED: 'Garmin login required: run `garminsync auth login`.',
  GARMIN_TOKEN_REJECTED: 'Garmin rejected the access token.',
  GARMIN_RATE_LIMITED: 'Garmin is rate limiting requests.',
  GARMIN_CIRCUIT_OPEN: 'Requests to Garmin are paused after repeated rate limiting.',
  GARMIN_UNAVAILABLE: 'Garmin did not answer properly.',
  GARMIN_NOT_FOUND: 'Garmin has no such item.',
  GARMIN_PROTOCOL_CHANGED: 'Garmin answered in a shape we do not understand.',
  FIT_INVALID: 'The FIT file failed its integrity check.',
  // archive import (issue 16)
  ARCHIVE_INVALID: 'The file is not a Garmin account-export archive.',
  ARCHIVE_ENTRY_TOO_LARGE: 'An entry of the archive is larger than the importer accepts.',
  ARCHIVE_ENTRY_CORRUPT: 'An entry of the archive cannot be read.',
  // jobs and the client side
  JOB_FAILED: 'The sync job failed.',
  // arch-sync (issue 12.1): the attempts cap of a job that keeps crashing its worker.
  JOB_ATTEMPTS_EXHAUSTED: 'The sync job was started too many times without finishing.',
  JOB_CANCELLED: 'The sync job was cancelled.',
  SERVICE_UNREACHABLE: 'The sync service cannot be reached.',
  CREDENTIALS_INSECURE: 'The credential file is readable by other users.',
  CONFIG_INVALID: 'A setting is not valid.',
  // arch-server (issue 12.7): the service could not start (port in use, database unreachable, …)
  STARTUP_FAILED: 'The service could not start.',
  ABORTED: 'The operation was aborted.',
  INTERNAL: 'An internal error occurred.',
  // per-user fairness (issue 12.6, harden-scale)
  TOO_MANY_ACTIVE_JOBS: 'Too many sync jobs are pending or running for this user.',
  // export (issue 14): local files the CLI writes
  FILE_EXISTS: 'The file already exists.',
  // storage (issue 12.2, 12.8): the service could not write its data
  DISK_FULL: 'The disk of the service is full; free space, then sync again.',
  STORAGE_UNWRITABLE: 'The service cannot write to its data directory or database.',
  // readiness (issue 12.8): GET /readyz — its messages are fixed sentences naming the check
  NOT_READY: 'The service is not ready.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Details that travel with an error to clients. Never put secrets here. */
export type ErrorDetails = Record<string, unknown>;

/** A typed, expected error. `message` is one plain sentence for a person. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message?: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message ?? ERROR_CODES[code], options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  /** Milliseconds to wait before trying again, when the error says so. */
  get retryAfterMs(): number | undefined {
    const v = this.details.retry_after_ms;
    return typeof v === 'number' ? v : undefined;
  }
}

export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}

export function isAbortError(e: unknown): boolean {
  return (
    (e instanceof Error || e instanceof DOMException) && (e.name === 'AbortError' || e.name === 'TimeoutError' || isAppError(e, 'ABORTED'))
  );
}
