import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeClock } from '../../src/core/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { GarminConnect } from '../../src/garmin/index.js';
import { loginNoMfa, makeAuth, makeConnect, MemoryTokenStore, NOMFA, rejectionOf, startEmu, withAutoAdvance } from './helpers.js';

let emu: RunningEmulator;
let clock: FakeClock;
let store: MemoryTokenStore;

const NO_FAULTS = {
  latencyMs: 0,
  rateLimitRps: null,
  fault5xx: 0,
  faultReset: 0,
  faultTruncate: 0,
  loginRateLimited: false,
  corruptFitIds: [] as number[],
};

beforeAll(async () => {
  ({ emu, clock } = await startEmu());
  store = new MemoryTokenStore((await loginNoMfa(emu, clock, ['mobile-di'])).tokens);
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.setFaults(NO_FAULTS);
});

/** A fetch that lets the test act after the n-th request to a path has been answered (or has failed). */
function fetchWithHook(path: string, after: (n: number) => void): typeof fetch {
  let n = 0;
  return async (input, init) => {
    try {
      return await fetch(input, init);
    } finally {
      if (new URL(String(input)).pathname === path) after(++n);
    }
  };
}

function client(opts: Parameters<typeof makeConnect>[4] = {}): GarminConnect {
  return makeConnect(emu, clock, makeAuth(emu, clock), store, opts);
}

const count = (name: string) => emu.stats().byEndpoint[name] ?? 0;

describe('rate limits', () => {
  for (const style of ['json', 'cloudflare-html', 'plain'] as const) {
    it(`429 (${style}) → GARMIN_RATE_LIMITED with Retry-After, one request, no retry`, async () => {
      const api = client();
      // One request per second, and the fake clock stands still: the first is admitted, the next is not.
      emu.setFaults({ rateLimitRps: 1, rateLimitStyle: style, retryAfterSec: 37 });
      await api.getSocialProfile();
      const before = emu.stats().byStatus['429'] ?? 0;
      const e = await rejectionOf(api.listActivities({ start: 0, limit: 10 }));
      expect(e.code).toBe('GARMIN_RATE_LIMITED');
      expect(e.details.retry_after_ms).toBe(37_000);
      expect((emu.stats().byStatus['429'] ?? 0) - before).toBe(1);
      expect(clock.pendingSleepers).toBe(0);
    });
  }

  it('login: the first strategy gets 429, the chain falls back to the next one (no loop)', async () => {
    emu.setFaults({ loginRateLimited: true });
    const fetch429Once = fetchWithHook('/mobile/api/login', (n) => {
      if (n === 1) emu.setFaults({ loginRateLimited: false });
    });
    const before = count('sso.mobile.login');
    const out = await makeAuth(emu, clock, { fetch: fetch429Once }).startLogin(NOMFA);
    expect(out.status).toBe('authenticated');
    if (out.status === 'authenticated') expect(out.tokens.kind).toBe('oauth1');
    expect(count('sso.mobile.login') - before).toBe(2);
  });

  it('login: every strategy rate limited → GARMIN_RATE_LIMITED, each strategy tried once', async () => {
    emu.setFaults({ loginRateLimited: true, retryAfterSec: 3600 });
    const before = emu.stats().total;
    const e = await rejectionOf(makeAuth(emu, clock).startLogin(NOMFA));
    expect(e.code).toBe('GARMIN_RATE_LIMITED');
    expect(e.details.retry_after_ms).toBe(3_600_000);
    const attempts = e.details.attempts as { strategy: string; code: string }[];
    expect(attempts.map((a) => a.strategy)).toEqual(['mobile-di', 'mobile-oauth1', 'portal-di', 'widget']);
    expect(attempts.every((a) => a.code === 'GARMIN_RATE_LIMITED')).toBe(true);
    // 4 strategies: at most their page GETs plus one credential POST each.
    expect(emu.stats().total - before).toBeLessThanOrEqual(8);
  });
});

