import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { DI_CLIENT_IDS } from '../../src/garmin/index.js';
import { freshPgSchema, loginNoMfa, serviceDialects, startHarness, waitFor, type HarnessOptions } from './harness.js';

const [Q2, Q4, ANDROID] = DI_CLIENT_IDS;

/** Issue 13: the client id a login's tokens were issued with is stored with them and used by every refresh, across restarts. */
describe.each(serviceDialects())('the DI client id of a stored Garmin token (%s)', (dialect) => {
  it('survives a service restart: the refresh after it uses that id, not the first of the list', async () => {
    const emu = await startEmulator({ seed: 1, activities: 2, days: 2, workouts: 2 });
    const dataDir = mkdtempSync(join(tmpdir(), 'garminsync-diid-'));
    const pg = dialect === 'postgres' ? await freshPgSchema(process.env.GARMINSYNC_TEST_PG_URL ?? '', 'diid') : null;
    const shared: HarnessOptions = { emu, dataDir, ...(pg ? { database: pg.url } : {}) };
    try {
      // Garmin rotated the first id of the list out: the login falls over to the third.
      emu.setFaults({ rejectDiClientIds: [Q2!] });
      const first = await startHarness(shared);
      const t = await loginNoMfa(first);
      expect(emu.stats().diTokens).toMatchObject({ [`exchange ${Q2} 401`]: 1, [`exchange ${Q4} 401`]: 1, [`exchange ${ANDROID} 200`]: 1 });
      await first.close();

      // The first id is accepted again, but the stored refresh token belongs to the other one.
      emu.setFaults({ rejectDiClientIds: [] });
      const second = await startHarness({ ...shared, database: first.database });
      try {
        emu.expireTokens('nomfa@example.com');
        emu.resetStats();
        const created = await second.api('POST', '/sync/jobs', { token: t.access_token, body: { sync_type: 'workouts', full: true } });
        expect(created.status).toBe(202);
        const id = (created.body.job as { job_id: string }).job_id;
        const end = await waitFor(async () => {
          const j = (await second.api('GET', `/sync/jobs/${id}`, { token: t.access_token })).body as {
            status: string;
            error_code: string | null;
          };
          return ['completed', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
        });
        expect(end).toMatchObject({ status: 'completed', error_code: null });
        // Exactly one refresh, with the id the tokens were issued with (a refresh with the first id of
        // the list would have been invalid_grant: the emulator binds a refresh token to its client id).
        expect(emu.stats().diTokens).toEqual({ [`refresh ${ANDROID} 200`]: 1 });
      } finally {
        await second.close();
      }
    } finally {
      await emu.close();
      rmSync(dataDir, { recursive: true, force: true });
      await pg?.drop();
    }
  }, 90_000);
});
