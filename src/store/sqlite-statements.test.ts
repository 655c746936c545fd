import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { reusingStatements } from './sqlite-statements.js';

interface Schema {
  t: { id: number; name: string };
}

describe('reused SQLite statements', () => {
  let db: Kysely<Schema> | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  function open(max?: number) {
    const raw = new Database(':memory:');
    const prepared: string[] = [];
    const counting = {
      prepare: (text: string) => (prepared.push(text), raw.prepare(text)),
      close: () => raw.close(),
    };
    db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: reusingStatements(counting, max) }) });
    return { db, prepared };
  }

  it('prepares each SQL text once and gives the right rows with new parameters each time', async () => {
    const { db, prepared } = open();
    await db.schema
      .createTable('t')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .execute();
    for (let i = 1; i <= 20; i++)
      await db
        .insertInto('t')
        .values({ id: i, name: `n${i}` })
        .execute();
    for (let i = 1; i <= 20; i++) {
      expect(await db.selectFrom('t').selectAll().where('id', '=', i).executeTakeFirst()).toEqual({ id: i, name: `n${i}` });
    }
    const texts = prepared.filter((s) => s.startsWith('select'));
    expect(texts).toHaveLength(1);
    expect(prepared.filter((s) => s.startsWith('insert'))).toHaveLength(1);
    // A streamed query holds its statement until the end; the same text afterwards still works.
    const streamed: number[] = [];
    for await (const row of db.selectFrom('t').select('id').where('id', '<=', 3).stream()) streamed.push(row.id);
    expect(streamed).toEqual([1, 2, 3]);
    expect(await db.selectFrom('t').select('id').where('id', '<=', 3).execute()).toHaveLength(3);
  });

  it('follows a schema change under a kept statement', async () => {
    const { db } = open();
    await db.schema
      .createTable('t')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .execute();
    await db.insertInto('t').values({ id: 1, name: 'a' }).execute();
    const all = () => sql<Record<string, unknown>>`select * from t where id = ${1}`.execute(db);
    expect((await all()).rows).toEqual([{ id: 1, name: 'a' }]);
    await sql`alter table t add column extra text default 'x'`.execute(db);
    expect((await all()).rows).toEqual([{ id: 1, name: 'a', extra: 'x' }]);
  });

  it('keeps at most `max` statements, least recently used out first', async () => {
    const { db, prepared } = open(2);
    await db.schema
      .createTable('t')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .execute();
    const q = (col: 'id' | 'name') => db.selectFrom('t').select(col).execute();
    const count = () => prepared.filter((s) => s.startsWith('select')).length;
    await q('id');
    await q('name');
    await q('id'); // used again: 'name' is now the oldest
    expect(count()).toBe(2);
    await sql`select 1`.execute(db); // pushes 'name' out
    await q('id');
    expect(count()).toBe(3);
    await q('name');
    expect(count()).toBe(4);
  });
});
