import type { Selectable } from 'kysely';
import { AppError, type HealthMetric, type HealthMetricSource, type HealthMetricState } from '../../core/index.js';
import { decodeCursor, encodeCursor, fromFlag } from '../json.js';
import type { Db } from '../schema.js';
import type { HealthMetricsTable } from './health-metrics.tables.js';

/** One family of one day as written by a sync or an import. */
export interface HealthMetricWrite {
  family: HealthMetric;
  /** Garmin's answer (any JSON); null when Garmin sent no body. */
  payload: unknown;
  state: HealthMetricState;
  source: HealthMetricSource;
  fetched_at: number;
  complete: boolean;
}

/** A stored family of a day. */
export interface HealthMetricRecord {
  user_id: string;
  calendar_date: string;
  family: string;
  payload: unknown;
  state: HealthMetricState;
  source: HealthMetricSource;
  fetched_at: number;
  complete: boolean;
  job_id: string | null;
}

/** What is stored for a family and day, without the payload (coverage, resume). */
export type HealthMetricStatus = Omit<HealthMetricRecord, 'payload' | 'user_id'>;

/** One stored day of the day list: its families and when the newest of them was fetched. */
export interface HealthDayEntry {
  calendar_date: string;
  metrics: HealthMetricStatus[];
  /** The newest fetched_at of the day's families. */
  synced_at: number;
}

export interface HealthDayPage {
  items: HealthDayEntry[];
  next_cursor: string | null;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_LIMIT = 3660;

function toStatus(
  r: Pick<Selectable<HealthMetricsTable>, 'calendar_date' | 'family' | 'state' | 'source' | 'fetched_at' | 'complete' | 'job_id'>,
): HealthMetricStatus {
  return {
    calendar_date: r.calendar_date,
    family: r.family,
    state: r.state as HealthMetricState,
    source: r.source as HealthMetricSource,
    fetched_at: Number(r.fetched_at),
    complete: fromFlag(r.complete),
    job_id: r.job_id,
  };
}

function toRecord(r: Selectable<HealthMetricsTable>): HealthMetricRecord {
  return { ...toStatus(r), user_id: r.user_id, payload: r.payload === null ? null : (JSON.parse(r.payload) as unknown) };
}

function checkDate(value: string | undefined, field: string): void {
  if (value !== undefined && !DATE_RE.test(value))
    throw new AppError('VALIDATION_FAILED', `${field} must be a date YYYY-MM-DD.`, { field });
}

/**
 * Health data per (user, Garmin calendarDate, metric family): each family's payload with its
 * state, source, fetch time, completeness and writing job. Re-fetching a family replaces it.
 */
export class HealthMetricRepository {
  constructor(private readonly db: Db) {}

