import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { capabilitiesOf } from './dialect.js';
import { FreshRowCache } from './fresh-row-cache.js';
import type { Db } from './schema.js';
import { SyncStore } from './sync-store.js';
import { testDialects, type TestDatabase } from './testing/dialects.js';
import { freshStoreEach } from './testing/fresh-store.js';

const T0 = Date.UTC(2026, 11, 3, 12);
const job = (job_id: string, user_id = 'u1') => ({
  job_id,
  user_id,
  session_id: 's1',
  sync_type: 'activities' as const,
  params: { from: null, to: null, full: false },
});

/** A second connection to the same database: what another service process would hold. */
async function secondConnection(t: TestDatabase): Promise<Db> {
  return t.url
    ? openDatabase({ url: t.url, poolSize: 1, migrate: false })
    : openDatabase({ file: `${t.dir}/garminsync.db`, migrate: false });
}

const processed = (db: Db, jobId: string, n: number) =>
  sql`UPDATE sync_jobs SET processed_items = ${n}, updated_at = updated_at + 1 WHERE job_id = ${jobId}`.execute(db);

describe.each(testDialects())('a job read again (FreshRowCache) on $name', ({ name, open }) => {
  const fresh = freshStoreEach(open);

  it('is never older than the row: writes through this handle, another connection and a committed transaction are seen at once', async () => {
    const jobs = fresh.store.jobs;
    await jobs.createOrGetActive(job('j1'), T0);
    expect((await jobs.getForUser('u1', 'j1'))?.processed_items).toBe(0);
    expect((await jobs.getForUser('u1', 'j1'))?.processed_items).toBe(0);

    await processed(fresh.t.db, 'j1', 3);
    expect((await jobs.getForUser('u1', 'j1'))?.processed_items).toBe(3);

    const other = await secondConnection(fresh.t);
    try {
      await processed(other, 'j1', 5);
      expect((await jobs.getForUser('u1', 'j1'))?.processed_items).toBe(5);
      await sql`DELETE FROM sync_jobs WHERE job_id = ${'j1'}`.execute(other);
      expect(await jobs.getForUser('u1', 'j1')).toBeUndefined();
    } finally {
      await other.destroy();
    }

    await jobs.createOrGetActive(job('j2'), T0);
    expect((await jobs.getForUser('u1', 'j2'))?.processed_items).toBe(0);
    await fresh.store.transaction(async (tx) => processed(tx.db, 'j2', 9));
    expect((await jobs.getForUser('u1', 'j2'))?.processed_items).toBe(9);
  });

  it('does not keep what a rolled-back transaction wrote, and keeps other users’ jobs invisible', async () => {
    const jobs = fresh.store.jobs;
    await jobs.createOrGetActive(job('j1'), T0);
    expect((await jobs.getForUser('u1', 'j1'))?.processed_items).toBe(0);
    const rollback = new Error('roll back');
    await expect(
      fresh.store.transaction(async (tx) => {
        await processed(tx.db, 'j1', 4);
        // Inside the transaction its own write is visible (the transaction's reads bypass the cache)…
        expect((await tx.jobs.getForUser('u1', 'j1'))?.processed_items).toBe(4);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    // …and after the rollback the row is what it was.
    expect((await jobs.getForUser('u1', 'j1'))?.processed_items).toBe(0);

    // A read that begins while a transaction is open (counters read then, row after it ended).
    let during: Promise<unknown> | undefined;
    await expect(
      fresh.store.transaction(async (tx) => {
        await processed(tx.db, 'j1', 6);
        during = jobs.getForUser('u1', 'j1');
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await during).toMatchObject({ processed_items: 0 });
    expect((await jobs.getForUser('u1', 'j1'))?.processed_items).toBe(0);
    await fresh.store.transaction(async (tx) => {
      await processed(tx.db, 'j1', 7);
      during = jobs.getForUser('u1', 'j1');
    });
    // SQLite queues the read behind the transaction on its one connection; PostgreSQL reads on
    // another connection what was committed at that moment.
    const seen = ((await during) as { processed_items: number }).processed_items;
    if (name === 'sqlite') expect(seen).toBe(7);
    else expect([0, 7]).toContain(seen);
    expect((await jobs.getForUser('u1', 'j1'))?.processed_items).toBe(7);
    expect(await jobs.getForUser('u2', 'j1')).toBeUndefined();
    expect((await jobs.getForUser('u1', 'j1'))?.job_id).toBe('j1');
  });

  it('serves a row again without reading it while nothing changed, where the dialect can tell (SQLite)', async () => {
    await fresh.store.jobs.createOrGetActive(job('j1'), T0);
    const reads: string[] = [];
    const cache = new FreshRowCache<number>(fresh.t.db);
    const read =
      (key: string, db: Db = fresh.t.db) =>
      async () => {
        reads.push(key);
        const row = await db.selectFrom('sync_jobs').select('processed_items').where('job_id', '=', key).executeTakeFirst();
        return row?.processed_items;
      };
    for (let i = 0; i < 5; i++) expect(await cache.get('j1', read('j1'))).toBe(0);
    const counts = capabilitiesOf(fresh.t.db).changeCounters;
    expect(counts).toBe(name === 'sqlite');
    expect(reads).toHaveLength(counts ? 1 : 5);
    // A write anywhere (here: to another table) makes the next get read again.
    await sql`UPDATE sync_jobs SET updated_at = updated_at WHERE job_id = ${'nothing'}`.execute(fresh.t.db);
    await fresh.store.jobs.createOrGetActive(job('j9', 'u2'), T0);
    expect(await cache.get('j1', read('j1'))).toBe(0);
    expect(reads).toHaveLength(counts ? 2 : 6);
    // A missing row is not kept; a cache inside a transaction never keeps anything.
    expect(await cache.get('nope', read('nope'))).toBeUndefined();
    expect(await cache.get('nope', read('nope'))).toBeUndefined();
    expect(reads.filter((k) => k === 'nope')).toHaveLength(2);
    await new SyncStore(fresh.t.db).transaction(async (tx) => {
      const inTx = new FreshRowCache<number>(tx.db);
      const before = reads.length;
      await inTx.get('j1', read('j1', tx.db));
      await inTx.get('j1', read('j1', tx.db));
      expect(reads.length - before).toBe(2);
    });
  });

  it('keeps at most its size, the least recently read out first', async () => {
    for (const id of ['a', 'b', 'c']) await fresh.store.jobs.createOrGetActive(job(id), T0);
    const reads: string[] = [];
    const cache = new FreshRowCache<string>(fresh.t.db, 2);
    const get = (key: string) =>
      cache.get(key, async () => {
        reads.push(key);
        return key;
      });
    await get('a');
    await get('b');
    await get('a');
    await get('c'); // b is the least recently read: out
    reads.length = 0;
    await get('a');
    await get('c');
    await get('b');
    expect(reads).toEqual(name === 'sqlite' ? ['b'] : ['a', 'c', 'b']);
  });
});
