import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { cryptoRandom, FakeClock, systemClock } from '../../src/core/index.js';
import { PgNotifications, SyncStore, type SyncJobRecord } from '../../src/store/index.js';
import { testDialects, type TestDatabase } from '../../src/store/testing/dialects.js';
import { ClusterJobEventBus, type JobEvent, type NotificationTransport } from '../../src/sync/index.js';
import { until as untilTruthy } from '../support/until.js';

function until<T>(fn: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  return untilTruthy('the condition', fn, { timeoutMs, everyMs: 5 });
}

/** An in-memory "database channel": every message reaches every transport, asynchronously. */
class Wire {
  sent: string[] = [];
  private readonly handlers = new Set<(p: string) => void>();
  private readonly reconnects = new Set<() => void>();
  transport(): NotificationTransport {
    return {
      send: async (p) => {
        this.sent.push(p);
        await Promise.resolve();
        for (const h of [...this.handlers]) h(p);
      },
      onMessage: (fn) => (this.handlers.add(fn), () => this.handlers.delete(fn)),
      onReconnect: (fn) => (this.reconnects.add(fn), () => this.reconnects.delete(fn)),
    };
  }
  reconnect(): void {
    for (const r of [...this.reconnects]) r();
  }
}

const job = (id: string, over: Partial<SyncJobRecord> = {}): SyncJobRecord => ({
  job_id: id,
  user_id: 'u1',
  session_id: 's1',
  sync_type: 'activities',
  status: 'running',
  progress: 0,
  total_items: 10,
  processed_items: 0,
  failed_items: 0,
  resumed_items: 0,
  start_time: 1,
  end_time: null,
  error_message: null,
  error_code: null,
  params: { from: null, to: null, full: false },
  cancel_requested: false,
  lease_owner: 'w',
  lease_expires_at: 2,
  attempts: 1,
  created_at: 1,
  updated_at: 1,
  trigger: 'manual',
  probe: null,
  ...over,
});

describe('ClusterJobEventBus (in-memory transport)', () => {
  it('serves local watchers at once and remote watchers with a fresh read; never echoes its own message', async () => {
    const wire = new Wire();
    const rows = new Map<string, SyncJobRecord>();
    const reads: string[] = [];
    const getJob = async (id: string) => (reads.push(id), rows.get(id));
    const worker = new ClusterJobEventBus({ transport: wire.transport(), getJob, random: cryptoRandom });
    const api = new ClusterJobEventBus({ transport: wire.transport(), getJob, random: cryptoRandom });
    const local: JobEvent[] = [];
    const remote: JobEvent[] = [];
    worker.subscribe('j1', (e) => local.push(e));
    const off = api.subscribe('j1', (e) => remote.push(e));

    rows.set('j1', job('j1', { processed_items: 3, updated_at: 5 }));
    worker.publish({ type: 'progress', job: job('j1', { processed_items: 3, updated_at: 5 }) });
    expect(local).toHaveLength(1); // synchronous, no read
    await until(() => remote.length === 1);
    expect(remote[0]).toMatchObject({ type: 'progress', job: { processed_items: 3 } });
    expect(JSON.parse(wire.sent[0]!)).toEqual({ o: expect.any(String), k: 'j', j: 'j1' });

    // A terminal row arrives as `end`, whatever the publisher called it.
    rows.set('j1', job('j1', { status: 'completed', processed_items: 10, updated_at: 9 }));
    worker.publish({ type: 'progress', job: rows.get('j1')! });
    await until(() => remote.length === 2);
    expect(remote[1]).toMatchObject({ type: 'end', job: { status: 'completed' } });
    expect(local).toHaveLength(2);

    // Nobody watches j2 on the API: no read there.
    const before = reads.length;
    off();
    worker.publish({ type: 'progress', job: job('j2') });
    worker.publish({ type: 'progress', job: job('j1') });
    await until(() => wire.sent.length >= 4);
    await new Promise((r) => setTimeout(r, 20));
    expect(reads.length).toBe(before);
    await Promise.all([worker.close(), api.close()]);
  });

  it('coalesces a burst of progress into at most two messages per job', async () => {
    const wire = new Wire();
    const bus = new ClusterJobEventBus({ transport: wire.transport(), getJob: async () => undefined, random: cryptoRandom });
    for (let i = 0; i < 50; i++) bus.publish({ type: 'progress', job: job('j1', { processed_items: i }) });
    await bus.close();
    expect(wire.sent.length).toBeGreaterThanOrEqual(1);
    expect(wire.sent.length).toBeLessThanOrEqual(2);
  });

  it('sends the job changes of one batch window in one message, and never holds a wake-up', async () => {
    const wire = new Wire();
    const clock = new FakeClock(0);
    const rows = new Map([
      ['j1', job('j1', { status: 'completed' })],
      ['j2', job('j2', { processed_items: 1 })],
    ]);
    const worker = new ClusterJobEventBus({
      transport: wire.transport(),
      getJob: async () => undefined,
      random: cryptoRandom,
      clock,
      batchMs: 5,
    });
    const api = new ClusterJobEventBus({ transport: wire.transport(), getJob: async (id) => rows.get(id), random: cryptoRandom });
    const seen: JobEvent[] = [];
    api.subscribe('j1', (e) => seen.push(e));
    api.subscribe('j2', (e) => seen.push(e));
    let wakes = 0;
    api.onClaimable(() => wakes++);

    // One job ends and the next starts within the window: one message for both, after the window.
    worker.publish({ type: 'end', job: job('j1', { status: 'completed' }) });
    worker.publish({ type: 'progress', job: job('j2') });
    await new Promise((r) => setTimeout(r, 20));
    expect(wire.sent).toHaveLength(0);
    clock.advance(5);
    await until(() => seen.length === 2);
    expect(wire.sent.map((p) => JSON.parse(p) as unknown)).toEqual([{ o: expect.any(String), k: 'm', j: ['j1', 'j2'] }]);
    expect(seen.map((e) => [e.type, e.job.job_id])).toEqual([
      ['end', 'j1'],
      ['progress', 'j2'],
    ]);

    // A wake-up goes at once, taking the job changes held so far with it.
    worker.publish({ type: 'progress', job: job('j2') });
    worker.notifyClaimable();
    await until(() => wakes === 1);
    expect(JSON.parse(wire.sent[1]!)).toEqual({ o: expect.any(String), k: 'm', j: ['j2'], c: 1 });
    await until(() => seen.length === 3);

    // Closing sends what is held without waiting for the window.
    worker.publish({ type: 'progress', job: job('j1') });
    await worker.close();
    expect(JSON.parse(wire.sent[2]!)).toEqual({ o: expect.any(String), k: 'j', j: 'j1' });
    await api.close();
  });

  it('wakes claimers in other processes, and after a reconnect re-reads watched jobs and wakes everyone', async () => {
    const wire = new Wire();
    const rows = new Map([['j1', job('j1', { processed_items: 7 })]]);
    const a = new ClusterJobEventBus({ transport: wire.transport(), getJob: async (id) => rows.get(id), random: cryptoRandom });
    const b = new ClusterJobEventBus({ transport: wire.transport(), getJob: async (id) => rows.get(id), random: cryptoRandom });
    let wakesA = 0;
    let wakesB = 0;
    a.onClaimable(() => wakesA++);
    b.onClaimable(() => wakesB++);
    a.notifyClaimable();
    await until(() => wakesB === 1);
    expect(wakesA).toBe(1); // locally at once, not again from the echo

    const seen: JobEvent[] = [];
    b.subscribe('j1', (e) => seen.push(e));
    wire.reconnect();
    await until(() => seen.length === 1);
    expect(seen[0]!.job.processed_items).toBe(7);
    expect(wakesB).toBe(2);
    await Promise.all([a.close(), b.close()]);
  });
});

