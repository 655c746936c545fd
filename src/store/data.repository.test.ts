import { describe, expect, it } from 'vitest';
import { openDatabase, resolveLocation } from './index.js';
import { testDialects } from './testing/dialects.js';
import { freshStoreEach } from './testing/fresh-store.js';

const T0 = Date.UTC(2026, 10, 27, 12);

describe.each(testDialects())('synced data repositories on $name', ({ open }) => {
  const fresh = freshStoreEach(open);

  const activity = (id: number, start: number) => ({
    user_id: 'u1',
    activity_id: String(id),
    name: `Run ${id}`,
    sport: 'running',
    start_time: start,
    duration_seconds: 1800.5,
    distance_meters: 5000.25,
    calories: 400,
    average_hr: 150,
    raw: { activityId: id, nested: { a: [1, 2] } },
    fit: { sha256: 'a'.repeat(64), size_bytes: 1234 },
    job_id: 'j1',
  });

  it('upserts activities by Garmin id without duplicates and pages newest first', async () => {
    for (let i = 1; i <= 5; i++) await fresh.store.activities.upsert(activity(1000 + i, T0 + i * 1000), T0);
    await fresh.store.activities.upsert({ ...activity(1003, T0 + 3000), name: 'renamed' }, T0 + 9);
    expect(await fresh.store.activities.count('u1')).toBe(5);
    const got = await fresh.store.activities.get('u1', '1003');
    expect(got).toMatchObject({
      name: 'renamed',
      start_time: T0 + 3000,
      duration_seconds: 1800.5,
      fit: { sha256: 'a'.repeat(64), size_bytes: 1234 },
      synced_at: T0 + 9,
    });
    expect(got?.raw).toEqual({ activityId: 1003, nested: { a: [1, 2] } });
    expect(await fresh.store.activities.get('u2', '1003')).toBeUndefined();
    const p1 = await fresh.store.activities.list('u1', { limit: 2 });
    expect(p1.items.map((a) => a.activity_id)).toEqual(['1005', '1004']);
    const p2 = await fresh.store.activities.list('u1', { limit: 10, cursor: p1.next_cursor! });
    expect(p2.items.map((a) => a.activity_id)).toEqual(['1003', '1002', '1001']);
    expect(p2.next_cursor).toBeNull();
    expect(await fresh.store.activities.storedIds('u1', ['1001', '1002', '9'])).toEqual(new Set(['1001', '1002']));
    // The sports, most frequent first, then by name; another user's never (issue 18.3).
    await fresh.store.activities.upsert({ ...activity(2001, T0), sport: 'cycling' }, T0);
    await fresh.store.activities.upsert({ ...activity(2002, T0), sport: 'cycling' }, T0);
    await fresh.store.activities.upsert({ ...activity(2003, T0), sport: 'lap_swimming' }, T0);
    await fresh.store.activities.upsert({ ...activity(2004, T0), sport: 'hiking' }, T0);
    await fresh.store.activities.upsert({ ...activity(2005, T0), user_id: 'u2', sport: 'yoga' }, T0);
    expect(await fresh.store.activities.sports('u1')).toEqual([
      { sport: 'running', count: 5 },
      { sport: 'cycling', count: 2 },
      { sport: 'hiking', count: 1 },
      { sport: 'lap_swimming', count: 1 },
    ]);
    expect(await fresh.store.activities.sports('nobody')).toEqual([]);
  });

  it('rolls back an item and its checkpoint together', async () => {
    await fresh.store
      .transaction(async (tx) => {
        await tx.activities.upsert(activity(1, T0), T0);
        throw new Error('checkpoint failed');
      })
      .catch(() => {});
    expect(await fresh.store.activities.count('u1')).toBe(0);
    await fresh.store.transaction(async (tx) => tx.activities.upsert(activity(1, T0), T0));
    expect(await fresh.store.activities.count('u1')).toBe(1);
  });

  it('upserts workouts and reports their stored versions', async () => {
    const w = {
      user_id: 'u1',
      workout_id: '7',
      name: 'Intervals',
      sport: 'running',
      updated_at: T0,
      raw: { workoutId: 7 },
      fit: { sha256: 'b'.repeat(64), size_bytes: 99 },
      job_id: 'j',
    };
    await fresh.store.workouts.upsert(w, T0);
    await fresh.store.workouts.upsert({ ...w, updated_at: T0 + 5 }, T0 + 5);
    await fresh.store.workouts.upsert({ ...w, workout_id: '8', fit: null }, T0);
    expect(await fresh.store.workouts.count('u1')).toBe(2);
    expect(await fresh.store.workouts.versions('u1')).toEqual(new Map([['7', { updated_at: T0 + 5, job_id: 'j' }]]));
    expect((await fresh.store.workouts.list('u1')).map((x) => x.workout_id)).toEqual(['7', '8']);
  });

  it('pages workouts by name then id, unnamed first, and refuses a forged cursor', async () => {
    const w = (id: string, name: string | null) => ({
      user_id: 'u1',
      workout_id: id,
      name,
      sport: 'running',
      updated_at: T0,
      raw: {},
      fit: null,
      job_id: 'j',
    });
    for (const [id, name] of [
      ['11', 'b tempo'],
      ['12', 'a easy'],
      ['13', null],
      ['14', 'b tempo'],
      ['15', 'c long'],
    ] as const)
      await fresh.store.workouts.upsert(w(id, name), T0);
    await fresh.store.workouts.upsert({ ...w('99', 'a easy'), user_id: 'u2' }, T0);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const p = await fresh.store.workouts.page('u1', { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...p.items.map((x) => x.workout_id));
      if (!p.next_cursor) break;
      cursor = p.next_cursor;
    }
    expect(seen).toEqual(['13', '12', '11', '14', '15']);
    await expect(fresh.store.workouts.page('u1', { cursor: 'bm90LWpzb24' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      fresh.store.workouts.page('u1', { cursor: Buffer.from(JSON.stringify([1, "x' OR 1=1"])).toString('base64url') }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('stores and replaces watermarks per user and type', async () => {
    expect(await fresh.store.watermarks.get('u1', 'activities')).toBeUndefined();
    await fresh.store.watermarks.set('u1', 'activities', { start: 1, id: '9' }, T0);
    await fresh.store.watermarks.set('u1', 'activities', { start: 2, id: '10' }, T0);
    expect(await fresh.store.watermarks.get('u1', 'activities')).toEqual({ start: 2, id: '10' });
    expect(await fresh.store.watermarks.get('u2', 'activities')).toBeUndefined();
  });
});

describe('database locations', () => {
  it('selects the dialect from the URL and names the setting when it cannot', async () => {
    expect(resolveLocation({ url: 'postgres://u:p@h/db' })).toEqual({ dialect: 'postgres', target: 'postgres://u:p@h/db' });
    expect(resolveLocation({ url: 'sqlite:///tmp/x.db' })).toEqual({ dialect: 'sqlite', target: '/tmp/x.db' });
    expect(resolveLocation({ url: '/tmp/y.db' })).toEqual({ dialect: 'sqlite', target: '/tmp/y.db' });
    expect(() => resolveLocation({ url: 'mysql://x' })).toThrow(/database/);
    const db = await openDatabase({ url: 'sqlite::memory:' });
    expect(await db.selectFrom('sync_jobs').selectAll().execute()).toEqual([]);
    await db.destroy();
  });
});
