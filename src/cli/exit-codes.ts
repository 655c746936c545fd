import { isAbortError, isAppError, type ErrorCode } from '../core/index.js';

/** The documented exit codes (design.md §6, docs/cli.md). */
export const EXIT = {
  OK: 0,
  ERROR: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  LOGIN_REQUIRED: 4,
  JOB_FAILED: 5,
  JOB_CANCELLED: 6,
  UNREACHABLE: 7,
  /** Our session is fine, but Garmin refused to refresh its tokens: `auth login` again (issue 15). */
  GARMIN_REAUTH_REQUIRED: 8,
  /** The jobs completed, but some items failed permanently and were skipped: `sync retry --failed JOB` (issue 18.4). */
  COMPLETED_WITH_FAILURES: 9,
  MFA_REQUIRED: 10,
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The one place where error codes become exit codes (style.md rule 4). Codes come from AppErrors
 * raised in the CLI and from the `code` of the service's problem+json answers, which the API
 * client turns into AppErrors with the same code.
 */
const BY_CODE: Partial<Record<ErrorCode, ExitCode>> = {
  VALIDATION_FAILED: EXIT.USAGE,
  // A file that is not what the command takes (import archive: not a ZIP, not a Garmin export).
  ARCHIVE_INVALID: EXIT.USAGE,
  CONFIG_INVALID: EXIT.USAGE,
  NOT_FOUND: EXIT.NOT_FOUND,
  UNAUTHENTICATED: EXIT.LOGIN_REQUIRED,
  TOKEN_INVALID: EXIT.LOGIN_REQUIRED,
  SESSION_EXPIRED: EXIT.LOGIN_REQUIRED,
  SESSION_REVOKED: EXIT.LOGIN_REQUIRED,
  REFRESH_TOKEN_INVALID: EXIT.LOGIN_REQUIRED,
  REFRESH_TOKEN_REUSED: EXIT.LOGIN_REQUIRED,
  LOGIN_REQUIRED: EXIT.LOGIN_REQUIRED,
  GARMIN_REAUTH_REQUIRED: EXIT.GARMIN_REAUTH_REQUIRED,
  JOB_FAILED: EXIT.JOB_FAILED,
  JOB_CANCELLED: EXIT.JOB_CANCELLED,
  SERVICE_UNREACHABLE: EXIT.UNREACHABLE,
  MFA_REQUIRED: EXIT.MFA_REQUIRED,
  // A wrong code leaves the challenge open: the next step is again "give a code" (auth mfa).
  MFA_CODE_INVALID: EXIT.MFA_REQUIRED,
  GARMIN_MFA_CODE_INVALID: EXIT.MFA_REQUIRED,
  // An expired or exhausted challenge needs a new login.
  MFA_CHALLENGE_GONE: EXIT.LOGIN_REQUIRED,
  GARMIN_MFA_EXPIRED: EXIT.LOGIN_REQUIRED,
  ABORTED: EXIT.INTERRUPTED,
};

/** The exit code for anything a command threw. Unknown errors are 1. */
export function exitCodeFor(error: unknown): ExitCode {
  if (isAppError(error)) return BY_CODE[error.code] ?? EXIT.ERROR;
  if (isAbortError(error) || isPromptInterrupt(error)) return EXIT.INTERRUPTED;
  return EXIT.ERROR;
}

/** Ctrl-C inside a prompt: the prompt library holds the terminal in raw mode and rejects by itself. */
export function isPromptInterrupt(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}
