/**
 * Issue 7, item 2 — upstream fault storm: 10% 5xx, 5% connection resets, 5% truncated bodies and
 * bursts of 429 with Retry-After (all three 429 styles) while activities, workouts and health
 * sync through the real service. Every item arrives exactly once, the per-account request budget
 * is never exceeded (measured on the emulator's side), and no job makes a login request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { loginNoMfa, startHarness, waitFor, type Harness } from '../service/harness.js';
import { SecretLedger, dialects, seeded, size } from './support.js';

const ACTIVITIES = size(30, 120);
const WORKOUTS = size(6, 12);
const HEALTH_DAYS = size(5, 14);
/** The service's per-account Garmin budget in this test: a token bucket of BURST at RATE/s. */
const RATE = 25;
const BURST = 10;

/** Arrival times (ms) of the emulator's Connect API requests, from its own request log. */
function requestRecorder(): { logger: Logger; arrivals: number[] } {
  const arrivals: number[] = [];
  const logger: Logger = {
    debug: (obj, msg) => {
      const o = obj as { path?: string; ms?: number };
      // Login traffic (SSO, DI token exchange) is not per-account sync traffic; the API is.
      if (
        msg === 'request' &&
        typeof o.path === 'string' &&
        !o.path.startsWith('/__emulator') &&
        !/sso|oauth|diauth|di-oauth/.test(o.path)
      ) {
        arrivals.push(Date.now() - (o.ms ?? 0));
      }
    },
    info: () => {},
    warn: () => {},
    error: () => {},
    child: () => logger,
  };
  return { logger, arrivals };
}

/**
 * Timing jitter allowed between the service taking a token and the request reaching the emulator
 * (a busy event loop can bunch requests that were spaced at the source). The check keeps its
 * teeth: the same run with the service's budget raised to 1000/s exceeds this bucket by ~8.
 */
const JITTER_MS = 250;

/** The largest excess over the token bucket in any window [a_i, a_j] of arrivals. */
function worstExcess(arrivals: number[]): number {
  const t = [...arrivals].sort((a, b) => a - b);
  let worst = -Infinity;
  for (let i = 0; i < t.length; i++) {
    for (let j = i; j < t.length; j++) {
      const allowed = BURST + ((t[j]! - t[i]! + JITTER_MS) / 1000) * RATE;
      worst = Math.max(worst, j - i + 1 - allowed);
    }
  }
  return worst;
}

