import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { openDatabase } from '../database.js';
import type { Database } from '../schema.js';

/**
 * The dialects every store test runs on (style.md rule 7): SQLite in a temp file always, and
 * PostgreSQL when GARMINSYNC_TEST_PG_URL is set (CI sets it). Use with
 * `describe.each(testDialects())('…on $name', ({ open }) => …)`.
 */
export interface TestDialect {
  name: 'sqlite' | 'postgres';
  /** A fresh, migrated (unless `migrate: false`), empty database; `close()` destroys it. */
  open(opts?: { migrate?: boolean }): Promise<TestDatabase>;
}

export interface TestDatabase {
  db: Kysely<Database>;
  /** Data dir for this database (blob store etc.). */
  dir: string;
  /** PostgreSQL: the URL of this test schema (a second process or a LISTEN connection opens it). */
  url?: string;
  close(): Promise<void>;
}

export function testDialects(env: Record<string, string | undefined> = process.env): TestDialect[] {
  const out: TestDialect[] = [{ name: 'sqlite', open: openSqlite }];
  const pgUrl = env.GARMINSYNC_TEST_PG_URL;
  if (pgUrl) out.push({ name: 'postgres', open: (o) => openPostgres(pgUrl, o?.migrate) });
  return out;
}

async function openSqlite(opts?: { migrate?: boolean }): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'garminsync-store-'));
  const db = await openDatabase({ file: join(dir, 'garminsync.db'), migrate: opts?.migrate ?? true });
  return {
    db,
    dir,
    close: async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One schema per test database, so tests in parallel never see each other's rows. */
async function openPostgres(baseUrl: string, migrate = true): Promise<TestDatabase> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const db = await openDatabase({ url: url.toString(), poolSize: 4, migrate });
  const dir = mkdtempSync(join(tmpdir(), 'garminsync-store-'));
  return {
    db,
    dir,
    url: url.toString(),
    close: async () => {
      await db.destroy();
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
