import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError, silentLogger } from '../core/index.js';
import { createBlobStore } from './create-blob-store.js';
import { DIALECT_CAPABILITIES, SQLITE_PAGE_CACHE_KIB, capabilitiesOf } from './dialect.js';
import type { Database as Schema } from './schema.js';
import { claimJobs } from './sync-job.claim.js';
import { testDialects, type TestDatabase } from './testing/dialects.js';
import { withUserJobLock } from './user-job-lock.js';

describe.each(testDialects())('dialect capabilities on $name (issue 11.5)', ({ name, open }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => t.close());

  it('a handle, its transactions and its connections carry the capabilities of their dialect', async () => {
    expect(capabilitiesOf(t.db)).toBe(DIALECT_CAPABILITIES[name]);
    await t.db.transaction().execute(async (tx) => expect(capabilitiesOf(tx)).toBe(DIALECT_CAPABILITIES[name]));
    await t.db.connection().execute(async (c) => expect(capabilitiesOf(c)).toBe(DIALECT_CAPABILITIES[name]));
  });

  it.runIf(name === 'sqlite')("a SQLite connection keeps a small page cache, not better-sqlite3's 16 MB (issue 17, row 6)", async () => {
    const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(t.db);
    expect(rows[0]?.cache_size).toBe(-SQLITE_PAGE_CACHE_KIB);
  });

  it('each capability the dialect declares works: the SKIP LOCKED clause, the lock, the bytes type', async () => {
    const caps = capabilitiesOf(t.db);
    if (caps.supportsSkipLocked) {
      const rows = await t.db.selectFrom('sync_jobs').select('job_id').limit(1).forUpdate().skipLocked().execute();
      expect(rows).toEqual([]);
    } else {
      await expect(t.db.selectFrom('sync_jobs').select('job_id').forUpdate().skipLocked().execute()).rejects.toThrow();
    }
    // The user lock runs its function in a transaction on either lock kind and returns its value.
    expect(await withUserJobLock(t.db, 'u1', async (db) => (await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0]?.one)).toBe(1);
    const col = await (
      caps.namedSchemas
        ? sql<{
            t: string;
          }>`select data_type as t from information_schema.columns where table_schema = current_schema() and table_name = 'blob_chunks' and column_name = 'data'`
        : sql<{ t: string }>`select type as t from pragma_table_info('blob_chunks') where name = 'data'`
    ).execute(t.db);
    expect(col.rows[0]?.t.toLowerCase()).toBe(caps.bytesType);
    const blobs = await createBlobStore({ db: t.db, dir: t.dir, logger: silentLogger, now: () => 0 });
    expect(blobs.constructor.name).toBe(caps.blobsInDatabase ? 'DbBlobStore' : 'FileBlobStore');
  });
});

describe('a dialect the store does not know (issue 11.5)', () => {
  // A handle built around the store: Kysely's own SQLite dialect, no capabilities declared.
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  afterAll(async () => db.destroy());

  it("fails loudly with INTERNAL instead of taking SQLite's branch", async () => {
    expect(() => capabilitiesOf(db)).toThrow(/does not know this dialect/);
    const claim = await claimJobs(db, 'w1', 0, 1000, 1).catch((e: unknown) => e);
    expect(isAppError(claim) && claim.code).toBe('INTERNAL');
    const locked = await withUserJobLock(db, 'u1', async () => 'ran').catch((e: unknown) => e);
    expect(isAppError(locked) && locked.code).toBe('INTERNAL');
  });
});