// The dialects run side by side, each with its own emulator, service, request log and ledger:
// a storm is mostly waiting (the request budget, Retry-After pauses), not work.
describe.concurrent.each(dialects())('upstream fault storm (%s)', (dialect) => {
  let emu: RunningEmulator;
  let h: Harness;
  const rec = requestRecorder();
  const ledger = new SecretLedger();
  ledger.secret('demo-password');

  beforeAll(async () => {
    emu = await startEmulator({ seed: 3, activities: ACTIVITIES, workouts: WORKOUTS, days: 20, logger: rec.logger });
    // The retry budgets are raised because this test is about exactly-once and the request budget,
    // not about running out of retries (test/garmin/retry-budget.test.ts covers that):
    // - 20 % of requests fail transiently, so with the default 3 retries one of the ~80 calls fails
    //   all 4 attempts in about 1 run in 8 (0.2^4 per call) and its job fails GARMIN_UNAVAILABLE;
    //   with 8 it is 0.2^9 per call.
    // - in the storm's "on" windows a dozen lanes compete for 2–5 upstream requests/s, so one request
    //   can lose more than the default 5 times in a row (more so when a loaded machine stretches the
    //   windows); CI saw a job fail GARMIN_RATE_LIMITED.
    h = await startHarness({
      emu,
      dialect,
      args: ['--garmin-rate', String(RATE), '--garmin-burst', String(BURST), '--garmin-retries', '8', '--garmin-rate-limit-retries', '50'],
    });
  });
  afterAll(async () => {
    await h?.close();
    await emu?.close();
  });

  it(
    'every item exactly once, budget never exceeded, no login by any job',
    async () => {
      const t = await loginNoMfa(h);
      ledger.tokens(t);
      const loginsBefore = emu.stats().logins;
      const requestsBefore = rec.arrivals.length;

      emu.setFaults({ fault5xx: 0.1, faultReset: 0.05, faultTruncate: 0.05, retryAfterSec: 1 });
      // Bursts of 429: a seeded schedule switches a tight upstream rate limit on and off, cycling
      // through Garmin's three 429 styles (JSON, Cloudflare HTML, plain).
      const random = seeded(99);
      const styles = ['json', 'cloudflare-html', 'plain'] as const;
      let burst = 0;
      const storm = setInterval(() => {
        const on = burst % 2 === 0;
        emu.setFaults(
          on ? { rateLimitRps: 2 + Math.floor(random() * 4), rateLimitStyle: styles[(burst / 2) % 3]! } : { rateLimitRps: null },
        );
        burst++;
      }, 700);

      const to = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const from = new Date(Date.now() - HEALTH_DAYS * 86_400_000).toISOString().slice(0, 10);
      const bodies = [{ sync_type: 'activities' }, { sync_type: 'workouts' }, { sync_type: 'health', from, to }];
      const jobs: string[] = [];
      try {
        for (const body of bodies) {
          const r = await h.api('POST', '/sync/jobs', { token: t.access_token, body });
          expect(r.status, r.text).toBe(202);
          jobs.push(r.body.job.job_id as string);
        }
        const finished = await Promise.all(
          jobs.map((id) =>
            waitFor(
              async () => {
                const j = (await h.api('GET', `/sync/jobs/${id}`, { token: t.access_token })).body;
                return ['completed', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
              },
              size(90_000, 300_000),
              100,
            ),
          ),
        );
        const expected = [ACTIVITIES, WORKOUTS, HEALTH_DAYS];
        finished.forEach((j, i) =>
          expect(j, JSON.stringify(j)).toMatchObject({
            status: 'completed',
            total_items: expected[i],
            processed_items: expected[i],
            failed_items: 0,
          }),
        );
      } finally {
        clearInterval(storm);
        emu.setFaults({ fault5xx: 0, faultReset: 0, faultTruncate: 0, rateLimitRps: null });
      }

      const stats = emu.stats();
      // The storm really happened.
      expect(stats.byStatus['429'] ?? 0, 'some 429s').toBeGreaterThan(0);
      expect(
        Object.entries(stats.byStatus)
          .filter(([s]) => s.startsWith('5'))
          .reduce((n, [, c]) => n + c, 0),
        'some 5xx',
      ).toBeGreaterThan(0);
      expect(stats.violations).toEqual([]);
      expect(stats.logins - loginsBefore, 'login requests made by jobs').toBe(0);

      // Exactly once: the stored sets equal the emulator's, no duplicates.
      const acts = await h.api('GET', '/activities?limit=1000', { token: t.access_token });
      const ids = (acts.body.items as { activity_id: string; fit: unknown }[]).map((a) => a.activity_id);
      expect(new Set(ids).size).toBe(ACTIVITIES);
      expect(ids).toHaveLength(ACTIVITIES);
      expect((acts.body.items as { fit: unknown }[]).every((a) => a.fit !== null)).toBe(true);
      const wk = await h.api('GET', '/workouts?limit=1000', { token: t.access_token });
      expect(wk.body.items).toHaveLength(WORKOUTS);
      const health = await h.api('GET', `/health/daily?from=${from}&to=${to}`, { token: t.access_token });
      expect(health.body.items).toHaveLength(HEALTH_DAYS);

      // The budget: in no window did the service send more than the bucket allows.
      const during = rec.arrivals.slice(requestsBefore);
      expect(during.length).toBeGreaterThan(ACTIVITIES);
      expect(worstExcess(during)).toBeLessThanOrEqual(0);

      ledger.record('service logs', h.logs.join(''));
      ledger.expectClean();
    },
    size(120_000, 360_000),
  );
});
