import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, FakeClock, cryptoRandom, silentLogger } from '../../src/core/index.js';
import { FileBlobStore, SyncStore } from '../../src/store/index.js';
import { testDialects, type TestDatabase } from '../../src/store/testing/dialects.js';
import {
  AccountLimiters,
  InProcessJobEventBus,
  SYNCERS,
  SyncService,
  WorkerPool,
  defineSyncer,
  type GarminGateway,
  type Syncer,
  type WorkerPoolOptions,
} from '../../src/sync/index.js';
import { until } from '../support/until.js';

const USER = 'u1';

/**
 * A syncer whose items do not come from Garmin (like the archive import of issue 16: entries of a
 * stream, page by page), written against the port only. It logs what the engine asks of it.
 */
function streamSyncer(pages: string[][], o: { current?: string[]; failing?: string[]; expectedTotal?: number; hold?: Set<string> } = {}) {
  const log: string[] = [];
  const held = new Map<string, () => void>();
  const syncer: Syncer = defineSyncer({
    type: 'workouts',
    async open(ctx) {
      return {
        ...(o.expectedTotal !== undefined ? { expectedTotal: o.expectedTotal } : {}),
        async *pages() {
          for (const [i, page] of pages.entries()) {
            log.push(`list:${i + 1}`);
            yield page.map((key) => ({ key }));
          }
        },
        async alreadyCurrent(items: readonly { key: string }[]) {
          return new Set(items.map((i) => i.key).filter((k) => o.current?.includes(k)));
        },
        async fetch(item: { key: string }, signal: AbortSignal) {
          log.push(`fetch:${item.key}`);
          if (o.hold?.delete(item.key)) {
            await new Promise<void>((resolve, reject) => {
              held.set(item.key, resolve);
              signal.addEventListener('abort', () => reject(signal.reason), { once: true });
            });
          }
          if (o.failing?.includes(item.key)) throw new AppError('FIT_INVALID', `entry ${item.key} is damaged`);
          return ctx.putBlob(Buffer.from(`bytes of ${item.key}`));
        },
        async write(tx, item, ref) {
          await tx.workouts.upsert(
            {
              user_id: USER,
              workout_id: item.key,
              name: null,
              sport: null,
              updated_at: null,
              raw: {},
              fit: { sha256: ref.sha256, size_bytes: ref.size },
              job_id: ctx.job.job_id,
            },
            ctx.now(),
          );
          log.push(`write:${item.key}`);
        },
      };
    },
  });
  return { syncer, log, release: (key: string) => held.get(key)?.() };
}

