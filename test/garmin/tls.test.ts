import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededRandom } from '../../src/core/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { endpointsForDomain, GarminAuth, GarminConnect } from '../../src/garmin/index.js';
import { DEMO, MemoryTokenStore, NOMFA } from './helpers.js';
import { httpsFetchWithCa } from './https-fetch.js';

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
    const fetch = httpsFetchWithCa(readFileSync(emu.caPath!, 'utf8'));
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
});
