import { InvalidArgumentError } from 'commander';
import { AppError, isCalendarDate, isGarminId, syncDateProblem } from '../../core/index.js';

/** A usage error: one sentence, exit 2. */
export function usage(message: string): AppError {
  return new AppError('VALIDATION_FAILED', message);
}

/** Checks a YYYY-MM-DD date that really exists (2026-02-30 is refused). */
export function parseDateFlag(value: string, flag: string): string {
  if (!isCalendarDate(value)) throw usage(`${flag} must be a date like 2026-11-27, not "${value}".`);
  return value;
}

/** A day a sync may ask for: the service's own rule (2000-01-01 to tomorrow), said before asking it. */
export function checkSyncDateFlag(value: string | undefined, flag: string, nowMs: number): void {
  const problem = value === undefined ? null : syncDateProblem(value, nowMs);
  if (problem) throw usage(`${flag} ${problem}, not "${value}".`);
}

/** A whole number within bounds, for --limit and friends. */
export function parseIntFlag(value: string, flag: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw usage(`${flag} must be a whole number from ${min} to ${max}, not "${value}".`);
  }
  return Number(value);
}

/** Garmin's activity ids are numbers (core's rule, the one the API checks); a typo is said before asking the service. */
export function checkActivityId(id: string): string {
  if (!isGarminId(id)) throw usage(`An activity id is Garmin's number, like 12345678901, not "${id}".`);
  return id;
}

/** Garmin's workout ids are numbers too. */
export function checkWorkoutId(id: string): string {
  if (!isGarminId(id)) throw usage(`A workout id is Garmin's number, like 1000123, not "${id}".`);
  return id;
}

/** Turns one of the parse functions above into a commander option parser (its message becomes the usage error). */
export const flagParser =
  <T>(parse: (v: string) => T) =>
  (v: string): T => {
    try {
      return parse(v);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
