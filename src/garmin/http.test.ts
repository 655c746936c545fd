import { describe, expect, it } from 'vitest';
import { FakeClock, isAppError, seededRandom } from '../core/index.js';
import type { AppError } from '../core/index.js';
import { sendRequest } from './http.js';
import { readJson } from './upstream-answer.js';
import type { HttpDeps, HttpRequest } from './http.js';
import { backoffDelayMs } from './retry.js';

const REQ: HttpRequest = { method: 'GET', url: 'http://127.0.0.1:9/x', headers: {}, retries: 3, label: 'x', rateLimitDefaultMs: 60_000 };

/** A scripted upstream: each call answers the next Response (or throws the next Error). */
function scripted(answers: (() => Response | Error)[]): { fetch: typeof fetch; calls: number } {
  const state = {
    calls: 0,
    fetch: (async () => {
      const next = answers[state.calls++];
      if (!next) throw new Error('unexpected extra request');
      const a = next();
      if (a instanceof Error) throw a;
      return a;
    }) as unknown as typeof fetch,
  };
  return state;
}

/** Advances the fake clock whenever the code under test sleeps, recording each delay. */
async function drive<T>(clock: FakeClock, p: Promise<T>, delays: number[]): Promise<T> {
  let settled = false;
  const done = p.finally(() => (settled = true));
  while (!settled) {
    await new Promise((r) => setImmediate(r));
    if (clock.pendingSleepers > 0) {
      const before = clock.now();
      // Find the sleeper's deadline by stepping; sleeps here are at most a few seconds.
      let step = 0;
      while (clock.pendingSleepers > 0) {
        clock.advance(1);
        step++;
      }
      delays.push(clock.now() - before);
      expect(step).toBeGreaterThan(0);
    }
  }
  return done;
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('sendRequest', () => {
  it('retries 5xx and resets with full-jitter back-off on the injected clock, then succeeds', async () => {
    const clock = new FakeClock(0);
    const up = scripted([() => new Response('x', { status: 503 }), () => new TypeError('fetch failed'), () => Response.json({ ok: 1 })]);
    const deps: HttpDeps = { fetch: up.fetch, clock, random: seededRandom(5), timeoutMs: 5000 };
    const delays: number[] = [];
    const value = await drive(
      clock,
      sendRequest(deps, REQ, (res) => readJson(res, 'x', clock.now(), 1)),
      delays,
    );
    expect(value).toEqual({ ok: 1 });
    expect(up.calls).toBe(3);
    const expectedRandom = seededRandom(5);
    expect(delays).toEqual([backoffDelayMs(0, expectedRandom), backoffDelayMs(1, expectedRandom)].map((d) => Math.max(1, d)));
  });

  it('gives up after `retries` extra attempts with GARMIN_UNAVAILABLE', async () => {
    const clock = new FakeClock(0);
    const up = scripted(Array.from({ length: 3 }, () => () => new Response('x', { status: 502 })));
    const e = await drive(
      clock,
      caught(sendRequest({ fetch: up.fetch, clock, random: seededRandom(1), timeoutMs: 5000 }, { ...REQ, retries: 2 }, async () => 1)),
      [],
    );
    expect(e.code).toBe('GARMIN_UNAVAILABLE');
    expect(e.details.attempts).toBe(3);
    expect(up.calls).toBe(3);
  });

  it('never retries a POST (retries: 0)', async () => {
    const clock = new FakeClock(0);
    const up = scripted([() => new Response('x', { status: 500 })]);
    const e = await caught(
      sendRequest(
        { fetch: up.fetch, clock, random: seededRandom(1), timeoutMs: 5000 },
        { ...REQ, method: 'POST', retries: 0 },
        async () => 1,
      ),
    );
    expect(e.code).toBe('GARMIN_UNAVAILABLE');
    expect(up.calls).toBe(1);
  });

  it('429 → GARMIN_RATE_LIMITED with Retry-After, not retried', async () => {
    const clock = new FakeClock(0);
    const up = scripted([() => new Response('slow down', { status: 429, headers: { 'retry-after': '42' } })]);
    const e = await caught(sendRequest({ fetch: up.fetch, clock, random: seededRandom(1), timeoutMs: 5000 }, REQ, async () => 1));
    expect(e.code).toBe('GARMIN_RATE_LIMITED');
    expect(e.details.retry_after_ms).toBe(42_000);
    expect(up.calls).toBe(1);
  });

  it('Cloudflare HTML and the JSON 429 envelope are rate limits too (with the default wait)', async () => {
    const clock = new FakeClock(0);
    const cf = scripted([
      () =>
        new Response('<!DOCTYPE html><title>Access denied | sso.garmin.com used Cloudflare to restrict access</title>', {
          status: 403,
          headers: { 'content-type': 'text/html' },
        }),
    ]);
    const e1 = await caught(sendRequest({ fetch: cf.fetch, clock, random: seededRandom(1), timeoutMs: 5000 }, REQ, async () => 1));
    expect(e1.code).toBe('GARMIN_RATE_LIMITED');
    expect(e1.details.retry_after_ms).toBe(60_000);
    const json = scripted([() => Response.json({ error: { 'status-code': '429', message: 'Too Many Requests' } })]);
    const e2 = await caught(
      sendRequest({ fetch: json.fetch, clock, random: seededRandom(1), timeoutMs: 5000 }, REQ, (res) => readJson(res, 'x', 0, 60_000)),
    );
    expect(e2.code).toBe('GARMIN_RATE_LIMITED');
  });

  it("turns the caller's abort into ABORTED without retrying", async () => {
    const clock = new FakeClock(0);
    const ac = new AbortController();
    const up = scripted([
      () => {
        ac.abort();
        return new DOMException('aborted', 'AbortError') as unknown as Error;
      },
    ]);
    const e = await caught(
      sendRequest({ fetch: up.fetch, clock, random: seededRandom(1), timeoutMs: 5000 }, REQ, async () => 1, ac.signal),
    );
    expect(e.code).toBe('ABORTED');
    expect(up.calls).toBe(1);
  });

  it('awaits the limiter before every attempt', async () => {
    const clock = new FakeClock(0);
    let acquired = 0;
    const up = scripted([() => new Response('x', { status: 500 }), () => Response.json([])]);
    const deps: HttpDeps = { fetch: up.fetch, clock, random: seededRandom(1), timeoutMs: 5000, beforeRequest: async () => void acquired++ };
    await drive(
      clock,
      sendRequest(deps, REQ, (res) => readJson(res, 'x', 0, 1)),
      [],
    );
    expect(acquired).toBe(2);
  });
});

describe('looksLikeCloudflare', () => {
  it("tells Cloudflare's blocks from its 5xx error pages", async () => {
    const { looksLikeCloudflare } = await import('./upstream-answer.js');
    expect(looksLikeCloudflare(429, 'text/html', '<html>…</html>')).toBe(true);
    expect(looksLikeCloudflare(403, 'text/html', '<html><title>Attention Required! | Cloudflare</title>')).toBe(true);
    expect(
      looksLikeCloudflare(
        200,
        'text/html',
        '<!DOCTYPE html><title>Access denied | sso.garmin.com used Cloudflare</title><p>Error 1015</p>',
      ),
    ).toBe(true);
    expect(looksLikeCloudflare(502, 'text/html', '<html><title>Bad gateway | Error 502</title><p>Cloudflare Ray ID: 1</p></html>')).toBe(
      false,
    );
    expect(
      looksLikeCloudflare(503, 'text/html', '<html><title>Service Unavailable | Error 503</title><p>Cloudflare Ray ID: 1</p></html>'),
    ).toBe(false);
    expect(looksLikeCloudflare(503, 'text/html', '<html><title>Just a moment...</title></html>')).toBe(true);
    expect(looksLikeCloudflare(403, 'text/html', '<html><title>Forbidden</title>Invalid CSRF token</html>')).toBe(false);
    expect(looksLikeCloudflare(403, 'application/json', '{"message":"forbidden"}')).toBe(false);
  });
});

describe('per-request timeout', () => {
  it('a request that hangs past timeoutMs counts as a transport fault and is retried', async () => {
    const clock = new FakeClock(0);
    let calls = 0;
    // Never answers; only the combined signal (caller + timeout) ends it.
    const hanging = ((_: unknown, init?: RequestInit) => {
      calls++;
      return new Promise<Response>((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true }),
      );
    }) as unknown as typeof fetch;
    const p = caught(sendRequest({ fetch: hanging, clock, random: seededRandom(2), timeoutMs: 20 }, { ...REQ, retries: 1 }, async () => 1));
    const e = await drive(clock, p, []);
    expect(e.code).toBe('GARMIN_UNAVAILABLE');
    expect(e.details.reason).toBe('timeout');
    expect(calls).toBe(2);
  });
});