describe.each(testDialects())('the syncer port: one engine for every syncer ($name)', (dialect) => {
  let t: TestDatabase;
  let store: SyncStore;
  let blobs: FileBlobStore;
  let bus: InProcessJobEventBus;
  let clock: FakeClock;
  let service: SyncService;
  let garminAsked = 0;
  const pools: WorkerPool[] = [];
  const noGarmin: GarminGateway = {
    forUser: async () => {
      garminAsked++;
      throw new Error('this syncer must not need Garmin');
    },
  };
  const pool = (syncer: Syncer, over: Partial<WorkerPoolOptions> = {}) => {
    const p = new WorkerPool({
      store,
      blobs,
      gateway: noGarmin,
      limiters: new AccountLimiters({ clock }),
      bus,
      clock,
      random: cryptoRandom,
      logger: silentLogger,
      syncers: [...SYNCERS.filter((s) => s.type !== syncer.type), syncer],
      ...over,
    });
    pools.push(p);
    p.start();
    return p;
  };
  const settled = (jobId: string) =>
    until(`job ${jobId} to end`, async () => {
      const j = await store.jobs.get(jobId);
      return j && ['completed', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
    });

  beforeEach(async () => {
    t = await dialect.open();
    store = new SyncStore(t.db);
    blobs = new FileBlobStore(join(t.dir, 'blobs'));
    await blobs.init(0);
    bus = new InProcessJobEventBus();
    clock = new FakeClock();
    service = new SyncService({ store, bus, clock, random: cryptoRandom });
    garminAsked = 0;
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.stop()));
    await t.close();
  });

  it('works items page by page with exact counters: duplicates once, current items out of scope, a failed item recorded and skipped', async () => {
    const pages = [
      ['a1', 'a2', 'a3', 'a4', 'a5'],
      ['a5', 'b1', 'b2', 'b3', 'b4'],
      ['c1', 'c2', 'c3'],
    ];
    const s = streamSyncer(pages, { current: ['b2'], failing: ['a3'] });
    const { job } = await service.create(USER, 's', { sync_type: 'workouts' });
    pool(s.syncer, { itemConcurrency: 2 });
    const done = await settled(job.job_id);
    // 13 listed, a5 twice: 12 items; b2 is current: 11 in scope, all handled, a3 failed.
    expect(done).toMatchObject({
      status: 'completed',
      total_items: 11,
      processed_items: 11,
      failed_items: 1,
      resumed_items: 0,
      progress: 100,
      error_code: null,
    });
    expect((await store.workouts.list(USER)).map((w) => w.workout_id).sort()).toEqual([
      'a1',
      'a2',
      'a4',
      'a5',
      'b1',
      'b3',
      'b4',
      'c1',
      'c2',
      'c3',
    ]);
    expect(s.log.filter((l) => l === 'fetch:a5')).toHaveLength(1);
    expect(s.log).not.toContain('fetch:b2');
    expect(await store.failures.listForJob(job.job_id)).toMatchObject([
      { item_key: 'a3', error_code: 'FIT_INVALID', error_message: 'entry a3 is damaged' },
    ]);
    // Page by page: the third page is listed only after every item of the first was worked
    // (the engine lists at most one page ahead), never all pages before the first download.
    const third = s.log.indexOf('list:3');
    for (const key of ['a1', 'a2', 'a4', 'a5']) expect(s.log.indexOf(`write:${key}`)).toBeLessThan(third);
    expect(s.log.indexOf('fetch:a1')).toBeLessThan(third);
    // Items not from Garmin: the engine never asked for a Garmin client.
    expect(garminAsked).toBe(0);
    // The job's checkpoints went with it.
    expect((await store.jobItems.doneAmong(job.job_id, ['a1', 'c3'])).size).toBe(0);
  });

  it('sync retry --failed: a new job works only the items that failed in the old one, over its range (issue 18.4)', async () => {
    const failing = ['k2', 'k5'];
    const s = streamSyncer(
      [
        ['k1', 'k2', 'k3'],
        ['k4', 'k5', 'k6'],
      ],
      { failing },
    );
    const { job } = await service.create(USER, 's', { sync_type: 'workouts' });
    pool(s.syncer, { itemConcurrency: 1 });
    expect(await settled(job.job_id)).toMatchObject({ status: 'completed', processed_items: 6, failed_items: 2 });
    // Refused: another type, a range given as well, an unknown job, and later a job without failures.
    await expect(service.create(USER, 's', { sync_type: 'health', retry_failed_of: job.job_id })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      service.create(USER, 's', { sync_type: 'workouts', from: '2026-01-01', retry_failed_of: job.job_id }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(service.create(USER, 's', { sync_type: 'workouts', retry_failed_of: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    failing.splice(0); // the items are fine now
    const before = s.log.length;
    const { job: retry } = await service.create(USER, 's', { sync_type: 'workouts', retry_failed_of: job.job_id });
    expect(retry.params).toMatchObject({ retry_failed_of: job.job_id, from: null, to: null, full: false });
    const done = await settled(retry.job_id);
    expect(done).toMatchObject({ status: 'completed', total_items: 2, processed_items: 2, failed_items: 0, resumed_items: 0 });
    expect(s.log.slice(before).filter((l) => l.startsWith('fetch:'))).toEqual(['fetch:k2', 'fetch:k5']);
    await expect(service.create(USER, 's', { sync_type: 'workouts', retry_failed_of: retry.job_id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Job ${retry.job_id} has no failed items to retry.`,
    });
  });

  it("a crashed worker's job resumes once its lease expires (fake clock): written items are not fetched again", async () => {
    const s = streamSyncer([['k1', 'k2', 'k3', 'k4', 'k5', 'k6']], { hold: new Set(['k4']) });
    const { job } = await service.create(USER, 's', { sync_type: 'workouts' });
    const first = pool(s.syncer, { itemConcurrency: 1, leaseMs: 30_000 });
    await until('k4 to be in flight', () => s.log.includes('fetch:k4'));
    expect(await store.jobs.get(job.job_id)).toMatchObject({ processed_items: 3, total_items: 6 });
    await first.stop({ releaseLeases: false }); // a crash: the lease stays
    expect(await store.jobs.get(job.job_id)).toMatchObject({ status: 'running', lease_owner: first.workerId });
    // Nobody may take it while the lease lasts…
    expect(await store.jobs.claimNext('someone-else', clock.now(), 30_000)).toBeUndefined();
    // …and anyone may once it has expired.
    clock.advance(30_001);
    const before = s.log.length;
    pool(s.syncer, { leaseMs: 30_000 });
    const done = await settled(job.job_id);
    // What this attempt did is told apart from what the crashed one had written (issue 18.4).
    expect(done).toMatchObject({ status: 'completed', total_items: 6, processed_items: 6, failed_items: 0, resumed_items: 3, attempts: 2 });
    expect(s.log.slice(before).filter((l) => l.startsWith('fetch:'))).toEqual(['fetch:k4', 'fetch:k5', 'fetch:k6']);
    expect(await store.workouts.count(USER)).toBe(6);
  });

  it('a job that keeps killing its worker ends failed with JOB_ATTEMPTS_EXHAUSTED instead of being claimed forever', async () => {
    const hold = new Set<string>();
    const s = streamSyncer([['x1', 'x2']], { hold });
    const { job } = await service.create(USER, 's', { sync_type: 'workouts' });
    for (let attempt = 1; attempt <= 3; attempt++) {
      hold.add('x1');
      const worker = pool(s.syncer, { leaseMs: 30_000, maxAttempts: 3 });
      await until(`attempt ${attempt} to be in flight`, () => s.log.filter((l) => l === 'fetch:x1').length === attempt);
      await worker.stop({ releaseLeases: false }); // dies mid-item, keeping the lease
      expect(await store.jobs.get(job.job_id)).toMatchObject({ status: 'running', attempts: attempt });
      clock.advance(30_001);
    }
    pool(s.syncer, { leaseMs: 30_000, maxAttempts: 3 });
    const done = await settled(job.job_id);
    expect(done).toMatchObject({ status: 'failed', error_code: 'JOB_ATTEMPTS_EXHAUSTED', attempts: 4, lease_owner: null });
    expect(done.error_message).toMatch(/3 times/);
    expect(s.log.filter((l) => l === 'fetch:x1')).toHaveLength(3); // the fourth claim ran nothing
  });

  it('a known total counts from the start, and a cancel stops before the next item', async () => {
    const s = streamSyncer([['d1', 'd2', 'd3', 'd4', 'd5']], { expectedTotal: 5, hold: new Set(['d2']) });
    const { job } = await service.create(USER, 's', { sync_type: 'workouts' });
    pool(s.syncer, { itemConcurrency: 1 });
    await until('d2 to be in flight', () => s.log.includes('fetch:d2'));
    expect(await store.jobs.get(job.job_id)).toMatchObject({ total_items: 5, processed_items: 1, progress: 20 });
    await service.cancel(USER, job.job_id);
    s.release('d2');
    const done = await settled(job.job_id);
    expect(done).toMatchObject({ status: 'cancelled', processed_items: 2 });
    expect(s.log).not.toContain('fetch:d3');
    expect(await store.workouts.count(USER)).toBe(2);
  });
});
