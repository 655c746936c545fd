import { sql, type Kysely } from 'kysely';
import { healthDayEndMs, isEmptyHealthPayload, type HealthMetric } from '../../core/index.js';

/**
 * Migration "007_health_metrics": per-family health storage. One row per (user, calendarDate,
 * family) with Garmin's payload, its state (present | empty), source (api | archive), when it
 * was fetched, whether the day had ended by then (complete) and the job that wrote it — what
 * coverage and archive import build on. The six families of the old `health_days` table are
 * converted row by row (payload text unchanged), then that table is dropped.
 */
const LEGACY_FAMILIES = ['summary', 'heart_rate', 'sleep', 'stress', 'hrv', 'weight'] as const satisfies readonly HealthMetric[];
const BATCH = 200;

interface LegacyRow {
  user_id: string;
  calendar_date: string;
  summary: string | null;
  heart_rate: string | null;
  sleep: string | null;
  stress: string | null;
  hrv: string | null;
  weight: string | null;
  job_id: string | null;
  synced_at: number | string;
}

const parse = (t: string | null): unknown => {
  if (t === null) return null;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('health_metrics')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('calendar_date', 'text', (c) => c.notNull())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('payload', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'bigint', (c) => c.notNull())
    .addColumn('complete', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('job_id', 'text')
    .addPrimaryKeyConstraint('health_metrics_pk', ['user_id', 'calendar_date', 'family'])
    .addCheckConstraint('health_metrics_state', sql`state in ('present', 'empty')`)
    .addCheckConstraint('health_metrics_source', sql`source in ('api', 'archive')`)
    .execute();
  // A resumed job asks which days it already wrote.
  await db.schema.createIndex('health_metrics_job').on('health_metrics').columns(['job_id', 'calendar_date']).execute();

  const legacy = db as unknown as Kysely<{ health_days: LegacyRow; health_metrics: Record<string, unknown> }>;
  let after: [string, string] | undefined;
  for (;;) {
    let q = legacy.selectFrom('health_days').selectAll();
    if (after) {
      const [u, d] = after;
      q = q.where((eb) => eb.or([eb('user_id', '>', u), eb.and([eb('user_id', '=', u), eb('calendar_date', '>', d)])]));
    }
    const rows = await q.orderBy('user_id').orderBy('calendar_date').limit(BATCH).execute();
    if (rows.length === 0) break;
    const values = rows.flatMap((r) => {
      const fetchedAt = Number(r.synced_at);
      const complete = fetchedAt >= healthDayEndMs(r.calendar_date, parse(r.summary)) ? 1 : 0;
      return LEGACY_FAMILIES.map((family) => {
        const payload = r[family];
        const parsed = parse(payload);
        return {
          user_id: r.user_id,
          calendar_date: r.calendar_date,
          family,
          payload,
          state: payload === null || (parsed !== undefined && isEmptyHealthPayload(family, parsed)) ? 'empty' : 'present',
          source: 'api',
          fetched_at: fetchedAt,
          complete,
          job_id: r.job_id,
        };
      });
    });
    await legacy.insertInto('health_metrics').values(values).execute();
    const last = rows[rows.length - 1]!;
    after = [last.user_id, last.calendar_date];
  }
  await db.schema.dropTable('health_days').execute();
}

/** Back to `health_days`: the six legacy families return; the newer families are dropped. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('health_days')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('calendar_date', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('heart_rate', 'text')
    .addColumn('sleep', 'text')
    .addColumn('stress', 'text')
    .addColumn('hrv', 'text')
    .addColumn('weight', 'text')
    .addColumn('job_id', 'text')
    .addColumn('synced_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('health_days_pk', ['user_id', 'calendar_date'])
    .execute();
  const kdb = db as unknown as Kysely<{
    health_days: Record<string, unknown>;
    health_metrics: {
      user_id: string;
      calendar_date: string;
      family: string;
      payload: string | null;
      fetched_at: number;
      job_id: string | null;
    };
  }>;
  const rows = await kdb
    .selectFrom('health_metrics')
    .selectAll()
    .where('family', 'in', [...LEGACY_FAMILIES])
    .orderBy('user_id')
    .orderBy('calendar_date')
    .execute();
  const days = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const key = `${r.user_id}\u0000${r.calendar_date}`;
    const day = days.get(key) ?? { user_id: r.user_id, calendar_date: r.calendar_date, job_id: r.job_id, synced_at: Number(r.fetched_at) };
    day[r.family] = r.payload;
    day.synced_at = Math.max(Number(day.synced_at), Number(r.fetched_at));
    days.set(key, day);
  }
  const all = [...days.values()];
  for (let i = 0; i < all.length; i += BATCH)
    await kdb
      .insertInto('health_days')
      .values(all.slice(i, i + BATCH))
      .execute();
  await db.schema.dropTable('health_metrics').execute();
}
