import { sql, type Selectable } from 'kysely';
import { decodeCursor, encodeCursor } from './json.js';
import type { Db } from './schema.js';
import type { Page } from './sync-job.types.js';
import type { WorkoutsTable } from './sync.tables.js';

export interface WorkoutRecord {
  user_id: string;
  workout_id: string;
  name: string | null;
  sport: string | null;
  /** Garmin's updatedDate (epoch ms). */
  updated_at: number | null;
  /** Garmin's workout definition (detail document). */
  raw: unknown;
  fit: { sha256: string; size_bytes: number } | null;
  job_id: string | null;
  synced_at: number;
}

export type WorkoutUpsert = Omit<WorkoutRecord, 'synced_at'>;

function toRecord(r: Selectable<WorkoutsTable>): WorkoutRecord {
  return {
    user_id: r.user_id,
    workout_id: r.workout_id,
    name: r.name,
    sport: r.sport,
    updated_at: r.updated_at,
    raw: JSON.parse(r.raw) as unknown,
    fit: r.fit_sha256 && r.fit_size !== null ? { sha256: r.fit_sha256, size_bytes: r.fit_size } : null,
    job_id: r.job_id,
    synced_at: r.synced_at,
  };
}

/** Workout definitions keyed by (user, Garmin workout id). */
export class WorkoutRepository {
  constructor(private readonly db: Db) {}

  /** Inserts or replaces a workout by its Garmin id. */
  async upsert(w: WorkoutUpsert, now: number): Promise<void> {
    const row = {
      name: w.name,
      sport: w.sport,
      updated_at: w.updated_at,
      raw: JSON.stringify(w.raw ?? null),
      fit_sha256: w.fit?.sha256 ?? null,
      fit_size: w.fit?.size_bytes ?? null,
      job_id: w.job_id,
      synced_at: now,
    };
    await this.db
      .insertInto('workouts')
      .values({ user_id: w.user_id, workout_id: w.workout_id, ...row })
      .onConflict((oc) => oc.columns(['user_id', 'workout_id']).doUpdateSet(row))
      .execute();
  }

  async get(userId: string, workoutId: string): Promise<WorkoutRecord | undefined> {
    const r = await this.db
      .selectFrom('workouts')
      .selectAll()
      .where('user_id', '=', userId)
      .where('workout_id', '=', workoutId)
      .executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  /** All of a user's workouts by name (users have tens, not thousands). */
  async list(userId: string): Promise<WorkoutRecord[]> {
    const rows = await this.db
      .selectFrom('workouts')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('name')
      .orderBy('workout_id')
      .execute();
    return rows.map(toRecord);
  }

  /**
   * One page of a user's workouts by name (unnamed first), then id; keyset-paged so that a page
   * boundary holds while workouts are added. The cursor is the previous page's `next_cursor`.
   */
  async page(userId: string, opts: { limit?: number; cursor?: string } = {}): Promise<Page<WorkoutRecord>> {
    const limit = Math.min(1000, Math.max(1, opts.limit ?? 100));
    const name = sql<string>`coalesce(${sql.ref('name')}, '')`;
    let q = this.db.selectFrom('workouts').selectAll().where('user_id', '=', userId);
    if (opts.cursor) {
      const [after, id] = decodeCursor(opts.cursor, ['string', 'string']);
      q = q.where((eb) => eb.or([eb(name, '>', after), eb.and([eb(name, '=', after), eb('workout_id', '>', id)])]));
    }
    const rows = await q
      .orderBy(name)
      .orderBy('workout_id')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(toRecord);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodeCursor([last.name ?? '', last.workout_id]) : null };
  }

  /** workout_id → stored updated_at and writing job (rows with a FIT): what a sync compares against Garmin's list. */
  async versions(userId: string): Promise<Map<string, { updated_at: number | null; job_id: string | null }>> {
    const rows = await this.db
      .selectFrom('workouts')
      .select(['workout_id', 'updated_at', 'job_id'])
      .where('user_id', '=', userId)
      .where('fit_sha256', 'is not', null)
      .execute();
    return new Map(rows.map((r) => [r.workout_id, { updated_at: r.updated_at, job_id: r.job_id }]));
  }

  async count(userId: string): Promise<number> {
    const r = await this.db
      .selectFrom('workouts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
