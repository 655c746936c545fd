import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/index.js';
import { BLOB_CHUNK_BYTES, DbBlobStore, FileBlobStore, migrateBlobs } from './index.js';
import { testDialects } from './testing/dialects.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isAppError(e) ? e.code : String(e)),
  );

/** Issue 12.12: FIT blobs in the database, content-addressed, streamed in chunks, deduplicated. */
describe.each(testDialects())('DbBlobStore ($name)', (dialect) => {
  it(
    'streams a multi-chunk blob in and out byte-identically, stores equal content once, and concurrent puts agree',
    { timeout: 120_000 },
    async () => {
      const t = await dialect.open();
      try {
        const store = new DbBlobStore(t.db, { now: () => 1 });
        const big = Buffer.from(Array.from({ length: 2.5 * BLOB_CHUNK_BYTES }, (_, i) => (i * 7) % 251));
        async function* pieces() {
          for (let i = 0; i < big.length; i += 10_000) yield big.subarray(i, i + 10_000);
        }
        expect(await store.putStream(pieces())).toEqual({ sha256: sha(big), size: big.length });
        const refs = await Promise.all([store.put(big), store.put(big), store.put(Buffer.from('small'))]);
        expect(refs.map((r) => r.sha256)).toEqual([sha(big), sha(big), sha(Buffer.from('small'))]);
        expect(
          await t.db
            .selectFrom('blobs')
            .select(({ fn }) => fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow(),
        ).toEqual({ n: 2 });
        const chunks = await t.db
          .selectFrom('blob_chunks')
          .select(['blob_key', 'seq'])
          .where('blob_key', '=', sha(big))
          .orderBy('seq')
          .execute();
        expect(chunks.map((c) => c.seq)).toEqual([0, 1, 2]);
        expect(await t.db.selectFrom('blob_chunks').select('blob_key').where('blob_key', 'like', 'tmp:%').execute()).toEqual([]);

        expect(await store.has(sha(big))).toBe(true);
        expect(sha(await store.read(sha(big)))).toBe(sha(big));
        const { stream, size } = await store.open(sha(big));
        const got: Buffer[] = [];
        for await (const c of stream) got.push(c as Buffer);
        expect(size).toBe(big.length);
        expect(sha(Buffer.concat(got))).toBe(sha(big));
        const listed: string[] = [];
        for await (const s of store.list()) listed.push(s);
        expect(listed).toEqual([sha(big), sha(Buffer.from('small'))].sort());
      } finally {
        await t.close();
      }
    },
  );

  it('rolls back a write that fails midway and treats a blob with a missing chunk as missing', async () => {
    const t = await dialect.open();
    try {
      const store = new DbBlobStore(t.db, { now: () => 1 });
      async function* broken() {
        yield Buffer.alloc(BLOB_CHUNK_BYTES + 5, 1);
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }
      expect(await codeOf(store.putStream(broken()))).toBe('DISK_FULL');
      expect(await t.db.selectFrom('blob_chunks').select('seq').execute()).toEqual([]);

      const big = Buffer.alloc(2 * BLOB_CHUNK_BYTES, 9);
      await store.put(big);
      await t.db.deleteFrom('blob_chunks').where('blob_key', '=', sha(big)).where('seq', '=', 1).execute();
      expect(await store.has(sha(big))).toBe(false);
      expect(await codeOf(store.open(sha(big)))).toBe('NOT_FOUND');
      expect(await codeOf(store.read(sha(big)))).toBe('NOT_FOUND');
      expect(await codeOf(store.read('f'.repeat(64)))).toBe('NOT_FOUND');
      expect(await codeOf(store.read('../x'))).toBe('VALIDATION_FAILED');
    } finally {
      await t.close();
    }
  });

  it('migrateBlobs copies every sound file blob once, skips those present and counts damaged ones', async () => {
    const t = await dialect.open();
    const dir = mkdtempSync(join(tmpdir(), 'garminsync-migrate-'));
    try {
      const files = new FileBlobStore(join(dir, 'blobs'));
      await files.init(0);
      const a = Buffer.alloc(300_000, 1);
      const b = Buffer.from('b');
      const bad = Buffer.from('will be truncated');
      for (const x of [a, b, bad]) await files.put(x);
      writeFileSync(files.pathOf(sha(bad)), 'trunc');
      const db = new DbBlobStore(t.db, { now: () => 1 });
      await db.put(b);
      expect(await migrateBlobs(files, db)).toEqual({ copied: 1, present: 1, damaged: 1 });
      expect(sha(await db.read(sha(a)))).toBe(sha(a));
      expect(await migrateBlobs(files, db)).toEqual({ copied: 0, present: 2, damaged: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await t.close();
    }
  });
});
