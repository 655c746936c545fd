import { describe, expect, it } from 'vitest';
import type { FakeClock } from '../../src/core/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { loginNoMfa, makeAuth, makeConnect, MemoryTokenStore, NOMFA, recordingFetch, useEmu } from './helpers.js';

let emu: RunningEmulator;
let clock: FakeClock;

useEmu((e) => ({ emu, clock } = e));

describe('mylastused (the change-detection probe) against the emulator', () => {
  it('answers the last upload time in one request, and an upload through the control API moves it', async () => {
    const login = await loginNoMfa(emu, clock);
    const log: { method: string; path: string; headers: Headers }[] = [];
    const api = makeConnect(emu, clock, makeAuth(emu, clock), new MemoryTokenStore(login.tokens), { fetch: recordingFetch(log) });
    const first = await api.getLastUsedDevice();
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /device-service/deviceservice/mylastused']);
    expect(first.deviceName).toBe('fēnix 6');
    expect(typeof first.userDeviceId).toBe('number');
    const newest = (await api.listActivities({ start: 0, limit: 1 }))[0]!;
    const newestEnd = Date.parse(`${String(newest.raw.startTimeGMT).replace(' ', 'T')}Z`) + Number(newest.raw.duration) * 1000;
    expect(Math.abs((first.uploadTimeMs ?? 0) - newestEnd)).toBeLessThan(1000);

    // Reading again changes nothing; a new upload moves it past the old value.
    expect((await api.getLastUsedDevice()).uploadTimeMs).toBe(first.uploadTimeMs);
    emu.addActivities(NOMFA.username, 2);
    const after = await api.getLastUsedDevice();
    expect(after.uploadTimeMs).toBeGreaterThan(first.uploadTimeMs ?? 0);
  });

  it('is bearer-protected like the rest of the Connect API', async () => {
    const res = await fetch(`${emu.url}/device-service/deviceservice/mylastused`, { headers: { host: new URL(emu.url).host } });
    expect(res.status).toBe(401);
  });
});
