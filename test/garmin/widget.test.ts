import { describe, expect, it } from 'vitest';
import type { FakeClock } from '../../src/core/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { MfaState } from '../../src/garmin/index.js';
import { DEMO, LOCKED, makeAuth, NOMFA, rejectionOf, useEmu } from './helpers.js';

let emu: RunningEmulator;
let clock: FakeClock;

useEmu((e) => ({ emu, clock } = e));

describe('legacy widget strategy (generation A)', () => {
  it('gets a ticket and a DI token, which the API refuses as Garmin does since 2026-06 ("Token is not active")', async () => {
    const before = emu.stats().byEndpoint['di.token'] ?? 0;
    const e = await rejectionOf(makeAuth(emu, clock, { strategies: ['widget'] }).startLogin(NOMFA));
    expect(e.code).toBe('GARMIN_TOKEN_REJECTED');
    expect((emu.stats().byEndpoint['di.token'] ?? 0) - before).toBeGreaterThan(0);
  });

  it('MFA: wrong code, then the right one from a new instance with the same state', async () => {
    const out = await makeAuth(emu, clock, { strategies: ['widget'] }).startLogin(DEMO);
    if (out.status !== 'mfa_required') throw new Error('expected MFA');
    expect(out.state.strategy).toBe('widget');
    const wire = JSON.stringify(out.state);
    const code = emu.lastMfaCode(DEMO.username)!;
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await rejectionOf(makeAuth(emu, clock).completeMfa(JSON.parse(wire) as MfaState, wrong))).code).toBe('GARMIN_MFA_CODE_INVALID');
    // The code is accepted (the ticket is issued); the embed-service DI token is then refused like above.
    const e = await rejectionOf(makeAuth(emu, clock).completeMfa(JSON.parse(wire) as MfaState, code));
    expect(e.code).toBe('GARMIN_TOKEN_REJECTED');
    expect(emu.lastMfaCode(DEMO.username)).toBe(code);
    expect((await rejectionOf(makeAuth(emu, clock).completeMfa(JSON.parse(wire) as MfaState, code))).code).toBe('GARMIN_MFA_EXPIRED');
  });

  it('bad password and locked account stop with typed errors', async () => {
    const auth = makeAuth(emu, clock, { strategies: ['widget'] });
    expect((await rejectionOf(auth.startLogin({ ...NOMFA, password: 'nope' }))).code).toBe('GARMIN_INVALID_CREDENTIALS');
    expect((await rejectionOf(auth.startLogin(LOCKED))).code).toBe('GARMIN_ACCOUNT_LOCKED');
  });
});
