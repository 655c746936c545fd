import { describe, expect, it } from 'vitest';
import { connectHarness, IDENTITY } from './testing/fake-request.js';

type Json = Record<string, unknown>;

describe('Connect routes', () => {
  const h = connectHarness();

  it('serves the profile and settings of the token owner', async () => {
    const p = (await h.get('/userprofile-service/socialProfile')).json() as Json;
    expect(p.displayName).toBe(IDENTITY.displayName);
    expect(p.profileId).toBe(IDENTITY.profileId);
    const s = await h.get('/userprofile-service/userprofile/user-settings');
    expect(s.status).toBe(200);
    expect(s.headers?.['content-type']).toBe('application/json;charset=UTF-8');
    expect(((s.json() as Json).userData as Json).measurementSystem).toBe('metric');
  });

  it('lists activities as a JSON array, newest first, with start/limit paging', async () => {
    const all = (await h.get('/activitylist-service/activities/search/activities?start=0&limit=1000')).json() as Json[];
    expect(Array.isArray(all)).toBe(true);
    expect(all).toHaveLength(150);
    const page = (await h.get('/activitylist-service/activities/search/activities?start=20&limit=5')).json() as Json[];
    expect(page.map((a) => a.activityId)).toEqual(all.slice(20, 25).map((a) => a.activityId));
    const beyond = (await h.get('/activitylist-service/activities/search/activities?start=150&limit=5')).json();
    expect(beyond).toEqual([]);
    const dflt = (await h.get('/activitylist-service/activities/search/activities')).json() as Json[];
    expect(dflt).toHaveLength(20);
    const count = (await h.get('/activitylist-service/activities/count')).json() as Json;
    expect(count.totalCount).toBe(150);
  });

  it('filters by startDate/endDate/activityType and sorts asc', async () => {
    const res = (
      await h.get(
        '/activitylist-service/activities/search/activities?startDate=2026-11-01&endDate=2026-11-27&sortOrder=asc&start=0&limit=100',
      )
    ).json() as Json[];
    expect(res.length).toBeGreaterThan(0);
    expect(res.every((a) => String(a.startTimeLocal) >= '2026-11-01' && String(a.startTimeLocal) < '2026-11-28')).toBe(true);
    expect(res[0]!.beginTimestamp as number).toBeLessThan(res[res.length - 1]!.beginTimestamp as number);
    const rides = (await h.get('/activitylist-service/activities/search/activities?activityType=cycling&limit=1000')).json() as Json[];
    expect(rides.length).toBeGreaterThan(0);
    expect(rides.every((a) => ['cycling', 'mountain_biking', 'indoor_cycling'].includes((a.activityType as Json).typeKey as string))).toBe(
      true,
    );
  });

  it.each([
    ['limit=1001', 400],
    ['limit=-1', 400],
    ['start=abc', 400],
    ['startDate=2026-13-01', 400],
    ['endDate=yesterday', 400],
    ['sortOrder=sideways', 400],
  ])('answers %s with %i', async (query, status) => {
    const res = await h.get(`/activitylist-service/activities/search/activities?${query}`);
    expect(res.status).toBe(status);
    expect((res.json() as Json).error).toBe('BadRequestException');
  });

  it('serves the activity detail and 404 for unknown ids', async () => {
    const [first] = (await h.get('/activitylist-service/activities/search/activities?limit=1')).json() as Json[];
    const detail = (await h.get(`/activity-service/activity/${String(first!.activityId)}`)).json() as Json;
    expect(detail.activityId).toBe(first!.activityId);
    expect(detail.activityName).toBe(first!.activityName);
    const missing = await h.get('/activity-service/activity/123');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ message: 'HTTP 404 Not Found', error: 'NotFoundException' });
    expect((await h.get('/activity-service/activity/not-a-number')).status).toBe(400);
  });

  it('downloads the original FIT as a ZIP with Garmin headers', async () => {
    const id = h.data.activityIds()[0]!;
    const res = await h.get(`/download-service/files/activity/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers?.['content-type']).toBe('application/x-zip-compressed');
    expect(res.headers?.['content-disposition']).toBe(`attachment; filename="${id}.zip"`);
    expect(Buffer.isBuffer(res.body)).toBe(true);
    expect((res.body as Buffer).readUInt32LE(0)).toBe(0x04034b50);
    expect((await h.get('/download-service/files/activity/42')).status).toBe(404);
  });

  it('answers HRV with 204 on nights without data and 200 otherwise', async () => {
    const statuses = new Set<number>();
    for (let d = 1; d <= 27; d++) {
      const res = await h.get(`/hrv-service/hrv/2026-11-${String(d).padStart(2, '0')}`);
      statuses.add(res.status);
      if (res.status === 204) expect(res.body).toBeUndefined();
    }
    expect([...statuses].sort()).toEqual([200, 204]);
    expect((await h.get('/hrv-service/hrv/2010-01-01')).status).toBe(204);
    expect((await h.get('/hrv-service/hrv/2026-02-30')).status).toBe(400);
  });

  it('answers the no-data shapes outside the data', async () => {
    const stress = await h.get('/wellness-service/wellness/dailyStress/2020-01-01');
    expect(stress.status).toBe(200);
    expect(stress.body).toBe('null');
    const sleep = (await h.get('/sleep-service/sleep/dailySleepData?date=2030-01-01')).json() as Json;
    expect((sleep.dailySleepDTO as Json).id).toBeNull();
    const weight = (await h.get('/weight-service/weight/dayview/2020-01-01')).json() as Json;
    expect(weight.dateWeightList).toEqual([]);
  });

  it('requires dates and the own display name', async () => {
    expect((await h.get('/usersummary-service/usersummary/daily/')).status).toBe(400);
    expect((await h.get('/usersummary-service/usersummary/daily/?calendarDate=2026-11-20')).status).toBe(200);
    expect((await h.get(`/usersummary-service/usersummary/daily/${IDENTITY.displayName}?calendarDate=2026-11-20`)).status).toBe(200);
    expect((await h.get('/usersummary-service/usersummary/daily/someone_else?calendarDate=2026-11-20')).status).toBe(403);
    expect((await h.get('/wellness-service/wellness/dailyHeartRate/?date=20261120')).status).toBe(400);
    expect(
      (await h.get(`/wellness-service/wellness/dailySleepData/${IDENTITY.displayName}?date=2026-11-20&nonSleepBufferMinutes=60`)).status,
    ).toBe(200);
    expect((await h.get('/weight-service/weight/range/2026-11-01/nope?includeAll=true')).status).toBe(400);
  });

  it('lists workouts, serves one and its raw FIT', async () => {
    const list = (await h.get('/workout-service/workouts?start=0&limit=100')).json() as Json[];
    expect(list).toHaveLength(8);
    expect((await h.get('/workout-service/workouts?start=2&limit=3')).json()).toEqual(list.slice(2, 5));
    const id = list[0]!.workoutId as number;
    const w = (await h.get(`/workout-service/workout/${id}`)).json() as Json;
    expect(w.workoutId).toBe(id);
    expect((w.workoutSegments as Json[])[0]!.workoutSteps).toBeInstanceOf(Array);
    const fit = await h.get(`/workout-service/workout/FIT/${id}`);
    expect(fit.status).toBe(200);
    expect((fit.body as Buffer).subarray(8, 12).toString()).toBe('.FIT');
    expect((await h.get('/workout-service/workout/1')).status).toBe(404);
    expect((await h.get('/workout-service/workout/FIT/1')).status).toBe(404);
  });

  it('answers 401 when the token belongs to no known account', async () => {
    const { Router } = await import('../http/router.js');
    const { createConnectRoutes } = await import('./index.js');
    const m = new Router(createConnectRoutes(() => undefined)).match('GET', '/userprofile-service/socialProfile', 'connectapi');
    const res = await m!.route.handler(
      {
        method: 'GET',
        path: '/',
        query: new URLSearchParams(),
        rawQuery: '',
        headers: {},
        body: Buffer.alloc(0),
        host: 'connectapi',
        baseUrl: '',
        params: {},
        cookies: {},
      },
      { accountId: 'x' },
    );
    expect(res.status).toBe(401);
  });
});
