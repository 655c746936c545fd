import { describe, expect, it } from 'vitest';
import type { FakeClock } from '../../src/core/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { MfaState } from '../../src/garmin/index.js';
import { DEMO, LOCKED, makeAuth, NOMFA, recordingFetch, rejectionOf, useEmu } from './helpers.js';

let emu: RunningEmulator;
let clock: FakeClock;

useEmu((e) => ({ emu, clock } = e));

describe('login without MFA', () => {
  it('authenticates through the first strategy and validates with socialProfile', async () => {
    const log: { method: string; path: string; headers: Headers }[] = [];
    const before = emu.stats();
    const out = await makeAuth(emu, clock, { fetch: recordingFetch(log) }).startLogin(NOMFA);
    expect(out.status).toBe('authenticated');
    if (out.status !== 'authenticated') return;
    expect(out.tokens.kind).toBe('di');
    expect(out.tokens.refreshToken).toBeTruthy();
    expect(out.tokens.accessExpiresAt).toBeGreaterThan(clock.now());
    expect(out.profile.displayName).toBeTruthy();
    expect(typeof out.profile.profileId).toBe('number');
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /mobile/api/login',
      ...log.filter((r) => r.path === '/di-oauth2-service/oauth/token').map(() => 'POST /di-oauth2-service/oauth/token'),
      'GET /userprofile-service/socialProfile',
    ]);
    expect(emu.stats().logins - before.logins).toBe(1);
    expect(emu.stats().violations).toEqual([]);
  });

  it('logs in through the OAuth1 strategy alone (preauthorized + exchange, real HMAC-SHA1)', async () => {
    const log: { method: string; path: string; headers: Headers }[] = [];
    const out = await makeAuth(emu, clock, { strategies: ['mobile-oauth1'], fetch: recordingFetch(log) }).startLogin(NOMFA);
    expect(out.status).toBe('authenticated');
    if (out.status !== 'authenticated') return;
    expect(out.tokens.kind).toBe('oauth1');
    expect(out.tokens.oauth1?.token).toBeTruthy();
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /mobile/sso/en/sign-in',
      'POST /mobile/api/login',
      'GET /portal/sso/embed',
      'GET /oauth-service/oauth/preauthorized',
      'POST /oauth-service/oauth/exchange/user/2.0',
      'GET /userprofile-service/socialProfile',
    ]);
    const login = log[1]!;
    expect(login.headers.get('user-agent')).toMatch(/iPhone/);
    expect(login.headers.get('sec-fetch-mode')).toBe('navigate');
    expect(log[3]!.headers.get('authorization')).toMatch(
      /^OAuth oauth_nonce="\d+", oauth_timestamp="\d+", oauth_version="1.0", oauth_signature_method="HMAC-SHA1"/,
    );
  });

  it('logs in through the portal strategy alone', async () => {
    const out = await makeAuth(emu, clock, { strategies: ['portal-di'] }).startLogin(NOMFA);
    expect(out.status).toBe('authenticated');
  });
});

describe('credential failures stop the chain', () => {
  it('bad password → GARMIN_INVALID_CREDENTIALS after one login POST', async () => {
    const before = emu.stats().logins;
    const e = await rejectionOf(makeAuth(emu, clock).startLogin({ username: NOMFA.username, password: 'wrong' }));
    expect(e.code).toBe('GARMIN_INVALID_CREDENTIALS');
    expect(emu.stats().logins - before).toBe(1);
  });

  it('locked account → GARMIN_ACCOUNT_LOCKED', async () => {
    const e = await rejectionOf(makeAuth(emu, clock).startLogin(LOCKED));
    expect(e.code).toBe('GARMIN_ACCOUNT_LOCKED');
  });

  it('captcha → GARMIN_CAPTCHA_REQUIRED', async () => {
    emu.setFaults({ captchaRequired: true });
    try {
      const before = emu.stats().logins;
      const e = await rejectionOf(makeAuth(emu, clock).startLogin(NOMFA));
      expect(e.code).toBe('GARMIN_CAPTCHA_REQUIRED');
      expect(emu.stats().logins - before).toBe(1);
    } finally {
      emu.setFaults({ captchaRequired: false });
    }
  });
});

describe('MFA', () => {
  it('right code: mfa_required, then completeMfa yields validated tokens', async () => {
    const auth = makeAuth(emu, clock);
    const out = await auth.startLogin(DEMO);
    expect(out.status).toBe('mfa_required');
    if (out.status !== 'mfa_required') return;
    expect(out.method).toBe('email');
    const code = emu.lastMfaCode(DEMO.username);
    expect(code).toMatch(/^\d{6}$/);
    const done = await auth.completeMfa(out.state, code!);
    expect(done.tokens.accessToken).toBeTruthy();
    expect(done.profile.userName).toBeTruthy();
  });

  it('the state is plain JSON and a new instance completes it; a wrong code first leaves it usable', async () => {
    const out = await makeAuth(emu, clock).startLogin(DEMO);
    if (out.status !== 'mfa_required') throw new Error('expected MFA');
    const wire = JSON.stringify(out.state);
    expect(wire).not.toContain(DEMO.password);
    const revived = JSON.parse(wire) as MfaState;
    const code = emu.lastMfaCode(DEMO.username)!;
    const wrong = code === '000000' ? '111111' : '000000';
    const other = makeAuth(emu, clock);
    expect((await rejectionOf(other.completeMfa(revived, wrong))).code).toBe('GARMIN_MFA_CODE_INVALID');
    const third = makeAuth(emu, clock);
    const done = await third.completeMfa(JSON.parse(wire) as MfaState, code);
    expect(done.profile.displayName).toBeTruthy();
  });

  it('an expired code → GARMIN_MFA_EXPIRED', async () => {
    const auth = makeAuth(emu, clock);
    const out = await auth.startLogin(DEMO);
    if (out.status !== 'mfa_required') throw new Error('expected MFA');
    const code = emu.lastMfaCode(DEMO.username)!;
    clock.advance(11 * 60_000);
    expect((await rejectionOf(auth.completeMfa(out.state, code))).code).toBe('GARMIN_MFA_EXPIRED');
  });

  it('too many wrong codes → GARMIN_MFA_EXPIRED, even for the right code afterwards', async () => {
    const auth = makeAuth(emu, clock);
    const out = await auth.startLogin(DEMO);
    if (out.status !== 'mfa_required') throw new Error('expected MFA');
    const code = emu.lastMfaCode(DEMO.username)!;
    const wrong = code === '000000' ? '111111' : '000000';
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) codes.push((await rejectionOf(auth.completeMfa(out.state, wrong))).code);
    expect(codes).toContain('GARMIN_MFA_EXPIRED');
    expect(codes[0]).toBe('GARMIN_MFA_CODE_INVALID');
    expect((await rejectionOf(auth.completeMfa(out.state, code))).code).toBe('GARMIN_MFA_EXPIRED');
  });
});
