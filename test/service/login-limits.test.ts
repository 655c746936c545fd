/**
 * Issue 12.5: the login and MFA limits slow a guesser without locking the owner out. Client
 * addresses are simulated with X-Forwarded-For from a trusted (loopback) proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceDialects, startHarness, type Harness } from './harness.js';

const WINDOW_MS = 15 * 60_000;

describe.each(serviceDialects())('login limits do not lock the owner out (%s)', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ args: ['--api-only', '--trust-proxy', 'loopback'], dialect });
  });
  afterAll(async () => {
    await h.close();
  });
  // Each test starts in a fresh window of its own.
  const nextWindow = () => h.clock.advance(WINDOW_MS + 1);

  const login = (username: string, password: string, from: string) =>
    h.api('POST', '/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': from } });
  const mfa = (challenge_id: string, code: string, from: string) =>
    h.api('POST', '/auth/mfa', { body: { challenge_id, code }, headers: { 'x-forwarded-for': from } });
  const wrongCode = (code: string) => (code === '000000' ? '111111' : '000000');

  it("an attacker's wrong passwords from one address: that address is slowed, the owner elsewhere logs in", async () => {
    nextWindow();
    const attacker: number[] = [];
    for (let i = 0; i < 12; i++) attacker.push((await login('nomfa@example.com', 'wrong-password', '198.51.100.7')).status);
    expect(attacker.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(attacker.slice(10)).toEqual([429, 429]);
    // Before issue 12.5 the owner got 429 here for 15 minutes.
    const owner = await login('nomfa@example.com', 'demo-password', '203.0.113.5');
    expect(owner.status).toBe(200);
    expect(owner.body.status).toBe('authenticated');
    // The attacker's address is still refused for this account.
    expect((await login('nomfa@example.com', 'demo-password', '198.51.100.7')).status).toBe(429);
  });

  it('counts an IPv6 /64 as one address', async () => {
    nextWindow();
    const statuses: number[] = [];
    for (let i = 1; i <= 11; i++)
      statuses.push((await login('nomfa@example.com', 'wrong-password', `2001:db8:1:2::${i.toString(16)}`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect((await login('nomfa@example.com', 'wrong-password', '2001:db8:1:3::1')).status).toBe(401);
  });

  it("the owner's correct logins do not count as failures", async () => {
    nextWindow();
    for (let i = 0; i < 12; i++) expect((await login('nomfa@example.com', 'demo-password', '203.0.113.9')).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await login('nomfa@example.com', 'wrong-password', '203.0.113.9')).status).toBe(401);
    expect((await login('nomfa@example.com', 'wrong-password', '203.0.113.9')).status).toBe(429);
  });

  it('a distributed guesser meets the much higher per-account ceiling (100 failures)', async () => {
    nextWindow();
    for (let a = 0; a < 10; a++) {
      for (let i = 0; i < 10; i++) expect((await login('nomfa@example.com', 'wrong-password', `192.0.2.${a + 1}`)).status).toBe(401);
    }
    const beyond = await login('nomfa@example.com', 'wrong-password', '192.0.2.200');
    expect(beyond.status).toBe(429);
    expect(beyond.body.code).toBe('RATE_LIMITED');
    expect(beyond.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(beyond.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account is not affected.
    expect((await login('demo@example.com', 'wrong-password', '192.0.2.201')).status).toBe(401);
  });

  it('submissions against dead challenges count nothing; the owner’s right code works', async () => {
    nextWindow();
    const dead = await login('demo@example.com', 'demo-password', '203.0.113.20');
    expect(dead.body.status).toBe('mfa_required');
    expect((await mfa(dead.body.challenge_id, h.emu.lastMfaCode('demo@example.com')!, '203.0.113.20')).status).toBe(200);
    // 70 submissions against the used challenge, from the owner's own address even (the
    // per-address MFA limit is 60): each answers 410 and counts nothing.
    for (let i = 0; i < 70; i++) expect((await mfa(dead.body.challenge_id, '123456', '203.0.113.20')).status).toBe(410);
    const live = await login('demo@example.com', 'demo-password', '203.0.113.20');
    const ok = await mfa(live.body.challenge_id, h.emu.lastMfaCode('demo@example.com')!, '203.0.113.20');
    expect(ok.status).toBe(200);
    expect(ok.body.mfa_verified).toBe(true);
  });

  it("wrong codes on other live challenges of the account do not make the owner's right code fail", async () => {
    nextWindow();
    // Someone holding the password opens challenges from their address and sends wrong codes.
    for (let c = 0; c < 5; c++) {
      const r = await login('demo@example.com', 'demo-password', '198.51.100.30');
      const code = h.emu.lastMfaCode('demo@example.com')!;
      for (let i = 0; i < 5; i++) expect((await mfa(r.body.challenge_id, wrongCode(code), '198.51.100.30')).status).toBe(401);
    }
    const owner = await login('demo@example.com', 'demo-password', '203.0.113.21');
    const ok = await mfa(owner.body.challenge_id, h.emu.lastMfaCode('demo@example.com')!, '203.0.113.21');
    expect(ok.status).toBe(200);
  });

  it('slows an address that submits many codes against live challenges', async () => {
    nextWindow();
    const statuses: number[] = [];
    for (let c = 0; c < 13 && !statuses.includes(429); c++) {
      const r = await login('demo@example.com', 'demo-password', '198.51.100.40');
      const code = h.emu.lastMfaCode('demo@example.com')!;
      for (let i = 0; i < 5; i++) statuses.push((await mfa(r.body.challenge_id, wrongCode(code), '198.51.100.40')).status);
    }
    expect(statuses.indexOf(429)).toBe(60);
  });
});
