import { describe, expect, it } from 'vitest';
import { AppError } from '../core/index.js';
import { EXIT, exitCodeFor } from './exit-codes.js';

describe('exitCodeFor', () => {
  it('maps the catalogue codes to the documented exit codes', () => {
    const cases: [ConstructorParameters<typeof AppError>[0], number][] = [
      ['VALIDATION_FAILED', 2],
      ['ARCHIVE_INVALID', 2],
      ['NOT_FOUND', 3],
      ['LOGIN_REQUIRED', 4],
      ['REFRESH_TOKEN_REUSED', 4],
      ['MFA_CHALLENGE_GONE', 4],
      ['JOB_FAILED', 5],
      ['JOB_CANCELLED', 6],
      ['SERVICE_UNREACHABLE', 7],
      ['MFA_REQUIRED', 10],
      ['MFA_CODE_INVALID', 10],
      ['ABORTED', 130],
      ['GARMIN_UNAVAILABLE', 1],
      ['CREDENTIALS_INSECURE', 1],
      ['FILE_EXISTS', 1],
    ];
    for (const [code, exit] of cases) expect(exitCodeFor(new AppError(code)), code).toBe(exit);
  });

  it('is 130 for an abort and 1 for anything unexpected', () => {
    expect(exitCodeFor(new DOMException('x', 'AbortError'))).toBe(EXIT.INTERRUPTED);
    const promptCtrlC = Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
    expect(exitCodeFor(promptCtrlC)).toBe(EXIT.INTERRUPTED);
    expect(exitCodeFor(new TypeError('boom'))).toBe(EXIT.ERROR);
  });
});
