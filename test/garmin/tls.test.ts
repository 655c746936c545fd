import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import type { LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededRandom } from '../../src/core/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { endpointsForDomain, GarminAuth, GarminConnect } from '../../src/garmin/index.js';
import { DEMO, MemoryTokenStore, NOMFA } from './helpers.js';
import { isAppError } from '../../src/core/index.js';
import { createNodeFetch } from '../../src/transport/index.js';

// Every *.garmin.test host resolves to the emulator on 127.0.0.1.
const loopback = ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
  if (opts?.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
}) as unknown as LookupFunction;

let emu: RunningEmulator;
const clock = new FakeClock(Date.UTC(2026, 10, 27, 12, 0, 0));

beforeAll(async () => {
  emu = await startEmulator({
    tls: true,
    domain: 'garmin.test',
    seed: 3,
    activities: 5,
    days: 3,
    workouts: 2,
    endDate: '2026-11-27',
    clock,
  });
});
afterAll(async () => {
  await emu.close();
});

describe('TLS mode: real host names (sso./connectapi./diauth.garmin.test) routed by Host', () => {
  it('logs in (with and without MFA) and reads data through endpointsForDomain', async () => {
    // The client's own transport (node:https, keep-alive), with an agent that trusts the emulator's CA.
    const fetch = createNodeFetch({ httpsAgent: new Agent({ keepAlive: true, ca: readFileSync(emu.caPath!, 'utf8'), lookup: loopback }) });
    const endpoints = endpointsForDomain(`garmin.test:${emu.port}`);
    expect(endpoints.domain).toBe('garmin.test');
    const auth = new GarminAuth({ endpoints, fetch, clock, random: seededRandom(1) });
    const out = await auth.startLogin(NOMFA);
    if (out.status !== 'authenticated') throw new Error('expected tokens');
    const mfa = await auth.startLogin(DEMO);
    if (mfa.status !== 'mfa_required') throw new Error('expected MFA');
    await new GarminAuth({ endpoints, fetch, clock, random: seededRandom(2) }).completeMfa(mfa.state, emu.lastMfaCode(DEMO.username)!);
    const api = new GarminConnect({ endpoints, auth, tokenStore: new MemoryTokenStore(out.tokens), fetch, clock, random: seededRandom(3) });
    const [a] = await api.listActivities({ start: 0, limit: 1 });
    const fit = await api.downloadActivityFit(a!.activityId);
    expect(fit.toString('latin1', 8, 12)).toBe('.FIT');
    expect(emu.stats().violations).toEqual([]);
  });

  it('with node’s default CAs only, the emulator’s certificate is refused, as fetch refuses it', async () => {
    const fetch = createNodeFetch({ httpsAgent: new Agent({ lookup: loopback }) });
    const endpoints = endpointsForDomain(`garmin.test:${emu.port}`);
    const err = await new GarminAuth({ endpoints, fetch, clock, random: seededRandom(4) }).startLogin(NOMFA).catch((e: unknown) => e);
    expect(isAppError(err, 'GARMIN_UNAVAILABLE')).toBe(true);
    // What the client saw: fetch's shape, TypeError('fetch failed') with the TLS error's code as cause.
    const direct = (await fetch(`https://sso.garmin.test:${emu.port}/`).catch((e: unknown) => e)) as TypeError & {
      cause?: { code?: string };
    };
    expect(direct).toBeInstanceOf(TypeError);
    expect(direct.message).toBe('fetch failed');
    expect(direct.cause?.code).toMatch(/CERT|VERIFY/);
  });
});
