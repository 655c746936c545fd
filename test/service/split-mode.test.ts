import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../src/server/config.js';
import { startService, type RunningService } from '../../src/server/main.js';
import { loginNoMfa, serviceDialects, startHarness, waitFor, type Harness } from './harness.js';

const FAST = ['--poll-ms', '50', '--garmin-rate', '200', '--garmin-burst', '50'];

describe.each(serviceDialects())('--api-only and --workers-only sharing one database (%s)', (dialect) => {
  let api: Harness;
  let workers: RunningService;
  beforeAll(async () => {
    api = await startHarness({ args: ['--api-only'], dialect, emulator: { activities: 6, workouts: 1, days: 3 } });
    workers = await startService(
      parseServerConfig(
        ['--workers-only', '--data-dir', api.dataDir, '--database', api.database, '--garmin-url', api.emu.url, ...FAST],
        {},
        api.dataDir,
      ),
      { logger: pino({ level: 'silent' }) },
    );
  });
  afterAll(async () => {
    await workers.close();
    await api.close();
  });

  it('runs a job created on the API process, and its SSE stream sees the worker progress', async () => {
    expect(workers.url).toBeNull();
    const t = await loginNoMfa(api);
    const created = await api.api('POST', '/sync/jobs', { token: t.access_token, body: { sync_type: 'activities' } });
    const res = await fetch(`${api.url}/api/v1/sync/jobs/${created.body.job.job_id}/events`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    const text = await res.text();
    expect(text).toContain('event: end');
    expect(text).toContain('"status":"completed"');
    const done = await waitFor(async () => {
      const j = (await api.api('GET', `/sync/jobs/${created.body.job.job_id}`, { token: t.access_token })).body;
      return j.status === 'completed' ? j : undefined;
    });
    expect(done).toMatchObject({ total_items: 6, processed_items: 6 });
  });
});
