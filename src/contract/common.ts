import { Type, type Static } from 'typebox';
import { EARLIEST_SYNC_DATE } from '../core/index.js';

/** An ISO 8601 timestamp in UTC, e.g. "2026-11-27T12:00:00.000Z". */
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601 timestamp (UTC)' });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
/** A calendar date, YYYY-MM-DD. */
export const CalendarDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
/**
 * A day a sync may ask for: a real YYYY-MM-DD from 2000-01-01 (EARLIEST_SYNC_DATE) to tomorrow
 * (UTC). The schema refuses other centuries; the service and the CLI apply core's
 * `syncDateProblem` for the moving upper end (one rule: `src/core/calendar-date.ts`).
 */
export const SyncDate = Type.String({
  pattern: '^20\\d{2}-\\d{2}-\\d{2}$',
  description: `YYYY-MM-DD, from ${EARLIEST_SYNC_DATE} to tomorrow (UTC)`,
});

/**
 * RFC 9457 problem details. `code` is the stable UPPER_SNAKE code of core's error catalogue;
 * clients branch on it, never on `detail`.
 */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    instance: Type.Optional(Type.String()),
    attempts_left: Type.Optional(Type.Integer()),
    retry_after_seconds: Type.Optional(Type.Integer()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, $id: 'Problem' },
);
export type Problem = Static<typeof Problem>;

export const API_PREFIX = '/api/v1';
