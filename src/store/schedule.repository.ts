import type { Selectable } from 'kysely';
import type { SyncType } from '../core/index.js';
import type { Db } from './schema.js';
import type { SyncSchedulesTable } from './schedules.tables.js';

/**
 * A user's schedule of one sync type, as the store returns it: its row (epoch ms; int8 arrives as
 * a number on both dialects, see dialect.ts) with the sync type typed.
 */
export type ScheduleRecord = Omit<Selectable<SyncSchedulesTable>, 'sync_type'> & {
  sync_type: SyncType;
  /** Why the schedule does not run now: its Garmin account needs a new login; null when it runs. */
  paused: 'reauth_required' | null;
};

/** What `set` stores for one type: the interval, this schedule's fixed jitter and its first due time. */
export interface ScheduleWrite {
  sync_type: SyncType;
  every_ms: number;
  jitter_ms: number;
  next_run_at: number;
}

/** A due schedule, read by a worker before it tries to claim the due time. */
export type DueSchedule = Pick<
  ScheduleRecord,
  'user_id' | 'sync_type' | 'every_ms' | 'jitter_ms' | 'next_run_at' | 'session_id' | 'created_at'
>;

function toRecord({ account_status, ...row }: Selectable<SyncSchedulesTable> & { account_status: string | null }): ScheduleRecord {
  return { ...row, sync_type: row.sync_type as SyncType, paused: account_status === 'connected' ? null : 'reauth_required' };
}

/**
 * sync_schedules (issue 15): one row per (user, sync type). A due time is run once however many
 * workers poll, because a worker claims it by compare-and-set on `next_run_at` ({@link claim}):
 * of concurrent claimers of one due time exactly one moves it (PostgreSQL re-checks the WHERE
 * after the winner's row lock is released; SQLite has one writer).
 */
export class ScheduleRepository {
  constructor(private readonly db: Db) {}

  /** Creates or replaces the user's schedules of these types (the interval, jitter and next due time start over). */
  async set(userId: string, sessionId: string, writes: readonly ScheduleWrite[], now: number): Promise<void> {
    for (const w of writes) {
      const row = { every_ms: w.every_ms, jitter_ms: w.jitter_ms, next_run_at: w.next_run_at, session_id: sessionId, updated_at: now };
      await this.db
        .insertInto('sync_schedules')
        .values({ user_id: userId, sync_type: w.sync_type, ...row, last_run_at: null, last_job_id: null, created_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'sync_type']).doUpdateSet({ ...row, created_at: now }))
        .execute();
    }
  }

  /** The user's schedules (by type), each saying whether it is paused by a needed Garmin login. */
  async list(userId: string): Promise<ScheduleRecord[]> {
    const rows = await this.db
      .selectFrom('sync_schedules')
      .leftJoin('garmin_accounts', 'garmin_accounts.user_id', 'sync_schedules.user_id')
      .selectAll('sync_schedules')
      .select('garmin_accounts.status as account_status')
      .where('sync_schedules.user_id', '=', userId)
      .orderBy('sync_schedules.sync_type')
      .execute();
    return rows.map(toRecord);
  }

  /** Removes the user's schedules of these types (all when omitted); returns how many were removed. */
  async clear(userId: string, types?: readonly SyncType[]): Promise<number> {
    let q = this.db.deleteFrom('sync_schedules').where('user_id', '=', userId);
    if (types) q = q.where('sync_type', 'in', [...types]);
    const res = await q.executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /**
   * Schedules due at `now` whose Garmin account is connected (a schedule waits while its account
   * is `reauth_required`: nothing may fall back to a credential login), most overdue first.
   */
  async due(now: number, limit: number): Promise<DueSchedule[]> {
    const rows = await this.db
      .selectFrom('sync_schedules')
      .innerJoin('garmin_accounts', 'garmin_accounts.user_id', 'sync_schedules.user_id')
      .select([
        'sync_schedules.user_id',
        'sync_schedules.sync_type',
        'sync_schedules.every_ms',
        'sync_schedules.jitter_ms',
        'sync_schedules.next_run_at',
        'sync_schedules.session_id',
        'sync_schedules.created_at',
      ])
      .where('sync_schedules.next_run_at', '<=', now)
      .where('garmin_accounts.status', '=', 'connected')
      .orderBy('sync_schedules.next_run_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, sync_type: r.sync_type as SyncType }));
  }

  /**
   * Claims one due time: moves `next_run_at` from `due` to `next` unless another worker already
   * did (or the schedule was replaced or cleared). True for exactly one claimer of a due time.
   */
  async claim(s: Pick<DueSchedule, 'user_id' | 'sync_type' | 'next_run_at'>, next: number, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('sync_schedules')
      .set({ next_run_at: next, last_run_at: now, updated_at: now })
      .where('user_id', '=', s.user_id)
      .where('sync_type', '=', s.sync_type)
      .where('next_run_at', '=', s.next_run_at)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Remembers the job a claimed run created (or joined: an identical job was already active). */
  async recordJob(userId: string, syncType: SyncType, jobId: string): Promise<void> {
    await this.db
      .updateTable('sync_schedules')
      .set({ last_job_id: jobId })
      .where('user_id', '=', userId)
      .where('sync_type', '=', syncType)
      .execute();
  }
}
