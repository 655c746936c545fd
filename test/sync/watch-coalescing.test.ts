import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, seededRandom } from '../../src/core/index.js';
import { SyncStore, type SyncJobRecord } from '../../src/store/index.js';
import { testDialects, type TestDatabase } from '../../src/store/testing/dialects.js';
import { InProcessJobEventBus, SyncService, type JobEvent } from '../../src/sync/index.js';

const USER = 'u1';
const OWNER = 'worker-1';
const INTERVAL = 250;

/** Lets the database reads and the generator's hand-offs run (the clock does not move). */
async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await new Promise<void>((r) => setImmediate(r));
}

// watch() on a real SQLite store and the in-process bus, with a FakeClock: a worker's checkpoints
// are real rows published on the bus, and the interval passes only when the test advances time.
describe('SyncService.watch coalesces progress per watcher (issue 17, row 8)', () => {
  let t: TestDatabase | undefined;
  const stops: AbortController[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0)) s.abort();
    await settle();
    await t?.close();
    t = undefined;
  });

  async function setup() {
    t = await testDialects()[0]!.open();
    const clock = new FakeClock();
    const store = new SyncStore(t.db);
    const bus = new InProcessJobEventBus();
    // The fallback re-read never fires within a test: every change here comes from the bus.
    const service = new SyncService({ store, bus, clock, random: seededRandom(3), watchPollMs: 3_600_000 });
    const { job } = await service.create(USER, 's1', { sync_type: 'activities' });
    const running = await store.jobs.claimNext(OWNER, clock.now(), 3_600_000);
    expect(running?.job_id).toBe(job.job_id);
    let row: SyncJobRecord = running!;
    /** One synced item: the checkpoint a worker writes, then its progress event. */
    const step = async (n = 1) => {
      for (let i = 0; i < n; i++) {
        row = (await store.jobs.advanceCounters(
          job.job_id,
          OWNER,
          { processed: 1, failed: 0, ...(row.total_items === null ? { total: 100 } : {}) },
          clock.now(),
        ))!;
        bus.publish({ type: 'progress', job: row });
      }
    };
    const finish = async (at = clock.now()) => {
      const done = await store.jobs.transition(row, 'completed', at);
      bus.publish({ type: 'end', job: done });
      return done;
    };
    /** A watcher that reads every event at once, noting the (fake) time it got each. */
    const follow = (minIntervalMs = INTERVAL) => {
      const stop = new AbortController();
      stops.push(stop);
      const got: { at: number; e: JobEvent }[] = [];
      const done = (async () => {
        for await (const e of service.watch(USER, job.job_id, stop.signal, { minIntervalMs })) got.push({ at: clock.now(), e });
      })();
      return { got, done, counts: () => got.map((g) => `${g.e.type}:${g.e.job.processed_items}`) };
    };
    return { clock, store, bus, service, jobId: job.job_id, step, finish, follow };
  }

  it('sends the first state at once, then at most one progress per interval, each the latest state', async () => {
    const h = await setup();
    const w = h.follow();
    await settle();
    expect(w.counts()).toEqual(['progress:0']); // the first event is immediate
    await h.step(10); // a burst inside the interval: held
    await settle();
    expect(w.counts()).toEqual(['progress:0']);
    h.clock.advance(INTERVAL);
    await settle();
    expect(w.counts()).toEqual(['progress:0', 'progress:10']); // one event, the latest of the burst
    for (let i = 0; i < 5; i++) {
      await h.step();
      h.clock.advance(40);
      await settle();
    }
    expect(w.counts()).toEqual(['progress:0', 'progress:10']); // 200 ms since the last: still held
    h.clock.advance(50);
    await settle();
    expect(w.counts()).toEqual(['progress:0', 'progress:10', 'progress:15']);
    // After a quiet interval the next change goes out at once, not an interval later.
    h.clock.advance(1000);
    await h.step();
    await settle();
    expect(w.counts().at(-1)).toBe('progress:16');
    const gaps = w.got.slice(1).map((g, i) => g.at - w.got[i]!.at);
    expect(gaps.every((g) => g >= INTERVAL)).toBe(true);
  });

  it('does not re-arm its wait for every state that arrives while one is held', async () => {
    const h = await setup();
    const sleep = h.clock.sleep.bind(h.clock);
    let armed = 0;
    h.clock.sleep = (ms, signal) => (armed++, sleep(ms, signal));
    const w = h.follow();
    await settle();
    await h.step(50); // 50 checkpoints inside one interval, as a fast backfill writes them
    await settle();
    // The fallback wait, then one wait for the held state: not one timer per checkpoint.
    expect(armed).toBeLessThanOrEqual(2);
    h.clock.advance(INTERVAL);
    await settle();
    expect(w.counts()).toEqual(['progress:0', 'progress:50']);
  });

  it('delivers end at once with the final state; a progress still held is dropped, not sent', async () => {
    const h = await setup();
    const w = h.follow();
    await settle();
    await h.step(3); // held: the interval has not passed
    await settle();
    const done = await h.finish();
    await settle(); // no time passes: end must not wait for the interval
    await w.done; // the stream ends after end
    expect(w.counts()).toEqual(['progress:0', 'end:3']);
    expect(w.got.at(-1)!.e.job).toMatchObject({ status: 'completed', processed_items: done.processed_items });
  });

  it('delivers an end whose writer clock is behind the last progress (never dropped as stale)', async () => {
    const h = await setup();
    const w = h.follow(0);
    await settle();
    h.clock.advance(5000);
    await h.step();
    await settle();
    expect(w.counts()).toEqual(['progress:0', 'progress:1']);
    await h.finish(h.clock.now() - 1000); // another process (the API's cancel) with a slower clock
    await settle();
    await w.done;
    expect(w.counts()).toEqual(['progress:0', 'progress:1', 'end:1']);
  });

  it('gives a watcher that reads slowly the latest state when it reads again, not a backlog', async () => {
    const h = await setup();
    const stop = new AbortController();
    stops.push(stop);
    const events = h.service.watch(USER, h.jobId, stop.signal, { minIntervalMs: 0 });
    expect((await events.next()).value).toMatchObject({ type: 'progress', job: { processed_items: 0 } });
    await h.step(20); // the watcher is not reading meanwhile
    await settle();
    expect((await events.next()).value).toMatchObject({ type: 'progress', job: { processed_items: 20 } });
    await h.step(1);
    await h.finish();
    expect((await events.next()).value).toMatchObject({ type: 'end', job: { processed_items: 21, status: 'completed' } });
    expect((await events.next()).done).toBe(true);
  });
});