  /**
   * Inserts or replaces the given families of one day, all with `jobId` (null for writes outside
   * a job). Families not named are left as they are.
   */
  async upsertDay(userId: string, calendarDate: string, metrics: readonly HealthMetricWrite[], jobId: string | null): Promise<void> {
    checkDate(calendarDate, 'calendar_date');
    if (metrics.length === 0) return;
    const values = metrics.map((m) => ({
      user_id: userId,
      calendar_date: calendarDate,
      family: m.family,
      payload: m.payload === null || m.payload === undefined ? null : JSON.stringify(m.payload),
      state: m.state,
      source: m.source,
      fetched_at: m.fetched_at,
      complete: m.complete ? 1 : 0,
      job_id: jobId,
    }));
    await this.db
      .insertInto('health_metrics')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['user_id', 'calendar_date', 'family']).doUpdateSet((eb) => ({
          payload: eb.ref('excluded.payload'),
          state: eb.ref('excluded.state'),
          source: eb.ref('excluded.source'),
          fetched_at: eb.ref('excluded.fetched_at'),
          complete: eb.ref('excluded.complete'),
          job_id: eb.ref('excluded.job_id'),
        })),
      )
      .execute();
  }

  /**
   * Stores one family of one day from an imported Garmin account export (issue 16): present,
   * complete (the day is over), source `archive` — inserted when new, refreshed over an earlier
   * archive copy, never over the API's (the API's wins). True when the API's copy was kept.
   */
  async importDay(
    userId: string,
    calendarDate: string,
    m: { family: HealthMetric; payload: unknown; fetched_at: number },
    jobId: string | null,
  ): Promise<boolean> {
    checkDate(calendarDate, 'calendar_date');
    const row = {
      payload: JSON.stringify(m.payload ?? null),
      state: 'present',
      source: 'archive',
      fetched_at: m.fetched_at,
      complete: 1,
      job_id: jobId,
    };
    const r = await this.db
      .insertInto('health_metrics')
      .values({ user_id: userId, calendar_date: calendarDate, family: m.family, ...row })
      .onConflict((oc) =>
        oc.columns(['user_id', 'calendar_date', 'family']).doUpdateSet(row).where('health_metrics.source', '=', 'archive'),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 0;
  }

  /** The stored families of one day (all, or only `families`), in no particular order. */
  async getDay(userId: string, calendarDate: string, families?: readonly string[]): Promise<HealthMetricRecord[]> {
    if (families?.length === 0) return [];
    let q = this.db.selectFrom('health_metrics').selectAll().where('user_id', '=', userId).where('calendar_date', '=', calendarDate);
    if (families) q = q.where('family', 'in', [...families]);
    return (await q.execute()).map(toRecord);
  }

  /** Payloads of `families` for the given days (the day list's headline numbers), by date. */
  async payloads(userId: string, dates: readonly string[], families: readonly string[]): Promise<Map<string, Map<string, unknown>>> {
    const out = new Map<string, Map<string, unknown>>();
    if (dates.length === 0 || families.length === 0) return out;
    const rows = await this.db
      .selectFrom('health_metrics')
      .select(['calendar_date', 'family', 'payload'])
      .where('user_id', '=', userId)
      .where('calendar_date', 'in', [...dates])
      .where('family', 'in', [...families])
      .where('state', '=', 'present')
      .execute();
    for (const r of rows) {
      const day = out.get(r.calendar_date) ?? new Map<string, unknown>();
      day.set(r.family, r.payload === null ? null : (JSON.parse(r.payload) as unknown));
      out.set(r.calendar_date, day);
    }
    return out;
  }

  /**
   * Stored days in [from, to] (inclusive, both optional), newest first, `limit` per page (default
   * 366, at most 3660), with each day's family statuses. `cursor` continues after a page.
   */
  async listDays(userId: string, opts: { from?: string; to?: string; limit?: number; cursor?: string } = {}): Promise<HealthDayPage> {
    checkDate(opts.from, 'from');
    checkDate(opts.to, 'to');
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(opts.limit ?? 366)));
    let before: string | undefined;
    if (opts.cursor !== undefined) {
      const [date] = decodeCursor(opts.cursor, ['string']);
      if (!DATE_RE.test(date)) throw new AppError('VALIDATION_FAILED', 'The cursor is not valid.', { field: 'cursor' });
      before = date;
    }
    let q = this.db
      .selectFrom('health_metrics')
      .select((eb) => ['calendar_date', eb.fn.max('fetched_at').as('synced_at')])
      .where('user_id', '=', userId);
    if (opts.from) q = q.where('calendar_date', '>=', opts.from);
    if (opts.to) q = q.where('calendar_date', '<=', opts.to);
    if (before) q = q.where('calendar_date', '<', before);
    const days = await q
      .groupBy('calendar_date')
      .orderBy('calendar_date', 'desc')
      .limit(limit + 1)
      .execute();
    const page = days.slice(0, limit);
    const statuses = await this.statuses(
      userId,
      page.map((d) => d.calendar_date),
    );
    return {
      items: page.map((d) => ({
        calendar_date: d.calendar_date,
        synced_at: Number(d.synced_at),
        metrics: statuses.get(d.calendar_date) ?? [],
      })),
      next_cursor: days.length > limit ? encodeCursor([page[page.length - 1]!.calendar_date]) : null,
    };
  }

  /** Family statuses (no payloads) of the given days, by date. */
  private async statuses(userId: string, dates: readonly string[]): Promise<Map<string, HealthMetricStatus[]>> {
    const out = new Map<string, HealthMetricStatus[]>();
    if (dates.length === 0) return out;
    const rows = await this.db
      .selectFrom('health_metrics')
      .select(['calendar_date', 'family', 'state', 'source', 'fetched_at', 'complete', 'job_id'])
      .where('user_id', '=', userId)
      .where('calendar_date', 'in', [...dates])
      .orderBy('calendar_date', 'desc')
      .orderBy('family')
      .execute();
    for (const r of rows) out.set(r.calendar_date, [...(out.get(r.calendar_date) ?? []), toStatus(r)]);
    return out;
  }

  /** Every stored family status in [from, to] (inclusive), oldest day first: coverage reads this. */
  async statusRange(userId: string, from: string, to: string): Promise<HealthMetricStatus[]> {
    checkDate(from, 'from');
    checkDate(to, 'to');
    const rows = await this.db
      .selectFrom('health_metrics')
      .select(['calendar_date', 'family', 'state', 'source', 'fetched_at', 'complete', 'job_id'])
      .where('user_id', '=', userId)
      .where('calendar_date', '>=', from)
      .where('calendar_date', '<=', to)
      .orderBy('calendar_date')
      .orderBy('family')
      .execute();
    return rows.map(toStatus);
  }

  /** Calendar dates in [from, to] with at least one stored family, optionally only those written by one job. */
  async storedDates(userId: string, from: string, to: string, jobId?: string): Promise<Set<string>> {
    let q = this.db
      .selectFrom('health_metrics')
      .select('calendar_date')
      .distinct()
      .where('user_id', '=', userId)
      .where('calendar_date', '>=', from)
      .where('calendar_date', '<=', to);
    if (jobId !== undefined) q = q.where('job_id', '=', jobId);
    return new Set((await q.execute()).map((r) => r.calendar_date));
  }

  /** How many of a user's stored families (rows) `jobId` wrote last. */
  async countWrittenBy(userId: string, jobId: string): Promise<number> {
    const r = await this.db
      .selectFrom('health_metrics')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where('job_id', '=', jobId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Number of stored days of a user. */
  async countDays(userId: string): Promise<number> {
    const r = await this.db
      .selectFrom('health_metrics')
      .select((eb) => eb.fn.count<number | string>('calendar_date').distinct().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
