import { InvalidArgumentError } from 'commander';
import { AppError, isGarminId } from '../../core/index.js';

/** A usage error: one sentence, exit 2. */
export function usage(message: string): AppError {
  return new AppError('VALIDATION_FAILED', message);
}

/** Checks a YYYY-MM-DD date that really exists (2026-02-30 is refused). */
export function parseDateFlag(value: string, flag: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.toISOString().slice(0, 10) !== value) {
    throw usage(`${flag} must be a date like 2026-11-27, not "${value}".`);
  }
  return value;
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
