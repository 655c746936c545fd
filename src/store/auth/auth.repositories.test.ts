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

  it('rotates a refresh hash once; the old hash then reads as reused', async () => {
    const { repos } = await setup();
    const r1 = await repos.sessions.rotate('h1', 'h2', 2000);
    expect(r1.kind).toBe('rotated');
    expect(await repos.sessions.rotate('h1', 'h3', 2001)).toEqual({ kind: 'reused', sessionId: 's1' });
    expect(await repos.sessions.rotate('nope', 'h4', 2002)).toEqual({ kind: 'unknown' });
    await repos.sessions.revoke('s1', 'test', 3000);
    const r2 = await repos.sessions.rotate('h2', 'h5', 3001);
    expect(r2.kind).toBe('inactive');
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

  it('stores Garmin tokens with a version and marks login_required', async () => {
    const { repos } = await setup();
    await repos.garminAccounts.saveTokens('u1', { tokensEnc: 'v1.a', kind: 'di', accessExpiresAt: 9 }, 1000);
    await repos.garminAccounts.saveTokens('u1', { tokensEnc: 'v1.b', kind: 'di', accessExpiresAt: 10 }, 1001);
    let acc = await repos.garminAccounts.get('u1');
    expect([acc?.token_version, acc?.tokens_enc, acc?.status]).toEqual([2, 'v1.b', 'connected']);
    await repos.garminAccounts.markLoginRequired('u1', 'refresh failed', 1002);
    acc = await repos.garminAccounts.get('u1');
    expect([acc?.status, acc?.last_error]).toEqual(['login_required', 'refresh failed']);
  });
});
