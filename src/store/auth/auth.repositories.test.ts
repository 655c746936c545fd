import { afterEach, describe, expect, it } from 'vitest';
import { testDialects, type TestDatabase } from '../testing/dialects.js';
import { createAuthRepositories } from './auth.repositories.js';

describe.each(testDialects())('auth repositories on $name', ({ open }) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function setup() {
    t = await open();
    const repos = createAuthRepositories(t.db);
    const user = await repos.users.upsert({ newId: 'u1', username: 'Demo@Example.com', displayName: 'demo', profileId: 7 }, 1000);
    const session = await repos.sessions.create({
      session_id: 's1',
      user_id: user.user_id,
      refresh_token_hash: 'h1',
      expires_at: 10_000,
      mfa_enabled: 1,
      created_at: 1000,
    });
    return { repos, user, session };
  }

  it('upserts users by lower-cased e-mail keeping the first id', async () => {
    const { repos } = await setup();
    const again = await repos.users.upsert({ newId: 'u2', username: 'demo@example.com', displayName: 'renamed', profileId: 7 }, 2000);
    expect(again.user_id).toBe('u1');
    expect(again.display_name).toBe('renamed');
    expect(again.created_at).toBe(1000);
  });

  const noGrace = { idleMs: 5000, graceMs: 0 };

  it('rotates a refresh hash once; the old hash then reads as reused', async () => {
    const { repos } = await setup();
    const r1 = await repos.sessions.rotate('h1', 'h2', 2000, noGrace);
    expect(r1.kind).toBe('rotated');
    expect(await repos.sessions.rotate('h1', 'h3', 2001, noGrace)).toEqual({ kind: 'reused', sessionId: 's1' });
    expect(await repos.sessions.rotate('nope', 'h4', 2002, noGrace)).toEqual({ kind: 'unknown' });
    await repos.sessions.revoke('s1', 'test', 3000);
    const r2 = await repos.sessions.rotate('h2', 'h5', 3001, noGrace);
    expect(r2.kind).toBe('inactive');
  });

  it('slides expires_at by the idle window on each rotation, never past the absolute end', async () => {
    const { repos } = await setup(); // expires_at 10 000 = absolute end (no absolute given)
    const r1 = await repos.sessions.rotate('h1', 'h2', 2000, { idleMs: 3000, graceMs: 0 });
    expect(r1.kind === 'rotated' && [r1.session.expires_at, r1.session.absolute_expires_at]).toEqual([5000, 10_000]);
    const r2 = await repos.sessions.rotate('h2', 'h3', 4000, { idleMs: 3000, graceMs: 0 });
    expect(r2.kind === 'rotated' && r2.session.expires_at).toBe(7000);
    const r3 = await repos.sessions.rotate('h3', 'h4', 8000, { idleMs: 3000, graceMs: 0 });
    expect(r3.kind).toBe('inactive'); // idle since 4000: ended at 7000
    await repos.sessions.rotate('h3', 'h4', 6500, { idleMs: 3000, graceMs: 0 });
    const r4 = await repos.sessions.rotate('h4', 'h5', 9000, { idleMs: 3000, graceMs: 0 });
    expect(r4.kind === 'rotated' && r4.session.expires_at).toBe(10_000); // capped by the absolute end
    expect((await repos.sessions.findById('s1'))?.expires_at).toBe(10_000);
    expect((await repos.sessions.rotate('h5', 'h6', 10_000, { idleMs: 3000, graceMs: 0 })).kind).toBe('inactive');
  });

  it('accepts the token rotated away last again inside the grace window, and only there', async () => {
    const { repos } = await setup();
    const policy = { idleMs: 5000, graceMs: 30 };
    expect((await repos.sessions.rotate('h1', 'h2', 2000, policy)).kind).toBe('rotated');
    // The answer carrying h2 was lost: h1 again, 29 ms later, is still fine and rotates h2 away.
    const again = await repos.sessions.rotate('h1', 'h3', 2029, policy);
    expect(again.kind === 'rotated' && again.grace).toBe(true);
    expect((await repos.sessions.findById('s1'))?.refresh_token_hash).toBe('h3');
    // h2 (never delivered) is an ordinary rotated-away token: reuse.
    expect(await repos.sessions.rotate('h2', 'h4', 2030, policy)).toEqual({ kind: 'reused', sessionId: 's1' });
    // The window is counted from the first rotation, not restarted by grace answers.
    expect(await repos.sessions.rotate('h1', 'h5', 2030, policy)).toEqual({ kind: 'reused', sessionId: 's1' });
  });

  it('lets both of two concurrent refreshes with one token through inside the grace window', async () => {
    const { repos } = await setup();
    const policy = { idleMs: 5000, graceMs: 30_000 };
    const [a, b] = await Promise.all([repos.sessions.rotate('h1', 'ha', 2000, policy), repos.sessions.rotate('h1', 'hb', 2000, policy)]);
    expect([a.kind, b.kind]).toEqual(['rotated', 'rotated']);
    expect([a.kind === 'rotated' && a.grace, b.kind === 'rotated' && b.grace].sort()).toEqual([false, true]);
  });

  it('counts attempts on an MFA challenge atomically and consumes once', async () => {
    const { repos } = await setup();
    await repos.mfaChallenges.create({
      challenge_id: 'c1',
      garmin_username: 'demo@example.com',
      state_enc: 'x',
      mfa_method: 'email',
      attempts_left: 2,
      expires_at: 5000,
      created_at: 1000,
    });
    expect(await repos.mfaChallenges.takeAttempt('c1')).toBe(1);
    expect(await repos.mfaChallenges.takeAttempt('c1')).toBe(0);
    expect(await repos.mfaChallenges.takeAttempt('c1')).toBeNull();
    expect(await repos.mfaChallenges.consume('c1', 2000)).toBe(true);
    expect(await repos.mfaChallenges.consume('c1', 2001)).toBe(false);
  });

  it('counts rate-limit hits per fixed window and trips the circuit with a growing cool-down', async () => {
    const { repos } = await setup();
    expect(await repos.limits.hit('k', 100, 1000)).toEqual({ count: 1, windowStart: 1000 });
    expect(await repos.limits.hit('k', 100, 1050)).toEqual({ count: 2, windowStart: 1000 });
    expect(await repos.limits.hit('k', 100, 1100)).toEqual({ count: 1, windowStart: 1100 });
    // A released hit is given back, never below zero.
    await repos.limits.release('k');
    await repos.limits.release('k');
    expect(await repos.limits.hit('k', 100, 1101)).toEqual({ count: 1, windowStart: 1100 });
    const a = await repos.limits.tripCircuit('Demo@example.com', (f) => 1000 + f * 10, 1000);
    const b = await repos.limits.tripCircuit('demo@example.com', (f) => 1000 + f * 10, 1001);
    expect([a.failures, a.open_until, b.failures, b.open_until]).toEqual([1, 1010, 2, 1020]);
    await repos.limits.resetCircuit('demo@example.com');
    expect(await repos.limits.getCircuit('demo@example.com')).toBeUndefined();
  });

  it('stores Garmin tokens with a version and marks reauth_required', async () => {
    const { repos } = await setup();
    await repos.garminAccounts.saveTokens('u1', { tokensEnc: 'v1.a', kind: 'di', accessExpiresAt: 9 }, 1000);
    await repos.garminAccounts.saveTokens('u1', { tokensEnc: 'v1.b', kind: 'di', accessExpiresAt: 10 }, 1001);
    let acc = await repos.garminAccounts.get('u1');
    expect([acc?.token_version, acc?.tokens_enc, acc?.status]).toEqual([2, 'v1.b', 'connected']);
    await repos.garminAccounts.markReauthRequired('u1', 'refresh failed', 1002);
    acc = await repos.garminAccounts.get('u1');
    expect([acc?.status, acc?.last_error]).toEqual(['reauth_required', 'refresh failed']);
  });
});
