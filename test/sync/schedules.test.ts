import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, isAppError, seededRandom, silentLogger } from '../../src/core/index.js';
import { SyncStore, createAuthRepositories, openDatabase } from '../../src/store/index.js';
import { testDialects, type TestDatabase } from '../../src/store/testing/dialects.js';
import { InProcessJobEventBus, ScheduleRunner, ScheduleService } from '../../src/sync/index.js';

const MIN = 2000;

describe.each(testDialects())('schedules on $name (service, runner, repository)', ({ name, open }) => {
  let t: TestDatabase | undefined;
  const extra: { destroy(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const d of extra.splice(0)) await d.destroy();
    await t?.close();
    t = undefined;
  });

  async function setup() {
    t = await open();
    const clock = new FakeClock();
    const store = new SyncStore(t.db);
    const repos = createAuthRepositories(t.db);
    for (const u of ['u1', 'u2']) {
      await repos.users.upsert({ newId: u, username: `${u}@example.com`, displayName: u, profileId: 1 }, clock.now());
      await repos.garminAccounts.saveTokens(u, { tokensEnc: 'v1.x', kind: 'di', accessExpiresAt: null }, clock.now());
    }
    const service = new ScheduleService({ store, clock, random: seededRandom(7), logger: silentLogger, minIntervalMs: MIN });
    const runner = (random = seededRandom(9), s = store) =>
      new ScheduleRunner({ store: s, bus: new InProcessJobEventBus(), clock, random });
    return { clock, store, repos, service, runner };
  }

  it('set / show / clear: one row per type, the interval bounded by the minimum, jitter within a tenth', async () => {
    const { service, clock } = await setup();
    const err = await service.set('u1', 's1', { sync_type: 'all', every_ms: MIN - 1000 }).catch((e: unknown) => e);
    expect(isAppError(err, 'VALIDATION_FAILED')).toBe(true);
    expect((err as Error).message).toBe('The interval must be at least 2s on this service.');
    const all = await service.set('u1', 's1', { sync_type: 'all', every_ms: 60_000 });
    expect(all.map((s) => s.sync_type)).toEqual(['activities', 'health', 'workouts']);
    for (const s of all) {
      expect(s).toMatchObject({ every_ms: 60_000, paused: null, last_job_id: null, session_id: 's1' });
      expect(s.jitter_ms).toBeGreaterThanOrEqual(0);
      expect(s.jitter_ms).toBeLessThan(6000);
      expect(s.next_run_at).toBe(clock.now() + s.jitter_ms);
    }
    expect(new Set(all.map((s) => s.jitter_ms)).size).toBeGreaterThan(1); // spread, not all at once
    expect(await service.list('u2')).toEqual([]);
    const left = await service.clear('u1', 'health');
    expect(left.map((s) => s.sync_type)).toEqual(['activities', 'workouts']);
    expect(await service.clear('u1', 'all')).toEqual([]);
  });

  it('a due schedule becomes one job with trigger schedule, then waits for its next slot (no catch-up)', async () => {
    const { service, clock, store, runner } = await setup();
    const [s] = await service.set('u1', 's1', { sync_type: 'activities', every_ms: 10_000 });
    const r = runner();
    clock.advance(s!.jitter_ms);
    const [jobId] = await r.tick();
    const job = await store.jobs.get(jobId!);
    expect(job).toMatchObject({ trigger: 'schedule', sync_type: 'activities', status: 'pending', session_id: 's1', probe: null });
    expect(await r.tick()).toEqual([]); // not due again
    const [shown] = await service.list('u1');
    expect(shown).toMatchObject({ last_job_id: jobId, last_run_at: clock.now(), next_run_at: s!.next_run_at + 10_000 });
    // The job is still pending when the next slot comes: the run joins it instead of adding one.
    clock.advance(10_000);
    expect(await r.tick()).toEqual([]);
    expect((await store.jobs.list('u1')).items).toHaveLength(1);
    // Down for 35 s: one run, and the next due time is the next slot of the grid.
    await store.jobs.transition((await store.jobs.claimNext('w', clock.now(), 1000))!, 'completed', clock.now());
    clock.advance(35_000);
    expect(await r.tick()).toHaveLength(1);
    expect(await r.tick()).toEqual([]);
    expect((await service.list('u1'))[0]!.next_run_at).toBe(s!.next_run_at + 50_000);
  });

  it('schedules pause while the Garmin account is reauth_required and resume after a new login', async () => {
    const { service, clock, repos, runner } = await setup();
    const [s] = await service.set('u1', 's1', { sync_type: 'workouts', every_ms: 5000 });
    await repos.garminAccounts.markReauthRequired('u1', 'Garmin login required', clock.now());
    expect((await service.list('u1'))[0]!.paused).toBe('reauth_required');
    clock.advance(s!.jitter_ms + 60_000);
    expect(await runner().tick()).toEqual([]);
    await repos.garminAccounts.saveTokens('u1', { tokensEnc: 'v1.y', kind: 'di', accessExpiresAt: null }, clock.now());
    expect((await service.list('u1'))[0]!.paused).toBeNull();
    expect(await runner().tick()).toHaveLength(1);
  });

  it('many runners (separate connections) run each due time exactly once', async () => {
    const { service, clock, store, runner } = await setup();
    await service.set('u1', 's1', { sync_type: 'all', every_ms: 5000 });
    await service.set('u2', 's2', { sync_type: 'activities', every_ms: 5000 });
    // PostgreSQL: every runner on its own pool, as in separate processes. SQLite: the same file.
    const stores = [store];
    for (let i = 0; i < 3; i++) {
      const db = name === 'postgres' ? await openDatabase({ url: t!.url!, poolSize: 2, migrate: false }) : undefined;
      if (db) {
        extra.push(db);
        stores.push(new SyncStore(db));
      } else stores.push(store);
    }
    const runners = stores.map((s, i) => runner(seededRandom(100 + i), s));
    let created = 0;
    for (let round = 0; round < 4; round++) {
      clock.advance(5000);
      const ids = (await Promise.all(runners.map((r) => r.tick()))).flat();
      created += ids.length;
      expect(new Set(ids).size).toBe(ids.length);
      // Finish the round's jobs so the next due time makes a new job instead of joining.
      for (;;) {
        const j = await store.jobs.claimNext('w', clock.now(), 1000);
        if (!j) break;
        await store.jobs.transition(j, 'completed', clock.now());
      }
    }
    expect(created).toBe(4 * 4);
    const jobs = [...(await store.jobs.list('u1', { limit: 100 })).items, ...(await store.jobs.list('u2', { limit: 100 })).items];
    expect(jobs).toHaveLength(16);
    expect(jobs.every((j) => j.trigger === 'schedule')).toBe(true);
  });
});
