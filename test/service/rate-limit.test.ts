import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginNoMfa, startHarness, waitFor, type Harness } from './harness.js';

describe('Garmin 429 during a sync', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { activities: 15, workouts: 1, days: 3 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('pauses the account until Retry-After and resumes: every item arrives exactly once, no login', async () => {
    const t = await loginNoMfa(h);
    h.emu.resetStats();
    h.emu.setFaults({ rateLimitRps: 10, retryAfterSec: 1 });
    try {
      const created = await h.api('POST', '/sync/jobs', { token: t.access_token, body: { sync_type: 'activities' } });
      const job = await waitFor(async () => {
        const j = (await h.api('GET', `/sync/jobs/${created.body.job.job_id}`, { token: t.access_token })).body;
        return ['completed', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
      }, 60_000);
      expect(job).toMatchObject({ status: 'completed', total_items: 15, processed_items: 15, failed_items: 0 });
      const stats = h.emu.stats();
      expect(stats.byStatus['429'] ?? 0).toBeGreaterThan(0);
      expect(stats.logins).toBe(0);
      const list = await h.api('GET', '/activities?limit=100', { token: t.access_token });
      expect(new Set(list.body.items.map((a: { activity_id: string }) => a.activity_id)).size).toBe(15);
    } finally {
      h.emu.setFaults({ rateLimitRps: null });
    }
  }, 90_000);
});
