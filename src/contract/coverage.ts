import { Type, type Static } from 'typebox';
import { COVERAGE_STATES } from '../core/index.js';
import { CalendarDate, Timestamp } from './common.js';
import { HealthMetricName } from './health.js';

/**
 * GET /coverage (issue 15): per health metric family and per day, what is stored — so gaps,
 * failures and partial days can be seen and filled (`sync start --type health --missing`).
 */
export const CoverageStateName = Type.Unsafe<(typeof COVERAGE_STATES)[number]>({
  type: 'string',
  enum: [...COVERAGE_STATES],
  description:
    'present: stored with data; empty: Garmin had no data; missing: never fetched; failed: the last fetch failed (see job_id); partial: fetched before the day ended',
});

export const CoverageQuery = Type.Object(
  {
    from: Type.Optional(CalendarDate),
    to: Type.Optional(CalendarDate),
    metrics: Type.Optional(
      Type.String({
        maxLength: 400,
        description: 'comma-separated family names or "all"; default: the default set plus every family stored in the range',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CoverageQuery = Static<typeof CoverageQuery>;

export const CoverageCell = Type.Object({
  state: CoverageStateName,
  source: Type.Union([Type.Literal('api'), Type.Literal('archive'), Type.Null()], { description: 'where the stored copy came from' }),
  fetched_at: Type.Union([Timestamp, Type.Null()]),
  job_id: Type.Union([Type.String(), Type.Null()], { description: 'the job that stored it, or (failed) the job whose fetch failed' }),
  error_code: Type.Optional(Type.String({ description: 'failed: why' })),
});
export type CoverageCell = Static<typeof CoverageCell>;

export const CoverageDay = Type.Object({
  calendar_date: CalendarDate,
  state: Type.Union([CoverageStateName], {
    description: 'the day at a glance: failed, else missing, else partial, else present (any family with data), else empty',
  }),
  /** Every reported family (keys: family names). */
  metrics: Type.Record(Type.String(), CoverageCell),
});
export type CoverageDay = Static<typeof CoverageDay>;

export const CoverageFamilyTotals = Type.Object({
  metric: HealthMetricName,
  present: Type.Integer(),
  empty: Type.Integer(),
  missing: Type.Integer(),
  failed: Type.Integer(),
  partial: Type.Integer(),
  from_archive: Type.Integer({ description: 'stored days (present, empty or partial) that came from an imported archive' }),
});

export const CoverageReport = Type.Object({
  from: CalendarDate,
  to: CalendarDate,
  metrics: Type.Array(HealthMetricName),
  totals: Type.Array(CoverageFamilyTotals),
  days: Type.Array(CoverageDay, { description: 'every day of the range, oldest first' }),
});
export type CoverageReport = Static<typeof CoverageReport>;
