/**
 * Issue 7, item 7 — load: 200 concurrent clients poll job status for 60 s on loopback → 0 errors,
 * p99 reported. Runs only under `npm run test:load` (GARMINSYNC_TEST_LOAD=1): a minute of full
 * CPU has no place in the default run. The report is printed and written to .tmp/load-report.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginNoMfa, startHarness, type Harness } from '../service/harness.js';
import { REPO, dialects } from './support.js';

const LOAD = process.env.GARMINSYNC_TEST_LOAD === '1';
const CLIENTS = Number(process.env.GARMINSYNC_LOAD_CLIENTS ?? 200);
const SECONDS = Number(process.env.GARMINSYNC_LOAD_SECONDS ?? 60);

describe.skipIf(!LOAD).each(dialects())('load: %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    // A job that is still running while the clients poll: many activities, some upstream latency.
    h = await startHarness({
      dialect,
      emulator: { activities: 400, days: 120, workouts: 1, latencyMs: 40 },
      args: ['--garmin-rate', '20', '--garmin-burst', '10'],
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it(
    `${CLIENTS} concurrent clients poll job status for ${SECONDS} s: 0 errors, p99 reported`,
    async () => {
      const sessions = await Promise.all([0, 1].map(() => loginNoMfa(h)));
      const job = await h.api('POST', '/sync/jobs', { token: sessions[0]!.access_token, body: { sync_type: 'activities' } });
      expect(job.status).toBe(202);
      const jobId = job.body.job.job_id as string;
      const result = await autocannon({
        url: `${h.url}/api/v1/sync/jobs/${jobId}`,
        headers: { authorization: `Bearer ${sessions[1]!.access_token}` },
        connections: CLIENTS,
        duration: SECONDS,
        timeout: 10,
      });
      const report = {
        dialect,
        clients: CLIENTS,
        seconds: SECONDS,
        requests: result.requests.total,
        rps_mean: result.requests.average,
        latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
      };
      await mkdir(join(REPO, '.tmp'), { recursive: true });
      await writeFile(join(REPO, '.tmp', `load-report-${dialect}.json`), `${JSON.stringify(report, null, 2)}\n`);
      process.stdout.write(`\nload (${dialect}): ${JSON.stringify(report)}\n`);
      expect(result.requests.total).toBeGreaterThan(CLIENTS * SECONDS);
      expect(result.errors).toBe(0);
      expect(result.timeouts).toBe(0);
      expect(result.non2xx).toBe(0);
      // The service is still healthy and the job still progresses or finished.
      expect((await h.api('GET', '/healthz')).status).toBe(200);
    },
    (SECONDS + 60) * 1000,
  );
});
