/**
 * The documented worst case of upstream requests per call (docs/garmin-client.md "Retry policy"),
 * counted at the emulator with fault knobs that always fail. The limiter is the sync engine's own
 * AccountLimiter, so a 429 pauses the account exactly as in a sync job.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeClock } from '../../src/core/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { DEFAULT_RETRY_POLICY, worstCaseRequestsPerCall } from '../../src/garmin/index.js';
import { AccountLimiter } from '../../src/sync/index.js';
import { UpstreamCalls } from '../../src/sync/upstream.js';
import { silentLogger } from '../../src/core/index.js';
import { SERVER_SETTINGS } from '../../src/server/settings.js';
import { loginNoMfa, makeAuth, makeConnect, MemoryTokenStore, rejectionOf, startEmu, withAutoAdvance } from './helpers.js';

let emu: RunningEmulator;
let clock: FakeClock;
let store: MemoryTokenStore;
let activityId: number;

const count = (name: string) => emu.stats().byEndpoint[name] ?? 0;
const OFF = { rateLimitRps: null, fault5xx: 0, tokenNotActive: false, retryAfterSec: 1 };

beforeAll(async () => {
  ({ emu, clock } = await startEmu());
  store = new MemoryTokenStore((await loginNoMfa(emu, clock, ['mobile-di'])).tokens);
  const [a] = await client().api.listActivities({ start: 0, limit: 1 });
  activityId = a!.activityId;
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => emu.setFaults(OFF));

function client(limiter = new AccountLimiter({ clock, ratePerSec: 1000, burst: 1000 })) {
  return { api: makeConnect(emu, clock, makeAuth(emu, clock), store, { limiter }), limiter };
}

describe('retry budget per call (default policy)', () => {
  const { transientRetries, rateLimitRetries } = DEFAULT_RETRY_POLICY;

  it('the documented numbers: 3 transient and 5 rate-limit retries, at most 18 GETs per call', () => {
    expect({ transientRetries, rateLimitRetries }).toEqual({ transientRetries: 3, rateLimitRetries: 5 });
    expect(worstCaseRequestsPerCall(DEFAULT_RETRY_POLICY)).toBe(18);
    // The server's declared defaults are the same numbers.
    expect(Number(SERVER_SETTINGS.garminRetries.default)).toBe(transientRetries);
    expect(Number(SERVER_SETTINGS.garminRateLimitRetries.default)).toBe(rateLimitRetries);
  });

  it('always 5xx: 1 + transientRetries requests, then GARMIN_UNAVAILABLE', async () => {
    const { api } = client();
    emu.setFaults({ fault5xx: 1 });
    const before = count('connect.downloadActivity');
    const e = await withAutoAdvance(clock, rejectionOf(api.downloadActivityFit(activityId)));
    expect(e.code).toBe('GARMIN_UNAVAILABLE');
    expect(count('connect.downloadActivity') - before).toBe(1 + transientRetries);
  });

  it('always 429: 1 + rateLimitRetries requests, each after the account was paused, then GARMIN_RATE_LIMITED', async () => {
    const { api, limiter } = client();
    // The fake clock stands still: one request is admitted per "second", every later one is 429.
    emu.setFaults({ rateLimitRps: 1, retryAfterSec: 0 });
    await api.getSocialProfile();
    const before = count('connect.downloadActivity');
    const limitedBefore = emu.stats().byStatus['429'] ?? 0;
    const e = await rejectionOf(api.downloadActivityFit(activityId));
    expect(e.code).toBe('GARMIN_RATE_LIMITED');
    expect(count('connect.downloadActivity') - before).toBe(1 + rateLimitRetries);
    expect((emu.stats().byStatus['429'] ?? 0) - limitedBefore).toBe(1 + rateLimitRetries);
    expect(limiter.pausedUntil).toBe(clock.now());
  });

  it('a 429 with Retry-After pauses the account for it before the retry', async () => {
    const { api, limiter } = client();
    emu.setFaults({ rateLimitRps: 1, retryAfterSec: 30 });
    await api.getSocialProfile();
    const started = clock.now();
    const before = count('connect.workouts');
    const p = api.listWorkouts({ start: 0, limit: 10 });
    const deadline = Date.now() + 5000;
    while (limiter.pausedUntil === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    expect(limiter.pausedUntil).toBe(started + 30_000);
    // Nothing is sent while the account is paused; after the pause the retry goes through.
    expect(count('connect.workouts') - before).toBe(1);
    emu.setFaults({ rateLimitRps: null });
    clock.advance(30_000);
    expect(await p).toHaveLength(4);
    expect(count('connect.workouts') - before).toBe(2);
  });

  it('always 401: the call, one DI refresh, the call again, then GARMIN_TOKEN_REJECTED', async () => {
    const { api } = client();
    emu.setFaults({ tokenNotActive: true });
    const before = { get: count('connect.workouts'), token: count('di.token') };
    const e = await rejectionOf(api.listWorkouts({ start: 0, limit: 10 }));
    expect(e.code).toBe('GARMIN_TOKEN_REJECTED');
    expect({ get: count('connect.workouts') - before.get, token: count('di.token') - before.token }).toEqual({ get: 2, token: 1 });
  });

  it('without a pausing limiter a 429 is never retried (logins, the CLI)', async () => {
    const api = makeConnect(emu, clock, makeAuth(emu, clock), store);
    emu.setFaults({ rateLimitRps: 1, retryAfterSec: 0 });
    await api.getSocialProfile();
    const before = count('connect.workouts');
    expect((await rejectionOf(api.listWorkouts({ start: 0, limit: 10 }))).code).toBe('GARMIN_RATE_LIMITED');
    expect(count('connect.workouts') - before).toBe(1);
  });
});

describe('the sync engine adds no attempts of its own (an activities item = one FIT call)', () => {
  const { transientRetries, rateLimitRetries } = DEFAULT_RETRY_POLICY;
  function upstream() {
    const { api, limiter } = client();
    const calls = new UpstreamCalls({
      userId: 'u1',
      jobId: 'j1',
      gateway: { forUser: async () => api },
      limiter,
      clock,
      logger: silentLogger,
      signal: new AbortController().signal,
      cancelSignal: new AbortController().signal,
      defaultRateLimitPauseMs: 60_000,
    });
    return { calls, api, limiter };
  }

  it('always 5xx: the item costs 1 + transientRetries requests', async () => {
    const { calls } = upstream();
    emu.setFaults({ fault5xx: 1 });
    const before = count('connect.downloadActivity');
    const e = await withAutoAdvance(clock, rejectionOf(calls.call((g, signal) => g.downloadActivityFit(activityId, signal))));
    expect(e.code).toBe('GARMIN_UNAVAILABLE');
    expect(count('connect.downloadActivity') - before).toBe(1 + transientRetries);
  });

  it('always 429: the item costs 1 + rateLimitRetries requests and leaves the account paused', async () => {
    const { calls, api, limiter } = upstream();
    emu.setFaults({ rateLimitRps: 1, retryAfterSec: 0 });
    await api.getSocialProfile();
    const before = count('connect.downloadActivity');
    const e = await rejectionOf(calls.call((g, signal) => g.downloadActivityFit(activityId, signal)));
    expect(e.code).toBe('GARMIN_RATE_LIMITED');
    expect(count('connect.downloadActivity') - before).toBe(1 + rateLimitRetries);
    expect(limiter.pausedUntil).toBeGreaterThanOrEqual(clock.now());
  });
});
