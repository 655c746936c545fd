import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './index.js';
import { testDialects, type TestDatabase } from './testing/dialects.js';

const pgDialect = testDialects().find((d) => d.name === 'postgres');

describe.skipIf(!pgDialect)(`PostgreSQL pool${pgDialect ? '' : ' — skipped: set GARMINSYNC_TEST_PG_URL'}`, () => {
  let t: TestDatabase | undefined;
  afterEach(async () => t?.close());

  it('survives idle connections being killed (no crash) and reconnects on the next query', async () => {
    t = await pgDialect!.open();
    const app = `gs_${randomBytes(5).toString('hex')}`;
    const url = new URL(t.url!);
    url.searchParams.set('application_name', app);
    const errors: Error[] = [];
    const db = await openDatabase({ url: url.toString(), poolSize: 3, migrate: false, onPoolError: (e) => errors.push(e) });
    try {
      await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(db)));
      const killed = await sql<{
        n: number;
      }>`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = ${app}`.execute(t.db);
      expect(killed.rows[0]!.n).toBeGreaterThanOrEqual(1);
      const deadline = Date.now() + 5000;
      // Each killed idle client reports its death (PostgreSQL sends a FATAL before closing).
      while (errors.length < killed.rows[0]!.n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(errors.length).toBe(killed.rows[0]!.n);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});
