import type { Selectable } from 'kysely';
import { decodeCursor, encodeCursor } from './json.js';
import type { Db } from './schema.js';
import type { ActivitiesTable } from './sync.tables.js';
import type { Page } from './sync-job.types.js';

/**
 * A stored activity as the rest of the service sees it: the row's columns, with Garmin's summary
 * parsed (`raw`) and the FIT's two columns as one `fit` (null until a FIT is stored).
 */
export type ActivityRecord = Omit<Selectable<ActivitiesTable>, 'raw' | 'fit_sha256' | 'fit_size' | 'source' | 'garmin_updated_at'> & {
  /** Garmin's summary document. */
  raw: unknown;
  fit: { sha256: string; size_bytes: number } | null;
};

export type ActivityUpsert = Omit<ActivityRecord, 'synced_at'> & {
  /** Garmin's last-update time of the detail (epoch ms); omitted: the stored one stays. */
  garmin_updated_at?: number | null;
};

function toRecord(r: Selectable<ActivitiesTable>): ActivityRecord {
  return {
    user_id: r.user_id,
    activity_id: r.activity_id,
    name: r.name,
    sport: r.sport,
    start_time: r.start_time,
    duration_seconds: r.duration_seconds,
    distance_meters: r.distance_meters,
    calories: r.calories,
    average_hr: r.average_hr,
    raw: JSON.parse(r.raw) as unknown,
    fit: r.fit_sha256 && r.fit_size !== null ? { sha256: r.fit_sha256, size_bytes: r.fit_size } : null,
    job_id: r.job_id,
    synced_at: r.synced_at,
  };
}

/** The summary columns of an activity row, the same whether it came from the API or an archive. */
function summaryRow(a: Omit<ActivityUpsert, 'fit'>, now: number) {
  return {
    name: a.name,
    sport: a.sport,
    start_time: a.start_time,
    duration_seconds: a.duration_seconds,
    distance_meters: a.distance_meters,
    calories: a.calories,
    average_hr: a.average_hr,
    raw: JSON.stringify(a.raw ?? null),
    job_id: a.job_id,
    synced_at: now,
  };
}

/** Synced activities, keyed by (user, Garmin activity id). */
export class ActivityRepository {
  constructor(private readonly db: Db) {}

  /** Inserts or replaces an activity by its Garmin id (a re-run never duplicates). */
  async upsert(a: ActivityUpsert, now: number): Promise<void> {
    const row = {
      ...summaryRow(a, now),
      fit_sha256: a.fit?.sha256 ?? null,
      fit_size: a.fit?.size_bytes ?? null,
      source: 'api',
      ...(a.garmin_updated_at !== undefined ? { garmin_updated_at: a.garmin_updated_at } : {}),
    };
    await this.db
      .insertInto('activities')
      .values({ user_id: a.user_id, activity_id: a.activity_id, ...row })
      .onConflict((oc) => oc.columns(['user_id', 'activity_id']).doUpdateSet(row))
      .execute();
  }

  /**
   * Stores an activity's summary from an account-export archive (issue 16): inserted when new,
   * refreshed only over an earlier archive copy — never over the API's (the API's wins). The FIT
   * is attached separately ({@link attachFit}) once the archive's FIT files are matched.
   */
  async upsertFromArchive(a: Omit<ActivityUpsert, 'fit'>, now: number): Promise<void> {
    const row = summaryRow(a, now);
    await this.db
      .insertInto('activities')
      .values({ user_id: a.user_id, activity_id: a.activity_id, ...row, fit_sha256: null, fit_size: null, source: 'archive' })
      .onConflict((oc) => oc.columns(['user_id', 'activity_id']).doUpdateSet(row).where('activities.source', '=', 'archive'))
      .execute();
  }

