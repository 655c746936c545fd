import { describe, expect, it } from 'vitest';
import { isAppError } from './errors.js';
import { MAX_RANGE_DAYS, addDays, dateRange, isCalendarDate, latestSyncDate, syncDateProblem } from './calendar-date.js';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('calendar dates (issue 12.1)', () => {
  const now = Date.UTC(2026, 10, 27, 23, 59, 0);

  it('never walks past year 9999: the step after 9999-12-31 is refused, not "+010000-01-01"', () => {
    expect(
      isAppError(
        thrown(() => addDays('9999-12-31', 1)),
        'VALIDATION_FAILED',
      ),
    ).toBe(true);
    expect(
      isAppError(
        thrown(() => addDays('0000-01-01', -1)),
        'VALIDATION_FAILED',
      ),
    ).toBe(true);
    expect(isCalendarDate('+010000-01-01')).toBe(false);
    expect(dateRange('9999-12-30', '9999-12-31')).toEqual(['9999-12-30', '9999-12-31']);
  });

  it('bounds and validates every range it walks', () => {
    expect(dateRange('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(dateRange('2026-03-02', '2026-02-27')).toEqual([]);
    expect(dateRange('2000-01-01', '2026-11-28')).toHaveLength(9829);
    expect(
      isAppError(
        thrown(() => dateRange('0001-01-01', '9999-12-31')),
        'VALIDATION_FAILED',
      ),
    ).toBe(true);
    expect(
      isAppError(
        thrown(() => dateRange('2026-02-30', '2026-03-01')),
        'VALIDATION_FAILED',
      ),
    ).toBe(true);
    expect(
      isAppError(
        thrown(() => dateRange('2026-01-01', 'tomorrow')),
        'VALIDATION_FAILED',
      ),
    ).toBe(true);
    expect(MAX_RANGE_DAYS).toBeGreaterThan(9829);
  });

  it('accepts sync dates from 2000-01-01 to tomorrow (UTC) only', () => {
    expect(latestSyncDate(now)).toBe('2026-11-28');
    expect(syncDateProblem('2000-01-01', now)).toBeNull();
    expect(syncDateProblem('2026-11-28', now)).toBeNull();
    expect(syncDateProblem('2026-11-29', now)).toBe('must be a day from 2000-01-01 to 2026-11-28 (tomorrow)');
    expect(syncDateProblem('1999-12-31', now)).toBe('must be a day from 2000-01-01 to 2026-11-28 (tomorrow)');
    expect(syncDateProblem('9999-12-31', now)).toBe('must be a day from 2000-01-01 to 2026-11-28 (tomorrow)');
    expect(syncDateProblem('2026-02-30', now)).toBe('must be a date like 2026-11-27');
  });
});
