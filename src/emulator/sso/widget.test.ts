import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../index.js';
import { bearerProbe } from '../testing/probe-route.js';
import { diTicketGrant, Jar, readJson, signedFetch } from '../testing/sso-client.js';

const EMBED = 'https://sso.garmin.com/sso/embed';
const CSRF = /name="_csrf"\s+value="(.+?)"/;
const TITLE = /<title>(.+?)<\/title>/;
const TICKET = /embed\?ticket=([^"]+)"/;

function signinQuery(): string {
  return new URLSearchParams({
    id: 'gauth-widget',
    embedWidget: 'true',
    gauthHost: EMBED,
    service: EMBED,
    source: EMBED,
    redirectAfterAccountLoginUrl: EMBED,
    redirectAfterAccountCreationUrl: EMBED,
  }).toString();
}

describe('generation A: the legacy HTML widget', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ activities: 1, days: 1, workouts: 0, extraRoutes: [bearerProbe] });
  });
  afterAll(() => emu.close());

  async function signinPage(jar: Jar): Promise<string> {
    const embed = await jar.fetch(`${emu.url}/sso/embed?id=gauth-widget&embedWidget=true&gauthHost=${emu.url}/sso`);
    expect(TITLE.exec(await embed.text())?.[1]).toBe('GAuth Embedded Version');
    const page = await jar.fetch(`${emu.url}/sso/signin?${signinQuery()}`);
    const html = await page.text();
    expect(TITLE.exec(html)?.[1]).toBe('GARMIN Authentication Application');
    return CSRF.exec(html)![1]!;
  }

  const submit = (jar: Jar, path: string, form: Record<string, string>) =>
    jar.fetch(`${emu.url}${path}?${signinQuery()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  it('signs in without MFA: title "Success" and a -cas ticket in the embed link', async () => {
    const jar = new Jar();
    const csrf = await signinPage(jar);
    expect(csrf).toMatch(/^[0-9A-F]{32,}$/);
    const res = await submit(jar, '/sso/signin', { username: 'nomfa@example.com', password: 'demo-password', embed: 'true', _csrf: csrf });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(TITLE.exec(html)?.[1]).toBe('Success');
    expect(TICKET.exec(html)?.[1]).toMatch(/^ST-\d{7}-[A-Za-z0-9]{20}-cas$/);
  });

  it('answers 401 with status FAIL for bad credentials, 403 without the CSRF token', async () => {
    const jar = new Jar();
    const csrf = await signinPage(jar);
    const bad = await submit(jar, '/sso/signin', { username: 'nomfa@example.com', password: 'x', embed: 'true', _csrf: csrf });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('var status = "FAIL"');
    const noCsrf = await submit(jar, '/sso/signin', { username: 'nomfa@example.com', password: 'demo-password', embed: 'true' });
    expect(noCsrf.status).toBe(403);
  });

  it('goes through the MFA page (302, inline vars, wrong code re-renders) to a ticket', async () => {
    const jar = new Jar();
    const csrf = await signinPage(jar);
    const res = await submit(jar, '/sso/signin', { username: 'demo@example.com', password: 'demo-password', embed: 'true', _csrf: csrf });
    expect(res.status).toBe(302);
    const mfaPage = await jar.fetch(res.headers.get('location')!);
    const html = await mfaPage.text();
    expect(TITLE.exec(html)?.[1]).toBe('Enter MFA code for login');
    expect(html).toMatch(/var\s+mfaMethod\s*=\s*"email"\s*;/);
    expect(html).toMatch(/var\s+codeSentTo\s*=\s*"de\*\*\*\*\*@example\.com"\s*;/);
    const mfaCsrf = CSRF.exec(html)![1]!;
    const code = emu.lastMfaCode('demo@example.com')!;

    const wrong = await submit(jar, '/sso/verifyMFA/loginEnterMfaCode', {
      'mfa-code': code === '000000' ? '111111' : '000000',
      embed: 'true',
      _csrf: mfaCsrf,
      fromPage: 'setupEnterMfaCode',
    });
    expect(wrong.status).toBe(200);
    const again = await wrong.text();
    expect(TITLE.exec(again)?.[1]).toBe('Enter MFA code for login');

    const ok = await submit(jar, '/sso/verifyMFA/loginEnterMfaCode', {
      'mfa-code': code,
      embed: 'true',
      _csrf: CSRF.exec(again)![1]!,
      fromPage: 'setupEnterMfaCode',
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toMatch(/\/sso\/login\?logintoken=[A-Za-z0-9]{10}&/);
    const done = await jar.fetch(ok.headers.get('location')!);
    const final = await done.text();
    expect(TITLE.exec(final)?.[1]).toBe('Success');
    expect(jar.cookies.has('CASTGC')).toBe(true);
    const ticket = TICKET.exec(final)![1]!;

    // Garmin since 2026: preauthorized refuses embed tickets; DI tokens from them are "not active".
    const pre = await signedFetch(
      emu,
      'GET',
      `/oauth-service/oauth/preauthorized?ticket=${ticket}&login-url=${EMBED}&accepts-mfa-tokens=true`,
    );
    expect(pre.status).toBe(401);
  });

  it('mints DI tokens from widget tickets that the API refuses as "not active"', async () => {
    const jar = new Jar();
    const csrf = await signinPage(jar);
    const html = await (
      await submit(jar, '/sso/signin', { username: 'nomfa@example.com', password: 'demo-password', embed: 'true', _csrf: csrf })
    ).text();
    const ticket = TICKET.exec(html)![1]!;
    const res = await diTicketGrant(emu, ticket, EMBED);
    expect(res.status).toBe(200);
    const token = (await readJson(res)).access_token as string;
    const probe = await fetch(`${emu.url}/test-probe/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(probe.status).toBe(401);
    expect(probe.headers.get('www-authenticate')).toContain('Token is not active');
  });

  it('is absent when legacyWidget is off', async () => {
    const off = await startEmulator({ activities: 1, days: 1, workouts: 0, legacyWidget: false });
    try {
      expect((await fetch(`${off.url}/sso/signin`)).status).toBe(501);
    } finally {
      await off.close();
    }
  });
});
