import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginNoMfa, serviceDialects, startHarness, type Harness } from './harness.js';

describe.each(serviceDialects())('auth through the API with the real emulator (%s)', (dialect) => {
  let h: Harness;
  const secrets: string[] = ['demo-password'];
  beforeAll(async () => {
    h = await startHarness({ dialect });
  });
  afterAll(async () => {
    // No secret (password, MFA code, our tokens) may appear in any log line.
    const all = h.logs.join('');
    for (const s of secrets) expect(all.includes(s), 'a secret was logged').toBe(false);
    await h.close();
  });

  it('logs in without MFA and shows the session and token attributes', async () => {
    const t = await loginNoMfa(h);
    secrets.push(t.access_token, t.refresh_token);
    expect(t).toMatchObject({ status: 'authenticated', token_type: 'Bearer', expires_in: 900, mfa_verified: false });
    const s = await h.api('GET', '/auth/session', { token: t.access_token });
    expect(s.status).toBe(200);
    expect(s.body.session).toMatchObject({
      session_id: t.session_id,
      user_id: t.user_id,
      mfa_enabled: false,
      status: 'active',
      revoked_at: null,
    });
    expect(s.body.session.garmin.status).toBe('connected');
    expect(s.body.token).toMatchObject({ token_type: 'Bearer', mfa_verified: false, session_id: t.session_id, user_id: t.user_id });
    expect(s.body.token.expires_in).toBeGreaterThan(890);
    expect(s.body.token.last_used_at).not.toBeNull();
    expect(s.body.session.last_used_at).not.toBeNull();
    expect(JSON.stringify(s.body)).not.toContain(t.refresh_token);
  });

  it('logs in with MFA: challenge, wrong code with attempts left, then the right code', async () => {
    const r = await h.api('POST', '/auth/login', { body: { username: 'demo@example.com', password: 'demo-password' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'mfa_required', mfa_method: 'email', attempts_left: 5 });
    const code = h.emu.lastMfaCode('demo@example.com')!;
    secrets.push(code);
    const wrong = code === '000000' ? '111111' : '000000';
    const bad = await h.api('POST', '/auth/mfa', { body: { challenge_id: r.body.challenge_id, code: wrong } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body).toMatchObject({ code: 'MFA_CODE_INVALID', attempts_left: 4 });
    const ok = await h.api('POST', '/auth/mfa', { body: { challenge_id: r.body.challenge_id, code } });
    expect(ok.status).toBe(200);
    expect(ok.body.mfa_verified).toBe(true);
    secrets.push(ok.body.access_token, ok.body.refresh_token);
    const s = await h.api('GET', '/auth/session', { token: ok.body.access_token });
    expect(s.body.session.mfa_enabled).toBe(true);
    expect(s.body.token.mfa_verified).toBe(true);
    // A used challenge is gone.
    const again = await h.api('POST', '/auth/mfa', { body: { challenge_id: r.body.challenge_id, code } });
    expect(again.status).toBe(410);
    expect(again.body.code).toBe('MFA_CHALLENGE_GONE');
  });

  it('kills a challenge after 5 wrong codes (the 6th answer is 410)', async () => {
    const r = await h.api('POST', '/auth/login', { body: { username: 'demo@example.com', password: 'demo-password' } });
    const code = h.emu.lastMfaCode('demo@example.com')!;
    const wrong = code === '000000' ? '111111' : '000000';
    const left: number[] = [];
    for (let i = 0; i < 5; i++) {
      const bad = await h.api('POST', '/auth/mfa', { body: { challenge_id: r.body.challenge_id, code: wrong } });
      expect(bad.status).toBe(401);
      left.push(bad.body.attempts_left);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const sixth = await h.api('POST', '/auth/mfa', { body: { challenge_id: r.body.challenge_id, code } });
    expect(sixth.status).toBe(410);
    expect(sixth.body.code).toBe('MFA_CHALLENGE_GONE');
  });

  it('expires a challenge after 10 minutes', async () => {
    const r = await h.api('POST', '/auth/login', { body: { username: 'demo@example.com', password: 'demo-password' } });
    const code = h.emu.lastMfaCode('demo@example.com')!;
    h.clock.advance(10 * 60_000 + 1);
    try {
      const late = await h.api('POST', '/auth/mfa', { body: { challenge_id: r.body.challenge_id, code } });
      expect(late.status).toBe(410);
      expect(late.body.code).toBe('MFA_CHALLENGE_GONE');
    } finally {
      h.clock.advance(-(10 * 60_000 + 1));
    }
  });

  it('rotates refresh tokens; replaying a rotated one revokes the session (RFC 9700)', async () => {
    const t1 = await loginNoMfa(h);
    const r2 = await h.api('POST', '/auth/refresh', { body: { refresh_token: t1.refresh_token } });
    expect(r2.status).toBe(200);
    expect(r2.body.refresh_token).not.toBe(t1.refresh_token);
    expect(r2.body.session_id).toBe(t1.session_id);
    const r3 = await h.api('POST', '/auth/refresh', { body: { refresh_token: r2.body.refresh_token } });
    expect(r3.status).toBe(200);
    secrets.push(t1.refresh_token, r2.body.refresh_token, r3.body.refresh_token);
    // Replay of an old one after the grace window: the whole session dies, including the newest tokens.
    h.clock.advance(30_001);
    const replay = await h.api('POST', '/auth/refresh', { body: { refresh_token: t1.refresh_token } });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('REFRESH_TOKEN_REUSED');
    const newest = await h.api('POST', '/auth/refresh', { body: { refresh_token: r3.body.refresh_token } });
    expect(newest.status).toBe(401);
    expect(newest.body.code).toBe('SESSION_REVOKED');
    const access = await h.api('GET', '/auth/session', { token: r3.body.access_token });
    expect(access.status).toBe(401);
    expect(access.body.code).toBe('SESSION_REVOKED');
    const unknown = await h.api('POST', '/auth/refresh', { body: { refresh_token: 'x'.repeat(43) } });
    expect(unknown.body.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('slides the session by 30 days on each refresh, up to 365 days after the login', async () => {
    const DAY = 86_400_000;
    const t = await loginNoMfa(h);
    const start = h.clock.offset;
    const loginAt = Date.parse(t.refresh_expires_at) - 30 * DAY;
    expect(Date.parse(t.session_absolute_expires_at)).toBe(loginAt + 365 * DAY);
    try {
      let refresh = t.refresh_token;
      let last = t.refresh_expires_at;
      // Twelve refreshes 29 days apart: each moves the end forward, past the old 30-day limit.
      for (let i = 0; i < 12; i++) {
        h.clock.advance(29 * DAY);
        const r = await h.api('POST', '/auth/refresh', { body: { refresh_token: refresh } });
        expect(r.status, `refresh ${i}`).toBe(200);
        expect(Date.parse(r.body.refresh_expires_at)).toBeGreaterThan(Date.parse(last));
        expect(r.body.session_absolute_expires_at).toBe(t.session_absolute_expires_at);
        refresh = r.body.refresh_token;
        last = r.body.refresh_expires_at;
        secrets.push(refresh);
      }
      // Day 348: the idle end would be day 378, but the absolute maximum (day 365) holds.
      expect(Date.parse(last)).toBe(Date.parse(t.session_absolute_expires_at));
      h.clock.advance(16 * DAY);
      const r = await h.api('POST', '/auth/refresh', { body: { refresh_token: refresh } });
      secrets.push(r.body.refresh_token);
      const s = await h.api('GET', '/auth/session', { token: r.body.access_token });
      expect(s.body.session.absolute_expires_at).toBe(t.session_absolute_expires_at);
      expect(s.body.session.expires_at).toBe(t.session_absolute_expires_at);
      h.clock.advance(DAY + 1);
      const late = await h.api('POST', '/auth/refresh', { body: { refresh_token: r.body.refresh_token } });
      expect(late.status).toBe(401);
      expect(late.body.code).toBe('SESSION_EXPIRED');
    } finally {
      h.clock.offset = start;
    }
  });

  it('ends a session that is not refreshed for 30 days', async () => {
    const t = await loginNoMfa(h);
    const start = h.clock.offset;
    try {
      h.clock.advance(30 * 86_400_000 + 1);
      const late = await h.api('POST', '/auth/refresh', { body: { refresh_token: t.refresh_token } });
      expect(late.status).toBe(401);
      expect(late.body.code).toBe('SESSION_EXPIRED');
    } finally {
      h.clock.offset = start;
    }
  });

  it('grace window: a lost refresh answer does not log out (30 s); after it, reuse revokes', async () => {
    const t = await loginNoMfa(h);
    const start = h.clock.offset;
    try {
      const lost = await h.api('POST', '/auth/refresh', { body: { refresh_token: t.refresh_token } });
      expect(lost.status).toBe(200); // ... but the client never saw this answer
      h.clock.advance(29_000);
      const again = await h.api('POST', '/auth/refresh', { body: { refresh_token: t.refresh_token } });
      expect(again.status).toBe(200);
      expect(again.body.session_id).toBe(t.session_id);
      secrets.push(lost.body.refresh_token, again.body.refresh_token);
      expect((await h.api('GET', '/auth/session', { token: again.body.access_token })).body.session.status).toBe('active');
      h.clock.advance(1_001); // 30.001 s after the rotation
      const replay = await h.api('POST', '/auth/refresh', { body: { refresh_token: t.refresh_token } });
      expect(replay.status).toBe(401);
      expect(replay.body.code).toBe('REFRESH_TOKEN_REUSED');
      expect((await h.api('GET', '/auth/session', { token: again.body.access_token })).body.code).toBe('SESSION_REVOKED');
    } finally {
      h.clock.offset = start;
    }
  });

  it('two concurrent refreshes with the same token both succeed inside the grace window', async () => {
    const t = await loginNoMfa(h);
    const [a, b] = await Promise.all([
      h.api('POST', '/auth/refresh', { body: { refresh_token: t.refresh_token } }),
      h.api('POST', '/auth/refresh', { body: { refresh_token: t.refresh_token } }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.refresh_token).not.toBe(b.body.refresh_token);
  });

  it('logout revokes the session: access and refresh tokens stop working at once', async () => {
    const t = await loginNoMfa(h);
    const out = await h.api('POST', '/auth/logout', { token: t.access_token });
    expect(out.status).toBe(204);
    expect((await h.api('GET', '/auth/session', { token: t.access_token })).status).toBe(401);
    const r = await h.api('POST', '/auth/refresh', { body: { refresh_token: t.refresh_token } });
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('SESSION_REVOKED');
  });

  it('names the Garmin account (e-mail, display name) in the token answers and the session (issue 18.5)', async () => {
    const t = await h.api('POST', '/auth/login', { body: { username: 'NoMfa@Example.com', password: 'demo-password' } });
    secrets.push(t.body.access_token, t.body.refresh_token);
    expect(t.body.account).toMatchObject({ username: 'nomfa@example.com' });
    expect(t.body.account.display_name === null || typeof t.body.account.display_name === 'string').toBe(true);
    const s = await h.api('GET', '/auth/session', { token: t.body.access_token });
    expect(s.body.session.account).toEqual(t.body.account);
    const r = await h.api('POST', '/auth/refresh', { body: { refresh_token: t.body.refresh_token } });
    secrets.push(r.body.access_token, r.body.refresh_token);
    expect(r.body.account).toEqual(t.body.account);
  });

  it('refuses an expired access token, and tokens with alg none, a wrong key, audience or issuer', async () => {
    const t = await loginNoMfa(h);
    h.clock.advance(15 * 60_000 + 1000);
    try {
      const expired = await h.api('GET', '/auth/session', { token: t.access_token });
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe('TOKEN_INVALID');
    } finally {
      h.clock.advance(-(15 * 60_000 + 1000));
    }
    const [header, payload] = t.access_token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const wrongKey = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32).fill(7));
    const { readFileSync } = await import('node:fs');
    const key = Buffer.from(readFileSync(`${h.dataDir}/jwt.key`, 'utf8').trim(), 'base64url');
    const wrongAud = await new SignJWT({ ...claims, aud: 'someone-else' }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    const wrongIss = await new SignJWT({ ...claims, iss: 'evil' }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    const rightAgain = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);
    for (const bad of [none, wrongKey, wrongAud, wrongIss, `${header}.${payload}.AAAA`]) {
      const r = await h.api('GET', '/auth/session', { token: bad });
      expect(r.status, bad.slice(0, 20)).toBe(401);
      expect(r.body.code).toBe('TOKEN_INVALID');
    }
    // Control: the same claims with the right key and settings are accepted.
    expect((await h.api('GET', '/auth/session', { token: rightAgain })).status).toBe(200);
    expect((await h.api('GET', '/auth/session')).body.code).toBe('UNAUTHENTICATED');
  });

  it('answers problem+json for invalid input, bad JSON and oversized bodies', async () => {
    const missing = await h.api('POST', '/auth/login', { body: { username: 'x@example.com' } });
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    const badJson = await h.api('POST', '/auth/login', { raw: '{"username":' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.code).toBe('VALIDATION_FAILED');
    const huge = await h.api('POST', '/auth/login', { raw: JSON.stringify({ username: 'a@b.c', password: 'x'.repeat(200_000) }) });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    const nowhere = await h.api('GET', '/nowhere');
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.code).toBe('NOT_FOUND');
    for (const r of [missing, badJson, huge, nowhere]) expect(r.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('rate-limits failed logins per account and address with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 11; i++) {
      last = await h.api('POST', '/auth/login', { body: { username: 'ghost@example.com', password: 'wrong-password' } });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(last!.body.code).toBe('RATE_LIMITED');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('rate-limits logins per client address across accounts', async () => {
    // 30 per address per window; earlier tests of this file used some of this address's budget.
    let last;
    for (let i = 0; i < 31; i++) {
      last = await h.api('POST', '/auth/login', { body: { username: `user${i}@example.com`, password: 'wrong-password' } });
      if (last.status === 429) break;
    }
    expect(last!.status).toBe(429);
    expect(last!.body.code).toBe('RATE_LIMITED');
    // The window passes: the address may try again.
    h.clock.advance(15 * 60_000 + 1);
    try {
      const again = await h.api('POST', '/auth/login', { body: { username: 'someone@example.com', password: 'wrong-password' } });
      expect(again.status).toBe(401);
    } finally {
      h.clock.advance(-(15 * 60_000 + 1));
    }
  });

  it('opens a per-account circuit after a Garmin 429 at login, without further Garmin logins', async () => {
    const existing = await loginNoMfa(h);
    h.emu.setFaults({ loginRateLimited: true });
    try {
      const first = await h.api('POST', '/auth/login', { body: { username: 'nomfa@example.com', password: 'demo-password' } });
      expect(first.status).toBe(503);
      expect(first.body.code).toBe('GARMIN_RATE_LIMITED');
      // The open circuit is visible in the session view of the account.
      const view = await h.api('GET', '/auth/session', { token: existing.access_token });
      expect(Date.parse(view.body.session.garmin.circuit_open_until)).toBeGreaterThan(Date.now());
      const loginsBefore = h.emu.stats().logins;
      const second = await h.api('POST', '/auth/login', { body: { username: 'nomfa@example.com', password: 'demo-password' } });
      expect(second.status).toBe(503);
      expect(second.body.code).toBe('GARMIN_CIRCUIT_OPEN');
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(h.emu.stats().logins).toBe(loginsBefore);
    } finally {
      h.emu.setFaults({ loginRateLimited: false });
    }
    // After the cool-down the account can log in again; the circuit is then closed.
    h.clock.advance(6 * 60 * 60_000);
    try {
      const t = await loginNoMfa(h);
      const s = await h.api('GET', '/auth/session', { token: t.access_token });
      expect(s.body.session.garmin.circuit_open_until).toBeNull();
    } finally {
      h.clock.advance(-(6 * 60 * 60_000));
    }
  });
});

describe.each(serviceDialects())('allow-list (%s)', (dialect) => {
  it('refuses an unlisted Garmin account before contacting Garmin, with the very answer a wrong password gets', async () => {
    const h = await startHarness({ args: ['--allow-users', 'nomfa@example.com'], dialect });
    try {
      const before = h.emu.stats().logins;
      const unlisted = await h.api('POST', '/auth/login', { body: { username: 'demo@example.com', password: 'demo-password' } });
      expect(h.emu.stats().logins).toBe(before);
      const wrong = await h.api('POST', '/auth/login', { body: { username: 'nomfa@example.com', password: 'wrong-password' } });
      // Nothing in the answer tells the two apart (issue 12.13: it was 403 USER_NOT_ALLOWED vs 401).
      expect(unlisted.status).toBe(401);
      expect(unlisted.body).toEqual(wrong.body);
      expect(unlisted.headers.get('content-type')).toBe(wrong.headers.get('content-type'));
      expect(unlisted.body.code).toBe('GARMIN_INVALID_CREDENTIALS');
      // The operator still learns why.
      const line = h.logs.find((l) => l.includes('not on the allow-list'));
      expect(line).toBeDefined();
      expect(line).toContain('demo@example.com');
      // Token import without a session: an unlisted name and a listed one get the same answer
      // for the same (unusable) token file.
      const imports = await Promise.all(
        ['demo@example.com', 'nomfa@example.com'].map((username) =>
          h.api('POST', '/auth/import', { body: { username, tokens: { nonsense: true } } }),
        ),
      );
      expect(imports[0]!.status).toBe(imports[1]!.status);
      expect(imports[0]!.body).toEqual(imports[1]!.body);
      await loginNoMfa(h, 'NoMfa@Example.com');
    } finally {
      await h.close();
    }
  });
});

describe.each(serviceDialects())('two API processes sharing one database (%s)', (dialect) => {
  it('takes the MFA code on the other process, and a refresh-token replay there revokes the session here', async () => {
    const a = await startHarness({ args: ['--api-only'], dialect });
    const b = await startHarness({ args: ['--api-only'], emu: a.emu, dataDir: a.dataDir, database: a.database });
    try {
      const r = await a.api('POST', '/auth/login', { body: { username: 'demo@example.com', password: 'demo-password' } });
      expect(r.body.status).toBe('mfa_required');
      const done = await b.api('POST', '/auth/mfa', {
        body: { challenge_id: r.body.challenge_id, code: a.emu.lastMfaCode('demo@example.com') },
      });
      expect(done.status).toBe(200);
      const rotated = await a.api('POST', '/auth/refresh', { body: { refresh_token: done.body.refresh_token } });
      expect(rotated.status).toBe(200);
      a.clock.advance(31_000);
      b.clock.advance(31_000);
      const replay = await b.api('POST', '/auth/refresh', { body: { refresh_token: done.body.refresh_token } });
      expect(replay.body.code).toBe('REFRESH_TOKEN_REUSED');
      expect((await a.api('GET', '/auth/session', { token: rotated.body.access_token })).body.code).toBe('SESSION_REVOKED');
    } finally {
      await b.close();
      await a.close();
    }
  });
});

describe('behind a trusted proxy', () => {
  it('keys the per-address login limit on X-Forwarded-For from the trusted proxy', async () => {
    const h = await startHarness({ args: ['--api-only', '--trust-proxy', 'loopback'] });
    try {
      const from = (ip: string, i: number) =>
        h.api('POST', '/auth/login', {
          body: { username: `p${i}@example.com`, password: 'wrong-password' },
          headers: { 'x-forwarded-for': ip },
        });
      for (let i = 0; i < 30; i++) expect((await from('203.0.113.1', i)).status).toBe(401);
      expect((await from('203.0.113.1', 30)).status).toBe(429);
      expect((await from('203.0.113.2', 31)).status).toBe(401); // another client behind the same proxy
    } finally {
      await h.close();
    }
  });
});