  /** Attaches a FIT to an activity that has none (an archive FIT never replaces a stored one); true when attached. */
  async attachFit(userId: string, activityId: string, fit: { sha256: string; size_bytes: number }, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('activities')
      .set({ fit_sha256: fit.sha256, fit_size: fit.size_bytes, synced_at: now })
      .where('user_id', '=', userId)
      .where('activity_id', '=', activityId)
      .where('fit_sha256', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Where each of these stored activities' summary came from ('api' | 'archive'), and whether it has its FIT. */
  async sources(
    userId: string,
    activityIds: readonly string[],
  ): Promise<Map<string, { source: string; fit: { sha256: string; size_bytes: number } | null }>> {
    const out = new Map<string, { source: string; fit: { sha256: string; size_bytes: number } | null }>();
    for (let i = 0; i < activityIds.length; i += 500) {
      const rows = await this.db
        .selectFrom('activities')
        .select(['activity_id', 'source', 'fit_sha256', 'fit_size'])
        .where('user_id', '=', userId)
        .where('activity_id', 'in', activityIds.slice(i, i + 500))
        .execute();
      for (const r of rows)
        out.set(r.activity_id, {
          source: r.source,
          fit: r.fit_sha256 && r.fit_size !== null ? { sha256: r.fit_sha256, size_bytes: Number(r.fit_size) } : null,
        });
    }
    return out;
  }

  async get(userId: string, activityId: string): Promise<ActivityRecord | undefined> {
    const r = await this.db
      .selectFrom('activities')
      .selectAll()
      .where('user_id', '=', userId)
      .where('activity_id', '=', activityId)
      .executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  /** Which of these Garmin ids are stored with their FIT (an incremental sync does not fetch them again). */
  async storedIds(userId: string, activityIds: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < activityIds.length; i += 500) {
      const chunk = activityIds.slice(i, i + 500);
      const rows = await this.db
        .selectFrom('activities')
        .select('activity_id')
        .where('user_id', '=', userId)
        .where('activity_id', 'in', chunk)
        .where('fit_sha256', 'is not', null)
        .execute();
      for (const r of rows) out.add(r.activity_id);
    }
    return out;
  }

  /**
   * The user's stored activities that started at or after `since` (epoch ms) with their FIT,
   * Garmin's last-update time as last seen (null: never checked) and the stored list summary (its
   * JSON text, as written): those a run checks for edits.
   */
  async recent(
    userId: string,
    since: number,
  ): Promise<{ activity_id: string; garmin_updated_at: number | null; fit: { sha256: string; size_bytes: number } | null; raw: string }[]> {
    const rows = await this.db
      .selectFrom('activities')
      .select(['activity_id', 'garmin_updated_at', 'fit_sha256', 'fit_size', 'raw'])
      .where('user_id', '=', userId)
      .where('start_time', '>=', since)
      .orderBy('start_time', 'desc')
      .limit(1000)
      .execute();
    return rows.map((r) => ({
      activity_id: r.activity_id,
      garmin_updated_at: r.garmin_updated_at === null ? null : Number(r.garmin_updated_at),
      fit: r.fit_sha256 && r.fit_size !== null ? { sha256: r.fit_sha256, size_bytes: Number(r.fit_size) } : null,
      raw: r.raw,
    }));
  }

  async count(userId: string): Promise<number> {
    const r = await this.db
      .selectFrom('activities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** The sports of a user's activities with how many of each, most frequent first (then by name). */
  async sports(userId: string): Promise<{ sport: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('activities')
      .select((eb) => ['sport', eb.fn.countAll<number>().as('n')])
      .where('user_id', '=', userId)
      .groupBy('sport')
      .orderBy('n', 'desc')
      .orderBy('sport')
      .execute();
    return rows.map((r) => ({ sport: r.sport, count: Number(r.n) }));
  }

  /** Newest first by start time, keyset-paged. Optional time window [from, to) in epoch ms. */
  async list(
    userId: string,
    opts: { limit?: number; cursor?: string; from?: number; to?: number; sport?: string } = {},
  ): Promise<Page<ActivityRecord>> {
    const limit = Math.min(1000, Math.max(1, opts.limit ?? 20));
    let q = this.db.selectFrom('activities').selectAll().where('user_id', '=', userId);
    if (opts.from !== undefined) q = q.where('start_time', '>=', opts.from);
    if (opts.to !== undefined) q = q.where('start_time', '<', opts.to);
    if (opts.sport) q = q.where('sport', '=', opts.sport);
    if (opts.cursor) {
      const [at, id] = decodeCursor(opts.cursor, ['integer', 'string']);
      q = q.where((eb) => eb.or([eb('start_time', '<', at), eb.and([eb('start_time', '=', at), eb('activity_id', '<', id)])]));
    }
    const rows = await q
      .orderBy('start_time', 'desc')
      .orderBy('activity_id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(toRecord);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodeCursor([last.start_time, last.activity_id]) : null };
  }
}
