import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/index.js';
import { parseServerConfig } from '../../src/server/config.js';
import { startService } from '../../src/server/main.js';
import { testDialects } from '../../src/store/testing/dialects.js';

const key = () => randomBytes(32).toString('base64');

/** Issue 12.12: a process whose keys differ from the ones the database was set up with refuses to start. */
describe.each(testDialects())('key fingerprints ($name)', (dialect) => {
  it('records an HMAC of each key at the first start and refuses another key, naming its variable', async () => {
    const t = await dialect.open();
    const database = t.url ?? join(t.dir, 'garminsync.db');
    const start = (env: Record<string, string>) =>
      startService(parseServerConfig(['--port', '0', '--data-dir', t.dir, '--database', database, '--api-only'], env, t.dir), {
        logger: pino({ level: 'silent' }),
      });
    try {
      const keys = { GARMINSYNC_ENCRYPTION_KEY: key(), GARMINSYNC_JWT_KEY: key() };
      await (await start(keys)).close();

      const rows = await t.db.selectFrom('key_fingerprints').selectAll().orderBy('name').execute();
      expect(rows.map((r) => r.name)).toEqual(['GARMINSYNC_ENCRYPTION_KEY', 'GARMINSYNC_JWT_KEY']);
      for (const r of rows) {
        expect(r.fingerprint).toMatch(/^[0-9a-f]{64}$/);
        const raw = Buffer.from(keys[r.name as keyof typeof keys], 'base64');
        for (const form of [raw.toString('hex'), raw.toString('base64'), raw.toString('base64url')])
          expect(r.fingerprint).not.toContain(form);
      }

      for (const name of ['GARMINSYNC_ENCRYPTION_KEY', 'GARMINSYNC_JWT_KEY'] as const) {
        const wrong = { ...keys, [name]: key() };
        const err = await start(wrong).then(
          async (s) => (await s.close(), 'started'),
          (e: unknown) => e,
        );
        expect(isAppError(err, 'CONFIG_INVALID')).toBe(true);
        expect((err as Error).message).toContain(`${name} is not the key this database was set up with`);
        expect((err as Error).message).not.toContain(wrong[name]);
      }
      // The right keys still start, and nothing was overwritten by the refused processes.
      await (await start(keys)).close();
      expect(await t.db.selectFrom('key_fingerprints').selectAll().orderBy('name').execute()).toEqual(rows);
    } finally {
      await t.close();
    }
  }, 60_000);
});