const pg = testDialects().find((d) => d.name === 'postgres');

describe.skipIf(!pg)(`ClusterJobEventBus over PostgreSQL LISTEN/NOTIFY${pg ? '' : ' — skipped: set GARMINSYNC_TEST_PG_URL'}`, () => {
  let t: TestDatabase;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  it('carries the progress of a worker process to a watcher in another process, also across a lost connection', async () => {
    t = await pg!.open();
    closers.push(() => t.close());
    const store = new SyncStore(t.db);
    const node = async () => {
      const n = new PgNotifications({ url: t.url!, db: t.db, clock: systemClock, reconnectMinMs: 20 });
      await n.start();
      const bus = new ClusterJobEventBus({ transport: n, getJob: (id) => store.jobs.get(id), random: cryptoRandom });
      closers.push(async () => {
        await bus.close();
        await n.close();
      });
      return { n, bus };
    };
    const worker = await node();
    const api = await node();
    const { job: created } = await store.jobs.createOrGetActive(
      { job_id: 'j1', user_id: 'u1', session_id: 's1', sync_type: 'health', params: { from: null, to: null, full: false } },
      1000,
    );
    let woken = 0;
    worker.bus.onClaimable(() => woken++);
    api.bus.notifyClaimable();
    await until(() => woken === 1);

    const claimed = (await store.jobs.claimNext('w1', 2000, 60_000))!;
    const seen: JobEvent[] = [];
    api.bus.subscribe(created.job_id, (e) => seen.push(e));
    await store.jobs.updateCounters('j1', 'w1', { total_items: 4, processed_items: 1, progress: 25 }, 2001);
    worker.bus.publish({ type: 'progress', job: claimed });
    await until(() => seen.some((e) => e.job.processed_items === 1));

    // The API's listening connection dies; a change made meanwhile is picked up after the reconnect.
    const reconnected = new Promise<void>((r) => api.n.onReconnect(r));
    const pid = await api.n.listenerPid();
    await sql`select pg_terminate_backend(${pid})`.execute(t.db);
    await store.jobs.updateCounters('j1', 'w1', { processed_items: 2, progress: 50 }, 2002);
    await reconnected;
    await until(() => seen.some((e) => e.job.processed_items === 2));
    const done = await store.jobs.transition(await store.jobs.get('j1').then((j) => j!), 'completed', 2003);
    worker.bus.publish({ type: 'end', job: done });
    await until(() => seen.some((e) => e.type === 'end' && e.job.status === 'completed'));
  });
});
