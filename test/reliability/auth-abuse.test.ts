/**
 * Issue 7, item 4 — auth abuse. Proven in test/service/auth.test.ts (referenced, not repeated):
 * the 6th wrong MFA code kills the challenge (410), per-account and per-address login limits
 * answer 429 with Retry-After, a Garmin 429 at login opens the per-account circuit, JWTs with
 * `alg: none`, a wrong key, audience or issuer, and an expired token are refused. This file adds
 * what those leave open: forged tokens made *with the right key* (other algorithm, expired `exp`,
 * missing claims, another session's `sid`, an unknown `jti`, an `exp` other than the one issued), and the revoked-session bound
 * measured across two API processes sharing one database: the process that revokes refuses the
 * next request; another process, which may have checked the token within the last
 * REVOCATION_BOUND_MS (its verified-token cache), refuses it once that bound has passed on its
 * clock — never later (the injected clocks are moved, nothing sleeps).
 */
import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVOCATION_BOUND_MS } from '../../src/auth/index.js';
import { loginNoMfa, loginWithMfa, startHarness, type Harness } from '../service/harness.js';
import { SecretLedger, dialects } from './support.js';

describe.each(dialects())('auth abuse (%s)', (dialect) => {
  let a: Harness;
  let b: Harness;
  let key: Uint8Array;
  const ledger = new SecretLedger();
  ledger.secret('demo-password');

  beforeAll(async () => {
    a = await startHarness({ args: ['--api-only'], dialect });
    // A second API process on the same database, data dir (keys) and emulator.
    b = await startHarness({ args: ['--api-only'], emu: a.emu, dataDir: a.dataDir, database: a.database, dialect });
    key = Buffer.from(readFileSync(`${a.dataDir}/jwt.key`, 'utf8').trim(), 'base64url');
  });
  afterAll(async () => {
    ledger.record('service A logs', a.logs.join(''));
    ledger.record('service B logs', b.logs.join(''));
    await b?.close();
    await a?.close();
  });

  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

  it('refuses tokens forged with the right key: HS512, expired exp, missing claims, another session, unknown jti, a longer exp', async () => {
    const t = await loginNoMfa(a);
    const other = await loginWithMfa(a);
    ledger.tokens(t);
    ledger.tokens(other);
    const c = claimsOf(t.access_token);
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>, alg = 'HS256') => new SignJWT(claims).setProtectedHeader({ alg }).sign(key);
    const forged: [string, string][] = [
      ['HS512 with the right key', await sign(c, 'HS512')],
      ['exp in the past', await sign({ ...c, iat: now - 3600, exp: now - 1 })],
      ['no exp', await sign(Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'exp')))],
      ['no jti', await sign(Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'jti')))],
      ["another user's session id", await sign({ ...c, sid: other.session_id })],
      ["another user's subject", await sign({ ...c, sub: other.user_id })],
      ['an unknown token id', await sign({ ...c, jti: '00000000-0000-4000-8000-000000000000' })],
      // Issue 12.13: the expiry stored with the token row is checked against the JWT's `exp`.
      ['a longer exp than the one issued', await sign({ ...c, exp: (c.exp as number) + 30 * 24 * 3600 })],
    ];
    for (const [what, token] of forged) {
      const r = await a.api('GET', '/auth/session', { token });
      expect(r.status, what).toBe(401);
      expect(r.body.code, what).toBe('TOKEN_INVALID');
      expect(r.headers.get('content-type'), what).toContain('application/problem+json');
    }
    // Control: the real token still works on both processes.
    expect((await a.api('GET', '/auth/session', { token: t.access_token })).status).toBe(200);
    expect((await b.api('GET', '/auth/session', { token: t.access_token })).status).toBe(200);
  });

  it('a revoked session is refused at once by the revoking process and within the bound by every other', async () => {
    const paths = ['/auth/session', '/sync/jobs', '/activities'];
    const expectRevoked = async (h: Harness, token: string, what: string) => {
      for (const path of paths) {
        const r = await h.api('GET', path, { token });
        expect(r.status, `${what} ${path}`).toBe(401);
        expect(r.body.code, `${what} ${path}`).toBe('SESSION_REVOKED');
      }
    };
    const t = await loginNoMfa(a);
    ledger.tokens(t);
    // Both processes have checked (and may remember) the token just before the logout.
    for (const h of [a, b]) for (const path of paths) expect((await h.api('GET', path, { token: t.access_token })).status).toBe(200);
    expect((await a.api('POST', '/auth/logout', { token: t.access_token })).status).toBe(204);
    await expectRevoked(a, t.access_token, 'revoking process');
    b.clock.advance(REVOCATION_BOUND_MS);
    await expectRevoked(b, t.access_token, `other process after ${REVOCATION_BOUND_MS} ms`);

    // Refresh-token replay on A revokes a session whose access token B has just checked.
    const u = await loginNoMfa(a);
    ledger.tokens(u);
    const rotated = await b.api('POST', '/auth/refresh', { body: { refresh_token: u.refresh_token } });
    ledger.tokens(rotated.body);
    expect(rotated.status).toBe(200);
    for (const h of [a, b]) expect((await h.api('GET', '/sync/jobs', { token: rotated.body.access_token })).status).toBe(200);
    a.clock.advance(31_000); // past the refresh grace window
    expect((await a.api('POST', '/auth/refresh', { body: { refresh_token: u.refresh_token } })).body.code).toBe('REFRESH_TOKEN_REUSED');
    await expectRevoked(a, rotated.body.access_token, 'replay answered here');
    b.clock.advance(REVOCATION_BOUND_MS);
    await expectRevoked(b, rotated.body.access_token, `other process after ${REVOCATION_BOUND_MS} ms`);
  });

  it('no secret in the logs of either process', () => {
    ledger.record('service A logs', a.logs.join(''));
    ledger.record('service B logs', b.logs.join(''));
    ledger.expectClean();
  });
});
