import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../core/index.js';
import { PgNotifications } from './index.js';
import { testDialects, type TestDatabase } from './testing/dialects.js';
import { until as untilTruthy } from '../../test/support/until.js';

const pgDialect = testDialects().find((d) => d.name === 'postgres');

function until<T>(fn: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  return untilTruthy('the condition', fn, { timeoutMs, everyMs: 5 });
}

describe.skipIf(!pgDialect)(
  `PgNotifications (PostgreSQL LISTEN/NOTIFY)${pgDialect ? '' : ' — skipped: set GARMINSYNC_TEST_PG_URL'}`,
  () => {
    let t: TestDatabase;
    let other: TestDatabase;
    const open: PgNotifications[] = [];
    const listener = (db: TestDatabase) => {
      const n = new PgNotifications({ url: db.url!, db: db.db, clock: systemClock, reconnectMinMs: 20, reconnectMaxMs: 200 });
      open.push(n);
      return n;
    };
    beforeEach(async () => {
      t = await pgDialect!.open();
      other = await pgDialect!.open();
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((n) => n.close()));
      await t.close();
      await other.close();
    });

    it('delivers to every listener of the schema (the sender too), never to another schema', async () => {
      const a = listener(t);
      const b = listener(t);
      const c = listener(other);
      await Promise.all([a.start(), b.start(), c.start()]);
      expect(a.channelName).toMatch(/^garminsync_t_[0-9a-f]+$/);
      expect(c.channelName).not.toBe(a.channelName);
      const got: Record<string, string[]> = { a: [], b: [], c: [] };
      a.onMessage((p) => got.a!.push(p));
      b.onMessage((p) => got.b!.push(p));
      c.onMessage((p) => got.c!.push(p));
      await a.send('{"k":"c"}');
      await c.send('other');
      await until(() => got.a!.length === 1 && got.b!.length === 1 && got.c!.length === 1);
      expect(got).toEqual({ a: ['{"k":"c"}'], b: ['{"k":"c"}'], c: ['other'] });
    });

    it('reconnects after the listening connection is killed, says so, and hears again', async () => {
      const a = listener(t);
      await a.start();
      const got: string[] = [];
      let reconnects = 0;
      a.onMessage((p) => got.push(p));
      a.onReconnect(() => reconnects++);
      const pid = await a.listenerPid();
      expect(pid).toBeTypeOf('number');
      await sql`select pg_terminate_backend(${pid})`.execute(t.db);
      await until(() => reconnects === 1);
      expect(await a.listenerPid()).not.toBe(pid);
      await a.send('after');
      await until(() => got.includes('after'));
    });

    it('fails fast with CONFIG_INVALID when PostgreSQL cannot be reached', async () => {
      const bad = new PgNotifications({ url: 'postgres://nobody:x@127.0.0.1:1/none', db: t.db, clock: systemClock });
      await expect(bad.start()).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
      await bad.close();
    });
  },
);
