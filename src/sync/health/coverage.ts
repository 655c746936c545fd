import {
  AppError,
  DEFAULT_HEALTH_METRICS,
  HEALTH_METRICS,
  dateRange,
  isHealthMetric,
  type CoverageState,
  type HealthMetric,
} from '../../core/index.js';
import type { HealthMetricStatus } from '../../store/index.js';

/** One family on one day. */
export interface CoverageCell {
  state: CoverageState;
  source: 'api' | 'archive' | null;
  fetched_at: number | null;
  job_id: string | null;
  error_code?: string;
}

export interface CoverageDay {
  calendar_date: string;
  /** failed, else missing, else partial, else present (any family with data), else empty. */
  state: CoverageState;
  metrics: Partial<Record<HealthMetric, CoverageCell>>;
}

export interface CoverageTotals {
  metric: HealthMetric;
  present: number;
  empty: number;
  missing: number;
  failed: number;
  partial: number;
  from_archive: number;
}

export interface Coverage {
  from: string;
  to: string;
  metrics: HealthMetric[];
  totals: CoverageTotals[];
  days: CoverageDay[];
}

/** A failed health item of a job, with the job's params (which families it fetched). */
export interface HealthFailure {
  job_id: string;
  item_key: string;
  error_code: string;
  created_at: number | string;
  params: string;
}

/** The most days one coverage report (or one `--missing` job) spans: ten years. */
export const MAX_COVERAGE_DAYS = 3660;

const NEEDS_FETCH: ReadonlySet<CoverageState> = new Set(['missing', 'failed', 'partial']);

function jobMetrics(params: string): readonly HealthMetric[] {
  try {
    const m = (JSON.parse(params) as { metrics?: unknown }).metrics;
    if (Array.isArray(m)) return m.filter((x): x is HealthMetric => typeof x === 'string' && isHealthMetric(x));
  } catch {
    // unreadable params: the default set
  }
  return DEFAULT_HEALTH_METRICS;
}

function dayState(cells: CoverageCell[]): CoverageState {
  for (const s of ['failed', 'missing', 'partial', 'present'] as const) if (cells.some((c) => c.state === s)) return s;
  return 'empty';
}

/**
 * Coverage of [from, to] from what is stored and what failed (pure: the API's report and the
 * `--missing` job's plan are the same computation). A stored complete family is present or
 * empty; stored before its day ended, partial; not stored, failed when a job's fetch of that day
 * failed (and the job asked for the family), else missing. `metrics` undefined: the default set
 * plus every family stored in the range.
 */
export function computeCoverage(
  from: string,
  to: string,
  statuses: readonly HealthMetricStatus[],
  failures: readonly HealthFailure[],
  metrics?: readonly HealthMetric[],
): Coverage {
  if (from > to) throw new AppError('VALIDATION_FAILED', 'from must not be after to.', { field: 'from' });
  const dates = dateRange(from, to);
  if (dates.length > MAX_COVERAGE_DAYS)
    throw new AppError('VALIDATION_FAILED', `A coverage range is at most ${MAX_COVERAGE_DAYS} days.`, { field: 'from' });
  const stored = new Map<string, HealthMetricStatus>();
  const storedFamilies = new Set<string>();
  for (const s of statuses) {
    stored.set(`${s.calendar_date}|${s.family}`, s);
    storedFamilies.add(s.family);
  }
  const chosen = metrics ?? HEALTH_METRICS.filter((m) => DEFAULT_HEALTH_METRICS.includes(m) || storedFamilies.has(m));
  const failed = new Map<string, HealthFailure>();
  for (const f of failures) {
    const day = f.item_key.slice('health:'.length);
    for (const m of jobMetrics(f.params)) failed.set(`${day}|${m}`, f); // oldest first: the newest failure wins
  }
  const totals = new Map<HealthMetric, CoverageTotals>(
    chosen.map((m) => [m, { metric: m, present: 0, empty: 0, missing: 0, failed: 0, partial: 0, from_archive: 0 }]),
  );
  const days = dates.map((date): CoverageDay => {
    const cells: Partial<Record<HealthMetric, CoverageCell>> = {};
    for (const m of chosen) {
      const s = stored.get(`${date}|${m}`);
      const f = failed.get(`${date}|${m}`);
      let cell: CoverageCell;
      if (s && s.complete) cell = { state: s.state, source: s.source, fetched_at: s.fetched_at, job_id: s.job_id };
      else if (f && (!s || Number(f.created_at) > s.fetched_at))
        cell = {
          state: 'failed',
          source: s?.source ?? null,
          fetched_at: s?.fetched_at ?? null,
          job_id: f.job_id,
          error_code: f.error_code,
        };
      else if (s) cell = { state: 'partial', source: s.source, fetched_at: s.fetched_at, job_id: s.job_id };
      else cell = { state: 'missing', source: null, fetched_at: null, job_id: null };
      cells[m] = cell;
      const t = totals.get(m)!;
      t[cell.state] += 1;
      if (s?.source === 'archive') t.from_archive += 1;
    }
    return { calendar_date: date, state: dayState(Object.values(cells)), metrics: cells };
  });
  return { from, to, metrics: [...chosen], totals: [...totals.values()], days };
}

/** The families of each day that a `--missing` job fetches: those missing, failed or partial. */
export function familiesToFetch(coverage: Coverage): Map<string, HealthMetric[]> {
  const out = new Map<string, HealthMetric[]>();
  for (const d of coverage.days) {
    const need = coverage.metrics.filter((m) => NEEDS_FETCH.has(d.metrics[m]!.state));
    if (need.length > 0) out.set(d.calendar_date, need);
  }
  return out;
}
