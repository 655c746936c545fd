import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginNoMfa, loginWithMfa, serviceDialects, startHarness, waitFor, type Harness } from './harness.js';

type Workout = { workout_id: string; name: string | null; fit: { sha256: string; size_bytes: number } | null };

/** Issue 14 / 11.8: activities and workouts read through the data service, workouts paged with their FIT. */
describe.each(serviceDialects())('synced data routes (%s)', (dialect) => {
  let h: Harness;
  let token: string;
  let other: string;
  const WORKOUTS = 5;

  beforeAll(async () => {
    h = await startHarness({ emulator: { activities: 3, workouts: WORKOUTS, days: 2 }, dialect });
    token = (await loginNoMfa(h)).access_token;
    other = (await loginWithMfa(h)).access_token;
    for (const sync_type of ['activities', 'workouts']) {
      const r = await h.api('POST', '/sync/jobs', { token, body: { sync_type } });
      expect(r.status).toBe(202);
      await waitFor(async () =>
        (await h.api('GET', `/sync/jobs/${r.body.job.job_id}`, { token })).body.status === 'completed' ? true : undefined,
      );
    }
  }, 60_000);
  afterAll(async () => h?.close());

  it('pages workouts by name with a cursor that reaches every workout once', async () => {
    const seen: Workout[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await h.api('GET', `/workouts?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...(r.body.items as Workout[]));
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen.map((w) => w.workout_id)).size).toBe(WORKOUTS);
    const names = seen.map((w) => w.name ?? '');
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('shows one workout with Garmin’s definition and streams its FIT with the sha256 as ETag', async () => {
    const [w] = (await h.api('GET', '/workouts', { token })).body.items as Workout[];
    const show = await h.api('GET', `/workouts/${w!.workout_id}`, { token });
    expect(show.status).toBe(200);
    expect(show.body).toMatchObject({ workout_id: w!.workout_id, name: w!.name });
    expect(String((show.body.raw as { workoutId: number }).workoutId)).toBe(w!.workout_id);
    const res = await fetch(`${h.url}/api/v1/workouts/${w!.workout_id}/fit`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.ant.fit');
    expect(res.headers.get('etag')).toBe(`"${w!.fit!.sha256}"`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(w!.fit!.size_bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(w!.fit!.sha256);
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('.FIT');
  });

  it('answers problem+json for unknown ids, other users’ items, bad ids and forged cursors', async () => {
    const [w] = (await h.api('GET', '/workouts', { token })).body.items as Workout[];
    const [a] = (await h.api('GET', '/activities', { token })).body.items as { activity_id: string }[];
    for (const path of ['/workouts/999999999', '/workouts/999999999/fit', '/activities/999999999', '/activities/999999999/fit']) {
      const r = await h.api('GET', path, { token });
      expect([path, r.status, r.body.code]).toEqual([path, 404, 'NOT_FOUND']);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    // Another account's ids are as unknown as missing ones.
    for (const path of [
      `/workouts/${w!.workout_id}`,
      `/workouts/${w!.workout_id}/fit`,
      `/activities/${a!.activity_id}`,
      `/activities/${a!.activity_id}/fit`,
    ]) {
      expect((await h.api('GET', path, { token: other })).status, path).toBe(404);
    }
    expect((await h.api('GET', '/workouts', { token: other })).body).toEqual({ items: [], next_cursor: null });
    for (const path of [
      '/workouts/abc',
      '/workouts/1%2F..',
      '/workouts/123456789012345678901/fit',
      '/workouts?limit=0',
      '/workouts?limit=1001',
      '/workouts?cursor=not-ours',
      '/workouts?sport=x',
    ]) {
      const r = await h.api('GET', path, { token });
      expect([path, r.status, r.body.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
    }
    expect((await h.api('GET', '/workouts')).status).toBe(401);
  });
});