describe('retries with back-off', () => {
  it('5xx is retried with back-off on the injected clock, then succeeds', async () => {
    emu.setFaults({ fault5xx: 1 });
    const start = clock.now();
    const api = client({
      fetch: fetchWithHook('/userprofile-service/userprofile/user-settings', (n) => {
        if (n === 2) emu.setFaults({ fault5xx: 0 });
      }),
    });
    const before = count('connect.userSettings');
    const settings = await withAutoAdvance(clock, api.getUserSettings());
    expect(typeof settings.userData).toBe('object');
    expect(count('connect.userSettings') - before).toBe(3);
    expect(clock.now()).toBeGreaterThan(start);
  });

  it('connection resets are retried too', async () => {
    emu.setFaults({ faultReset: 1 });
    const resetsBefore = emu.stats().byStatus.reset ?? 0;
    const api = client({
      fetch: fetchWithHook('/workout-service/workouts', (n) => {
        if (n === 2) emu.setFaults({ faultReset: 0 });
      }),
    });
    expect(await withAutoAdvance(clock, api.listWorkouts({ start: 0, limit: 10 }))).toHaveLength(4);
    expect((emu.stats().byStatus.reset ?? 0) - resetsBefore).toBe(2);
  });

  it('gives up after the configured retries with GARMIN_UNAVAILABLE', async () => {
    emu.setFaults({ fault5xx: 1 });
    const before = count('connect.workouts');
    const e = await withAutoAdvance(clock, rejectionOf(client({ retry: { transientRetries: 2 } }).listWorkouts({ start: 0, limit: 10 })));
    expect(e.code).toBe('GARMIN_UNAVAILABLE');
    expect(count('connect.workouts') - before).toBe(3);
  });
});

describe('FIT integrity', () => {
  it('a corrupted FIT inside a valid ZIP → FIT_INVALID (not retried)', async () => {
    const api = client();
    const [a] = await api.listActivities({ start: 0, limit: 1 });
    emu.setFaults({ corruptFitIds: [a!.activityId] });
    const before = count('connect.downloadActivity');
    const e = await rejectionOf(api.downloadActivityFit(a!.activityId));
    expect(e.code).toBe('FIT_INVALID');
    expect(count('connect.downloadActivity') - before).toBe(1);
  });

  it('a truncated download is detected: retried, never returned', async () => {
    const api = client({ retry: { transientRetries: 1 } });
    const [a] = await api.listActivities({ start: 0, limit: 1 });
    emu.setFaults({ faultTruncate: 1 });
    const e = await withAutoAdvance(clock, rejectionOf(api.downloadActivityFit(a!.activityId)));
    expect(['GARMIN_UNAVAILABLE', 'FIT_INVALID']).toContain(e.code);
    emu.setFaults({ faultTruncate: 0 });
    const fit = await api.downloadActivityFit(a!.activityId);
    expect(fit.toString('latin1', 8, 12)).toBe('.FIT');
  });
});

describe('AbortSignal', () => {
  it('aborts a request in flight with ABORTED', async () => {
    const api = client();
    await api.getSocialProfile();
    emu.setFaults({ latencyMs: 60_000 });
    const ac = new AbortController();
    const p = rejectionOf(api.getUserSettings(ac.signal));
    // The emulator is now holding the request (sleeping on the shared fake clock).
    const deadline = Date.now() + 5000;
    while (clock.pendingSleepers === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    expect(clock.pendingSleepers).toBeGreaterThan(0);
    ac.abort();
    expect((await p).code).toBe('ABORTED');
    emu.setFaults({ latencyMs: 0 });
    clock.advance(60_000);
  });

  it('an already aborted signal sends nothing', async () => {
    const before = emu.stats().total;
    const e = await rejectionOf(client().listActivities({ start: 0, limit: 1 }, AbortSignal.abort()));
    expect(e.code).toBe('ABORTED');
    expect(emu.stats().total).toBe(before);
  });
});
