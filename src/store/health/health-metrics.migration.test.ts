import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { capabilitiesOf } from '../dialect.js';
import { staticMigrationProvider } from '../migrations.js';
import type { Database } from '../schema.js';
import { testDialects, type TestDatabase } from '../testing/dialects.js';
import { HealthMetricRepository } from './health-metric.repository.js';

async function migratorOf(db: Kysely<Database>): Promise<Migrator> {
  const schema = capabilitiesOf(db).namedSchemas
    ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s
    : undefined;
  return new Migrator({ db, provider: staticMigrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
}

const DAY_END = Date.UTC(2026, 10, 21, 5); // wellnessEndTimeGmt of 2026-11-20 for UTC-5
const summary = { calendarDate: '2026-11-20', totalSteps: 9000, includesWellnessData: true, wellnessEndTimeGmt: '2026-11-21T05:00:00.0' };
const noDataSummary = { calendarDate: '2026-11-19', totalSteps: null, includesWellnessData: false };

describe.each(testDialects())('migration 007_health_metrics on $name', ({ open }) => {
  let t: TestDatabase | undefined;
  afterEach(async () => t?.close());

  it('converts every health_days row into per-family rows without losing a payload, and back', async () => {
    t = await open({ migrate: false });
    const migrator = await migratorOf(t.db);
    expect((await migrator.migrateTo('003_scale')).error).toBeUndefined();
    const legacy = t.db as unknown as Kysely<{ health_days: Record<string, unknown> }>;
    const rows = [
      {
        user_id: 'u1',
        calendar_date: '2026-11-20',
        summary: JSON.stringify(summary),
        heart_rate: '{"restingHeartRate":50,"heartRateValues":[[1,50]]}',
        sleep: '{"dailySleepDTO":{"id":123,"sleepTimeSeconds":27000}}',
        stress: '{}',
        hrv: null,
        weight: '{"summaryDate":"2026-11-20","latestWeight":{"weight":71000}}',
        job_id: 'j1',
        synced_at: DAY_END + 1,
      },
      {
        user_id: 'u1',
        calendar_date: '2026-11-19',
        summary: JSON.stringify(noDataSummary),
        heart_rate: null,
        sleep: '{"dailySleepDTO":{"id":null}}',
        stress: null,
        hrv: '{"hrvSummary":{"lastNightAvg":40}}',
        weight: null,
        job_id: null,
        synced_at: Date.UTC(2026, 10, 19, 12),
      },
      // A user id that sorts between batches and a quote inside: keyset paging must still see every row.
      ...Array.from({ length: 450 }, (_, i) => ({
        user_id: `u'${i % 3}`,
        calendar_date: `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((Math.floor(i / 12) % 28) + 1).padStart(2, '0')}`,
        summary: '{"totalSteps":1}',
        heart_rate: null,
        sleep: null,
        stress: null,
        hrv: null,
        weight: null,
        job_id: 'bulk',
        synced_at: Date.UTC(2026, 0, 1),
      })),
    ];
    const unique = [...new Map(rows.map((r) => [`${r.user_id}|${r.calendar_date}`, r])).values()];
    for (let i = 0; i < unique.length; i += 100)
      await legacy
        .insertInto('health_days')
        .values(unique.slice(i, i + 100))
        .execute();

    expect((await migrator.migrateTo('007_health_metrics')).error).toBeUndefined();
    const repo = new HealthMetricRepository(t.db);
    const day = Object.fromEntries((await repo.getDay('u1', '2026-11-20')).map((r) => [r.family, r]));
    expect(Object.keys(day).sort()).toEqual(['heart_rate', 'hrv', 'sleep', 'stress', 'summary', 'weight']);
    expect(day.summary).toMatchObject({
      payload: summary,
      state: 'present',
      source: 'api',
      fetched_at: DAY_END + 1,
      complete: true,
      job_id: 'j1',
    });
    expect(day.sleep).toMatchObject({ state: 'present', payload: { dailySleepDTO: { id: 123, sleepTimeSeconds: 27000 } } });
    expect(day.stress).toMatchObject({ state: 'empty', payload: {} });
    expect(day.hrv).toMatchObject({ state: 'empty', payload: null });
    expect(day.weight).toMatchObject({ state: 'present', payload: { latestWeight: { weight: 71000 } } });
    const before = Object.fromEntries((await repo.getDay('u1', '2026-11-19')).map((r) => [r.family, r]));
    expect(before.summary).toMatchObject({ state: 'empty', complete: false });
    expect(before.sleep).toMatchObject({ state: 'empty' });
    expect(before.hrv).toMatchObject({ state: 'present', payload: { hrvSummary: { lastNightAvg: 40 } } });
    let total = 0;
    for (const u of ['u1', "u'0", "u'1", "u'2"]) total += await repo.countDays(u);
    expect(total).toBe(unique.length);

    // Down: health_days comes back with the same payload text.
    expect((await migrator.migrateTo('003_scale')).error).toBeUndefined();
    const back = await legacy.selectFrom('health_days').selectAll().where('user_id', '=', 'u1').orderBy('calendar_date').execute();
    expect(back.map((r) => [r.calendar_date, r.summary, r.hrv, r.weight])).toEqual([
      ['2026-11-19', JSON.stringify(noDataSummary), '{"hrvSummary":{"lastNightAvg":40}}', null],
      ['2026-11-20', JSON.stringify(summary), null, '{"summaryDate":"2026-11-20","latestWeight":{"weight":71000}}'],
    ]);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  });
});
