import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/index.js';
import { startEmulator, type RunningEmulator } from '../index.js';
import { bearerProbe, bigProbe } from '../testing/probe-route.js';
import { readJson } from '../testing/sso-client.js';

const SMALL = { activities: 1, days: 1, workouts: 0 };

describe('emulator HTTP server: routing, stats and faults', () => {
  const clock = new FakeClock(Date.UTC(2026, 10, 27, 12));
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ ...SMALL, clock, extraRoutes: [bearerProbe, bigProbe] });
  });
  afterEach(() => {
    emu.setFaults({ rateLimitRps: null, fault5xx: 0, faultReset: 0, faultTruncate: 0, tokenNotActive: false, rateLimitStyle: 'json' });
    emu.resetStats();
  });
  afterAll(() => emu.close());

  it('answers 501 to unknown paths and records a violation; control calls are not counted', async () => {
    const res = await fetch(`${emu.url}/nope/never`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(501);
    await fetch(`${emu.url}/__emulator/stats`);
    const stats = emu.stats();
    expect(stats.total).toBe(1);
    expect(stats.byStatus).toEqual({ '501': 1 });
    expect(stats.violations).toEqual([{ method: 'POST', path: '/nope/never', reason: 'no such endpoint' }]);
    const viaHttp = await readJson(await fetch(`${emu.url}/__emulator/stats`));
    expect(viaHttp.violations).toHaveLength(1);
  });

  it('counts requests per route name and status', async () => {
    await fetch(`${emu.url}/test-probe/big`);
    await fetch(`${emu.url}/test-probe/big`);
    await fetch(`${emu.url}/test-probe/whoami`);
    const stats = emu.stats();
    expect(stats.byEndpoint).toEqual({ 'test.big': 2, 'test.whoami': 1 });
    expect(stats.byStatus).toEqual({ '200': 2, '401': 1 });
    expect(stats.total).toBe(3);
  });

  it('rate limits with 429 + Retry-After in JSON, Cloudflare HTML and plain styles', async () => {
    await fetch(`${emu.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ rateLimitRps: 2, retryAfterSec: 7 }) });
    expect((await fetch(`${emu.url}/test-probe/big`)).status).toBe(200);
    expect((await fetch(`${emu.url}/test-probe/big`)).status).toBe(200);
    const limited = await fetch(`${emu.url}/test-probe/big`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await readJson(limited)).toEqual({ error: { 'status-code': '429' } });
    // Control calls are never limited.
    expect((await fetch(`${emu.url}/__emulator/faults`)).status).toBe(200);

    emu.setFaults({ rateLimitStyle: 'cloudflare-html' });
    // In plain mode the page names the Garmin host of the route (connectapi for this probe).
    const page = await fetch(`${emu.url}/test-probe/big`);
    expect(page.status).toBe(429);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<title>Access denied | connectapi.garmin.com used Cloudflare to restrict access</title>');
    expect(html).toContain('1015');

    emu.setFaults({ rateLimitStyle: 'plain' });
    const plain = await fetch(`${emu.url}/test-probe/big`);
    expect(plain.status).toBe(429);
    expect(await plain.text()).toBe('Too Many Requests');

    // The window slides with the clock.
    clock.advance(1001);
    expect((await fetch(`${emu.url}/test-probe/big`)).status).toBe(200);
  });

  it('injects 5xx answers', async () => {
    emu.setFaults({ fault5xx: 1 });
    const res = await fetch(`${emu.url}/test-probe/big`);
    expect([500, 502, 503]).toContain(res.status);
    expect(await res.text()).toContain('Cloudflare Ray ID');
  });

  it('resets connections', async () => {
    emu.setFaults({ faultReset: 1 });
    await expect(fetch(`${emu.url}/test-probe/big`)).rejects.toThrow();
    expect(emu.stats().byStatus.reset).toBe(1);
  });

  it('truncates bodies: Content-Length is declared, fewer bytes arrive, the connection closes', async () => {
    emu.setFaults({ faultTruncate: 1 });
    const { declared, received, aborted } = await new Promise<{ declared: number; received: number; aborted: boolean }>((resolve) => {
      const req = request(`${emu.url}/test-probe/big`, (res) => {
        let received = 0;
        res.on('data', (d: Buffer) => (received += d.length));
        const finish = (aborted: boolean) => resolve({ declared: Number(res.headers['content-length']), received, aborted });
        res.on('end', () => finish(false));
        res.on('error', () => finish(true));
        res.on('aborted', () => finish(true));
      });
      req.end();
    });
    expect(declared).toBe(16 * 1024);
    expect(received).toBeLessThan(declared);
    expect(aborted).toBe(true);
  });

  it('validates fault knobs and refuses unknown ones', async () => {
    const bad = await fetch(`${emu.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ fault5xx: 3 }) });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${emu.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ faultTypo: true }) });
    expect(unknown.status).toBe(400);
    const notIds = await fetch(`${emu.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ rejectDiClientIds: [''] }) });
    expect(notIds.status).toBe(400);
    const knobs = await readJson(await fetch(`${emu.url}/__emulator/faults`));
    expect(knobs.fault5xx).toBe(0);
    expect(Object.keys(knobs).sort()).toEqual(
      [
        'corruptFitIds',
        'captchaRequired',
        'fault5xx',
        'faultReset',
        'faultTruncate',
        'latencyMs',
        'loginRateLimited',
        'rateLimitRps',
        'rateLimitStyle',
        'rejectDiClientIds',
        'retryAfterSec',
        'tokenLifetimeSec',
        'tokenNotActive',
      ].sort(),
    );
  });

  it('refuses bodies over the limit with 413', async () => {
    const res = await fetch(`${emu.url}/mobile/api/login?service=x`, { method: 'POST', body: Buffer.alloc(8 * 1024 * 1024 + 1, 0x61) });
    expect(res.status).toBe(413);
  });

  it('validates control API input and resets stats', async () => {
    const bad = await fetch(`${emu.url}/__emulator/activities`, { method: 'POST', body: JSON.stringify({ count: 0 }) });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${emu.url}/__emulator/activities`, {
      method: 'POST',
      body: JSON.stringify({ username: 'x@example.com', count: 1 }),
    });
    expect(unknown.status).toBe(404);
    await fetch(`${emu.url}/test-probe/big`);
    const reset = await readJson(await fetch(`${emu.url}/__emulator/reset-stats`, { method: 'POST' }));
    expect(reset).toEqual({ total: 0, byEndpoint: {}, byStatus: {}, violations: [], logins: 0, diTokens: {} });
  });

  it('serves the MFA outbox 404 for an address that got no code', async () => {
    const res = await fetch(`${emu.url}/__emulator/mfa-code?username=nomfa@example.com`);
    expect(res.status).toBe(404);
  });
});

