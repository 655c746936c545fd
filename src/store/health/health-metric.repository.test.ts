import { describe, expect, it } from 'vitest';
import { isAppError } from '../../core/index.js';
import { testDialects } from '../testing/dialects.js';
import { freshStoreEach } from '../testing/fresh-store.js';
import type { HealthMetricWrite } from './health-metric.repository.js';

const T0 = Date.UTC(2026, 10, 27, 12);
const present = (family: HealthMetricWrite['family'], payload: unknown, at = T0, complete = true): HealthMetricWrite => ({
  family,
  payload,
  state: 'present',
  source: 'api',
  fetched_at: at,
  complete,
});

describe.each(testDialects())('health metric repository on $name', ({ open }) => {
  const fresh = freshStoreEach(open);
  const repo = () => fresh.store.healthMetrics;

  it('stores one row per family and day, replaces a re-fetched family and leaves the others', async () => {
    await repo().upsertDay(
      'u1',
      '2026-11-26',
      [
        present('summary', { totalSteps: 1200, nested: { a: [1, 2.5, null] } }),
        { family: 'hrv', payload: null, state: 'empty', source: 'api', fetched_at: T0, complete: false },
      ],
      'j1',
    );
    await repo().upsertDay('u1', '2026-11-26', [present('hrv', { hrvSummary: { lastNightAvg: 41 } }, T0 + 5)], 'j2');
    const day = await repo().getDay('u1', '2026-11-26');
    const byFamily = Object.fromEntries(day.map((r) => [r.family, r]));
    expect(byFamily.summary).toMatchObject({
      payload: { totalSteps: 1200, nested: { a: [1, 2.5, null] } },
      state: 'present',
      source: 'api',
      fetched_at: T0,
      complete: true,
      job_id: 'j1',
    });
    expect(byFamily.hrv).toMatchObject({
      payload: { hrvSummary: { lastNightAvg: 41 } },
      state: 'present',
      fetched_at: T0 + 5,
      complete: true,
      job_id: 'j2',
    });
    expect(await repo().getDay('u1', '2026-11-26', ['hrv'])).toHaveLength(1);
    expect(await repo().getDay('u1', '2026-11-26', [])).toEqual([]);
    expect(await repo().getDay('u2', '2026-11-26')).toEqual([]);
    expect(await repo().countDays('u1')).toBe(1);
  });

  it('keeps empty and partial states exactly (coverage reads them)', async () => {
    await repo().upsertDay(
      'u1',
      '2026-11-27',
      [{ family: 'sleep', payload: { dailySleepDTO: { id: null } }, state: 'empty', source: 'archive', fetched_at: T0, complete: false }],
      null,
    );
    expect(await repo().statusRange('u1', '2026-11-01', '2026-11-30')).toEqual([
      { calendar_date: '2026-11-27', family: 'sleep', state: 'empty', source: 'archive', fetched_at: T0, complete: false, job_id: null },
    ]);
  });

  it('lists days newest first with a cursor, their families and the newest fetch time', async () => {
    for (let d = 1; d <= 5; d++) {
      const date = `2026-11-0${d}`;
      await repo().upsertDay(
        'u1',
        date,
        [present('summary', { totalSteps: d }, T0 + d), present('weight', { latestWeight: { weight: 70_000 + d } }, T0 + 10 * d)],
        d === 5 ? 'j2' : 'j1',
      );
    }
    const p1 = await repo().listDays('u1', { limit: 2 });
    expect(p1.items.map((d) => d.calendar_date)).toEqual(['2026-11-05', '2026-11-04']);
    expect(p1.items[0]!.synced_at).toBe(T0 + 50);
    expect(p1.items[0]!.metrics.map((m) => m.family)).toEqual(['summary', 'weight']);
    const p2 = await repo().listDays('u1', { limit: 2, cursor: p1.next_cursor! });
    expect(p2.items.map((d) => d.calendar_date)).toEqual(['2026-11-03', '2026-11-02']);
    const p3 = await repo().listDays('u1', { limit: 2, cursor: p2.next_cursor! });
    expect(p3.items.map((d) => d.calendar_date)).toEqual(['2026-11-01']);
    expect(p3.next_cursor).toBeNull();
    expect((await repo().listDays('u1', { from: '2026-11-02', to: '2026-11-03' })).items.map((d) => d.calendar_date)).toEqual([
      '2026-11-03',
      '2026-11-02',
    ]);
    const payloads = await repo().payloads('u1', ['2026-11-02', '2026-11-03'], ['weight']);
    expect(payloads.get('2026-11-02')?.get('weight')).toEqual({ latestWeight: { weight: 70_002 } });
    expect(payloads.get('2026-11-02')?.has('summary')).toBe(false);
    expect(await repo().storedDates('u1', '2026-11-01', '2026-11-30', 'j2')).toEqual(new Set(['2026-11-05']));
    expect((await repo().storedDates('u1', '2026-11-02', '2026-11-03')).size).toBe(2);
  });

  it('refuses hostile input and stores hostile payloads verbatim', async () => {
    const hostile = {
      "'; drop table health_metrics; --": '\u0000\u202e𝔘',
      deep: JSON.parse('['.repeat(200) + ']'.repeat(200)) as unknown,
      big: 'x'.repeat(200_000),
    };
    await repo().upsertDay("u'1", '2026-11-01', [present('summary', hostile)], null);
    expect((await repo().getDay("u'1", '2026-11-01'))[0]!.payload).toEqual(hostile);
    for (const bad of [
      'not-a-cursor',
      Buffer.from('["x"]').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('{}').toString('base64url'),
    ]) {
      await expect(repo().listDays('u1', { cursor: bad })).rejects.toSatisfy((e) => isAppError(e, 'VALIDATION_FAILED'));
    }
    await expect(repo().listDays('u1', { from: "2026' or 1=1" })).rejects.toSatisfy((e) => isAppError(e, 'VALIDATION_FAILED'));
    await expect(repo().upsertDay('u1', '../../etc', [present('summary', {})], null)).rejects.toSatisfy((e) =>
      isAppError(e, 'VALIDATION_FAILED'),
    );
    expect((await repo().listDays('u1', { limit: 1e9 })).items).toEqual([]);
    expect((await repo().listDays("u'1", { limit: -5 })).items).toHaveLength(1);
  });

  it('rejects a state or source outside the vocabulary at the database too', async () => {
    const bad = { ...present('summary', {}), state: 'maybe' } as unknown as HealthMetricWrite;
    await expect(repo().upsertDay('u1', '2026-11-01', [bad], null)).rejects.toThrow();
    const badSource = { ...present('summary', {}), source: 'guess' } as unknown as HealthMetricWrite;
    await expect(repo().upsertDay('u1', '2026-11-01', [badSource], null)).rejects.toThrow();
    expect(await repo().countDays('u1')).toBe(0);
  });
});
