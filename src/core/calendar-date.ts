import { AppError } from './errors.js';

/**
 * Calendar dates (YYYY-MM-DD, UTC) and the one window of dates the service syncs (issue 12.1):
 * shared by the API (contract + SyncService), the CLI's flags and the syncers' day iteration,
 * so that no path can hand the engine a date it cannot walk (9999-12-31 once froze the service).
 */

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The first day a sync may ask for (Garmin Connect has no data before it). */
export const EARLIEST_SYNC_DATE = '2000-01-01';

/**
 * The most days one date range may hold: 2000-01-01 to today is about 9,800 days; this leaves
 * room for decades and still bounds any walk over a range to a few milliseconds.
 */
export const MAX_RANGE_DAYS = 20_000;

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 and +010000-01-01 are not). */
export function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The UTC calendar date of an instant; VALIDATION_FAILED outside years 0000–9999. */
export function utcDate(ms: number): string {
  const d = new Date(ms);
  const s = Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
  if (!isCalendarDate(s)) throw new AppError('VALIDATION_FAILED', 'The date is outside the years 0000 to 9999.');
  return s;
}

/** Epoch ms of a date's midnight UTC; VALIDATION_FAILED for anything but a real YYYY-MM-DD. */
export function dateMs(date: string): number {
  if (!isCalendarDate(date)) throw new AppError('VALIDATION_FAILED', `"${date.slice(0, 40)}" is not a date written YYYY-MM-DD.`);
  return Date.parse(`${date}T00:00:00Z`);
}

/** The date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  return utcDate(dateMs(date) + days * DAY_MS);
}

/** The last day a sync may ask for: tomorrow in UTC (a user east of UTC is already there). */
export function latestSyncDate(nowMs: number): string {
  return utcDate(nowMs + DAY_MS);
}

/**
 * Why `value` is not a date a sync may ask for, as the end of a sentence ("must be …"), or null
 * when it is one: a real YYYY-MM-DD from {@link EARLIEST_SYNC_DATE} to tomorrow (UTC).
 */
export function syncDateProblem(value: string, nowMs: number): string | null {
  const latest = latestSyncDate(nowMs);
  if (!isCalendarDate(value)) return 'must be a date like 2026-11-27';
  if (value < EARLIEST_SYNC_DATE || value > latest) return `must be a day from ${EARLIEST_SYNC_DATE} to ${latest} (tomorrow)`;
  return null;
}

/**
 * Every date from `from` to `to` inclusive, ascending; empty when from > to. Both ends are
 * validated and the walk counts days instead of comparing strings, so it ends after at most
 * {@link MAX_RANGE_DAYS} steps whatever it is given (VALIDATION_FAILED beyond that).
 */
export function dateRange(from: string, to: string): string[] {
  const start = dateMs(from);
  const days = Math.round((dateMs(to) - start) / DAY_MS) + 1;
  if (days <= 0) return [];
  if (days > MAX_RANGE_DAYS) throw new AppError('VALIDATION_FAILED', `A date range may hold at most ${MAX_RANGE_DAYS} days.`);
  return Array.from({ length: days }, (_, i) => utcDate(start + i * DAY_MS));
}
