import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/index.js';
import { startEmulator, type RunningEmulator } from '../index.js';
import { ANDROID_SERVICE, Jar, LOGIN_QUERY, loginBody, mfaBody, readJson } from '../testing/sso-client.js';

const TICKET = /^ST-\d{7}-[A-Za-z0-9]{20}-sso$/;
const JSON_HEADERS = { 'content-type': 'application/json' };

describe('mobile and portal JSON SSO', () => {
  const clock = new FakeClock(Date.UTC(2026, 10, 27, 12));
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ clock, activities: 3, days: 3, workouts: 1 });
  });
  afterAll(() => emu.close());

  const post = (jar: Jar, path: string, body: string) => jar.fetch(`${emu.url}${path}`, { method: 'POST', headers: JSON_HEADERS, body });

  it('bootstraps the session cookies on the sign-in page', async () => {
    const jar = new Jar();
    const res = await jar.fetch(`${emu.url}/mobile/sso/en/sign-in?clientId=GCM_ANDROID_DARK`, {
      headers: { referer: 'x', authorization: 'Bearer stray' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html;charset=UTF-8');
    expect(await res.text()).toContain('<title>Garmin SSO Portal</title>');
    expect([...jar.cookies.keys()].sort()).toEqual(['SESSION', '__VCAP_ID__', '__cf_bm', '__cflb', '_cfuvid'].sort());
  });

  it('logs in without MFA: 200 SUCCESSFUL, a -sso ticket and the CAS cookies', async () => {
    const jar = new Jar();
    await jar.fetch(`${emu.url}/mobile/sso/en/sign-in?clientId=GCM_ANDROID_DARK`);
    const res = await post(jar, `/mobile/api/login?${LOGIN_QUERY}`, loginBody('nomfa@example.com'));
    expect(res.status).toBe(200);
    const body = await readJson(res);
    expect(body).toEqual({
      serviceURL: ANDROID_SERVICE,
      serviceTicketId: expect.stringMatching(TICKET),
      responseStatus: { type: 'SUCCESSFUL', message: '', httpStatus: 'OK' },
      responseReason: null,
      customerMfaInfo: null,
      consentTypeList: null,
      captchaAlreadyPassed: false,
      samlResponse: null,
      authType: 'CAS',
    });
    for (const c of ['CASTGC', 'GARMIN-SSO', 'GARMIN-SSO-CUST-GUID', 'GMN_TRACKABLE']) expect(jar.cookies.has(c)).toBe(true);
  });

  it('answers 401 INVALID_USERNAME_PASSWORD for a wrong password or unknown user', async () => {
    for (const [user, pw] of [
      ['nomfa@example.com', 'nope'],
      ['nobody@example.com', 'demo-password'],
    ] as const) {
      const res = await post(new Jar(), `/mobile/api/login?${LOGIN_QUERY}`, loginBody(user, pw));
      expect(res.status).toBe(401);
      const body = await readJson(res);
      expect(body.responseStatus).toEqual({
        type: 'INVALID_USERNAME_PASSWORD',
        message: 'generalLoginInvalidUsernameOrPassword',
        httpStatus: 'UNAUTHORIZED',
      });
      expect(body.serviceTicketId).toBeNull();
    }
  });

  it('refuses the locked account with 401 ACCOUNT_LOCKED', async () => {
    const res = await post(new Jar(), `/mobile/api/login?${LOGIN_QUERY}`, loginBody('locked@example.com'));
    expect(res.status).toBe(401);
    expect((await readJson(res)).responseStatus).toEqual({
      type: 'ACCOUNT_LOCKED',
      message: 'generalLoginMobileAccountLocked',
      httpStatus: 'UNAUTHORIZED',
    });
  });

  it('answers CAPTCHA_REQUIRED on a 200 while the fault is on', async () => {
    emu.setFaults({ captchaRequired: true });
    try {
      const res = await post(new Jar(), `/mobile/api/login?${LOGIN_QUERY}`, loginBody('nomfa@example.com'));
      expect(res.status).toBe(200);
      expect((await readJson(res)).responseStatus.type).toBe('CAPTCHA_REQUIRED');
    } finally {
      emu.setFaults({ captchaRequired: false });
    }
  });

  it('answers 429 on login endpoints while loginRateLimited is on, and counts logins', async () => {
    const before = emu.stats().logins;
    emu.setFaults({ loginRateLimited: true });
    try {
      const res = await post(new Jar(), `/portal/api/login?${LOGIN_QUERY}`, loginBody('nomfa@example.com'));
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await readJson(res)).toEqual({ error: { 'status-code': '429' } });
    } finally {
      emu.setFaults({ loginRateLimited: false });
    }
    expect(emu.stats().logins).toBe(before + 1);
  });

  it('asks for MFA, sends a 6-digit code to the outbox, and accepts it with the same session', async () => {
    const jar = new Jar();
    await jar.fetch(`${emu.url}/mobile/sso/en/sign-in?clientId=GCM_ANDROID_DARK`);
    const res = await post(jar, `/mobile/api/login?${LOGIN_QUERY}`, loginBody('demo@example.com'));
    expect(res.status).toBe(200);
    const body = await readJson(res);
    expect(body.responseStatus).toEqual({ type: 'MFA_REQUIRED', message: '', httpStatus: 'OK' });
    expect(body.serviceTicketId).toBeNull();
    expect(body.authType).toBeNull();
    expect(body.consentTypeList).toEqual([]);
    expect(body.customerMfaInfo).toEqual({
      email: 'de*****@example.com',
      phoneNumber: null,
      mfaLastMethodUsed: 'email',
      defaultMfaMethod: null,
      mfaUISetting: { allowPhoneOption: true, allowAddEmailAddress: false, chooseDifferentWayShown: false },
    });
    const code = emu.lastMfaCode('demo@example.com')!;
    expect(code).toMatch(/^\d{6}$/);
    const outbox = await fetch(`${emu.url}/__emulator/mfa-code?username=demo@example.com`);
    expect(await readJson(outbox)).toEqual({ username: 'demo@example.com', code });

    // The code alone is useless: a different session cannot use it.
    const stranger = await post(new Jar(), `/mobile/api/mfa/verifyCode?${LOGIN_QUERY}`, mfaBody(code));
    expect(stranger.status).toBe(401);
    expect((await readJson(stranger)).responseStatus.type).toBe('SESSION_EXPIRED');

    const ok = await post(jar, `/mobile/api/mfa/verifyCode?${LOGIN_QUERY}`, mfaBody(code));
    expect(ok.status).toBe(200);
    expect(await readJson(ok)).toEqual({
      serviceURL: ANDROID_SERVICE,
      serviceTicketId: expect.stringMatching(TICKET),
      responseStatus: { type: 'SUCCESSFUL', message: '', httpStatus: 'OK' },
      responseReason: null,
      samlResponse: null,
      authType: 'CAS',
    });
    expect(jar.cookies.has('CASTGC')).toBe(true);
    // The code is spent with the step.
    const again = await post(jar, `/mobile/api/mfa/verifyCode?${LOGIN_QUERY}`, mfaBody(code));
    expect(again.status).toBe(401);
  });

  it('gives a new code per login and gives the SESSION cookie to clients that skipped the page', async () => {
    const jar = new Jar();
    await post(jar, `/mobile/api/login?${LOGIN_QUERY}`, loginBody('demo@example.com'));
    expect(jar.cookies.has('SESSION')).toBe(true);
    const first = emu.lastMfaCode('demo@example.com');
    await post(jar, `/mobile/api/login?${LOGIN_QUERY}`, loginBody('demo@example.com'));
    const second = emu.lastMfaCode('demo@example.com')!;
    expect(second).not.toBe(first);
    const ok = await post(jar, `/mobile/api/mfa/verifyCode?${LOGIN_QUERY}`, mfaBody(second));
    expect((await readJson(ok)).responseStatus.type).toBe('SUCCESSFUL');
  });

  it('answers MFA_CODE_INVALID for a wrong code or method, then MFA_CODE_MAX_ATTEMPTS after 5 tries', async () => {
    const jar = new Jar();
    await post(jar, `/mobile/api/login?${LOGIN_QUERY}`, loginBody('demo@example.com'));
    const code = emu.lastMfaCode('demo@example.com')!;
    const wrong = code === '000000' ? '111111' : '000000';
    const r1 = await post(jar, `/mobile/api/mfa/verifyCode?${LOGIN_QUERY}`, mfaBody(wrong));
    expect(r1.status).toBe(200);
    expect((await readJson(r1)).responseStatus).toEqual({ type: 'MFA_CODE_INVALID', message: 'codeEntryInvalid', httpStatus: 'OK' });
    const r2 = await post(jar, `/mobile/api/mfa/verifyCode?${LOGIN_QUERY}`, mfaBody(code, 'phone'));
    expect((await readJson(r2)).responseStatus.type).toBe('MFA_CODE_INVALID');
    for (let i = 0; i < 2; i++) await post(jar, `/mobile/api/mfa/verifyCode?${LOGIN_QUERY}`, mfaBody(wrong));
    const last = await post(jar, `/mobile/api/mfa/verifyCode?${LOGIN_QUERY}`, mfaBody(wrong));
    expect((await readJson(last)).responseStatus).toEqual({
      type: 'MFA_CODE_MAX_ATTEMPTS',
      message: 'codeEntryMaxLimit',
      httpStatus: 'OK',
    });
    // Even the right code no longer works for that login.
    const late = await post(jar, `/mobile/api/mfa/verifyCode?${LOGIN_QUERY}`, mfaBody(code));
    expect(late.status).toBe(401);
  });

  it('expires codes after 10 minutes (MFA_CODE_EXPIRED)', async () => {
    const jar = new Jar();
    await post(jar, `/portal/api/login?${LOGIN_QUERY}`, loginBody('demo@example.com'));
    const code = emu.lastMfaCode('demo@example.com')!;
    clock.advance(10 * 60_000 + 1);
    const res = await post(jar, `/portal/api/mfa/verifyCode?${LOGIN_QUERY}`, mfaBody(code));
    expect(res.status).toBe(200);
    expect((await readJson(res)).responseStatus).toEqual({ type: 'MFA_CODE_EXPIRED', message: 'codeEntryExpired', httpStatus: 'OK' });
  });

  it('serves the portal variants and the backend-pinning GET', async () => {
    const jar = new Jar();
    const page = await jar.fetch(`${emu.url}/portal/sso/en-US/sign-in?clientId=GarminConnect&service=https://connect.garmin.com/app`);
    expect(page.status).toBe(200);
    const service = 'https://connect.garmin.com/app';
    const res = await post(
      jar,
      `/portal/api/login?clientId=GarminConnect&locale=en-US&service=${encodeURIComponent(service)}`,
      loginBody('nomfa@example.com'),
    );
    const body = await readJson(res);
    expect(body.serviceURL).toBe(service);
    expect(body.serviceTicketId).toMatch(TICKET);
    const pin = await jar.fetch(`${emu.url}/portal/sso/embed`, { headers: { referer: `${emu.url}/portal/api/login` } });
    expect(pin.status).toBe(200);
    expect(pin.headers.get('content-type')).toBe('text/html;charset=UTF-8');
    expect(await pin.text()).toBe('');
  });

  it('answers 400 to a login without service or body', async () => {
    const noService = await post(new Jar(), '/mobile/api/login?clientId=GCM_ANDROID_DARK', loginBody('nomfa@example.com'));
    expect(noService.status).toBe(400);
    const noBody = await post(new Jar(), `/mobile/api/login?${LOGIN_QUERY}`, 'not json');
    expect(noBody.status).toBe(400);
  });
});