describe('fault dice and latency', () => {
  it('rolls the same faults for the same seed', async () => {
    const statuses = async () => {
      const emu = await startEmulator({ ...SMALL, seed: 42, fault5xx: 0.5, extraRoutes: [bigProbe] });
      try {
        const out: number[] = [];
        for (let i = 0; i < 12; i++) out.push((await fetch(`${emu.url}/test-probe/big`)).status);
        return out;
      } finally {
        await emu.close();
      }
    };
    const a = await statuses();
    expect(a.some((s) => s === 200) && a.some((s) => s >= 500)).toBe(true);
    expect(await statuses()).toEqual(a);
  });

  it('delays answers by latencyMs (real clock)', async () => {
    const emu = await startEmulator({ ...SMALL, latencyMs: 150, extraRoutes: [bigProbe] });
    try {
      const t0 = performance.now();
      await (await fetch(`${emu.url}/test-probe/big`)).text();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    } finally {
      await emu.close();
    }
  });

  it('holds Garmin answers until the clock passes the latency; control calls are not delayed', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 27, 12));
    const emu = await startEmulator({ ...SMALL, clock, latencyMs: 500, extraRoutes: [bigProbe] });
    try {
      let done = false;
      const pending = fetch(`${emu.url}/test-probe/big`).then((r) => {
        done = true;
        return r.status;
      });
      const until = Date.now() + 10_000;
      while (clock.pendingSleepers === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      expect(clock.pendingSleepers).toBe(1);
      expect((await fetch(`${emu.url}/__emulator/stats`)).status).toBe(200);
      expect(done).toBe(false);
      clock.advance(499);
      expect(clock.pendingSleepers).toBe(1);
      clock.advance(1);
      expect(await pending).toBe(200);
    } finally {
      await emu.close();
    }
  });
});
