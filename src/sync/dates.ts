import { AppError, syncDateProblem } from '../core/index.js';

// Calendar dates and their bounded walk live in core (one rule for API, CLI and syncers).
export { addDays, dateRange, isCalendarDate, utcDate } from '../core/index.js';

/**
 * Refuses a job whose stored `from`/`to` lie outside the sync window (a row written before the
 * API checked it, or by hand): the job fails with VALIDATION_FAILED instead of walking to 9999.
 */
export function checkJobDates(params: { from: string | null; to: string | null }, nowMs: number): void {
  for (const [name, v] of [
    ['from', params.from],
    ['to', params.to],
  ] as const) {
    const problem = v === null ? null : syncDateProblem(v, nowMs);
    if (problem) throw new AppError('VALIDATION_FAILED', `The job's ${name} date ${problem}.`);
  }
}

/**
 * Parses Garmin's GMT timestamps: "2026-01-08 08:10:21" (lists), "2026-01-08T08:10:21.0"
 * (details) or full ISO with a zone. Zone-less values are GMT. PROTOCOL_CHANGED when unreadable.
 */
export function parseGarminGmt(s: string): number {
  const iso = s.includes('T') ? s : s.replace(' ', 'T');
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(ms)) throw new AppError('GARMIN_PROTOCOL_CHANGED', `Unreadable Garmin timestamp "${s}".`);
  return ms;
}
