import type { Selectable } from 'kysely';
import type { Db } from './schema.js';
import type { HealthDaysTable } from './sync.tables.js';

/** The parts of one health day, each as Garmin sent it (or null when Garmin had none). */
export interface HealthDayParts {
  summary: unknown;
  heart_rate: unknown;
  sleep: unknown;
  stress: unknown;
  hrv: unknown;
  weight: unknown;
}

export interface HealthDayRecord extends HealthDayParts {
  user_id: string;
  calendar_date: string;
  job_id: string | null;
  synced_at: number;
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
const parse = (t: string | null): unknown => (t === null ? null : (JSON.parse(t) as unknown));

function toRecord(r: Selectable<HealthDaysTable>): HealthDayRecord {
  return {
    user_id: r.user_id,
    calendar_date: r.calendar_date,
    summary: parse(r.summary),
    heart_rate: parse(r.heart_rate),
    sleep: parse(r.sleep),
    stress: parse(r.stress),
    hrv: parse(r.hrv),
    weight: parse(r.weight),
    job_id: r.job_id,
    synced_at: r.synced_at,
  };
}

/** Daily health data keyed by (user, Garmin calendarDate). */
export class HealthDayRepository {
  constructor(private readonly db: Db) {}

  /** Inserts or replaces one day (re-fetched recent days overwrite their partial data). */
  async upsert(userId: string, calendarDate: string, parts: HealthDayParts, jobId: string | null, now: number): Promise<void> {
    const row = {
      summary: json(parts.summary),
      heart_rate: json(parts.heart_rate),
      sleep: json(parts.sleep),
      stress: json(parts.stress),
      hrv: json(parts.hrv),
      weight: json(parts.weight),
      job_id: jobId,
      synced_at: now,
    };
    await this.db
      .insertInto('health_days')
      .values({ user_id: userId, calendar_date: calendarDate, ...row })
      .onConflict((oc) => oc.columns(['user_id', 'calendar_date']).doUpdateSet(row))
      .execute();
  }

  async get(userId: string, calendarDate: string): Promise<HealthDayRecord | undefined> {
    const r = await this.db
      .selectFrom('health_days')
      .selectAll()
      .where('user_id', '=', userId)
      .where('calendar_date', '=', calendarDate)
      .executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  /** Days in [from, to] (inclusive, YYYY-MM-DD; both optional), newest first, at most `limit` (default 366). */
  async list(userId: string, opts: { from?: string; to?: string; limit?: number } = {}): Promise<HealthDayRecord[]> {
    let q = this.db.selectFrom('health_days').selectAll().where('user_id', '=', userId);
    if (opts.from) q = q.where('calendar_date', '>=', opts.from);
    if (opts.to) q = q.where('calendar_date', '<=', opts.to);
    const rows = await q.orderBy('calendar_date', 'desc').limit(Math.min(3660, Math.max(1, opts.limit ?? 366))).execute();
    return rows.map(toRecord);
  }

  /** The stored calendar dates in [from, to], optionally only those written by one job (a resumed job skips them). */
  async storedDates(userId: string, from: string, to: string, jobId?: string): Promise<Set<string>> {
    let q = this.db
      .selectFrom('health_days')
      .select('calendar_date')
      .where('user_id', '=', userId)
      .where('calendar_date', '>=', from)
      .where('calendar_date', '<=', to);
    if (jobId !== undefined) q = q.where('job_id', '=', jobId);
    return new Set((await q.execute()).map((r) => r.calendar_date));
  }

  async count(userId: string): Promise<number> {
    const r = await this.db.selectFrom('health_days').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
