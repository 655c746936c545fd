import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, isAppError } from '../core/index.js';
import { createAuthRepositories, openDatabase, type AuthRepositories, type Database } from '../store/index.js';
import { AccessTokens } from './access-token.js';
import { BearerAuthenticator } from './bearer-auth.js';
import { REVOCATION_BOUND_MS, VerifiedTokenCache } from './verified-token-cache.js';

const KEY = Buffer.alloc(32, 7);

/**
 * Two "processes" on one SQLite file: each its own database connection, repositories and
 * authenticator (so its own cache), one clock that the test moves.
 */
describe('bearer authentication with the verified-token cache', () => {
  const opened: Kysely<Database>[] = [];
  let dir: string | undefined;
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function setup(ttlSeconds = 900) {
    dir = mkdtempSync(join(tmpdir(), 'garminsync-bearer-'));
    const file = join(dir, 'garminsync.db');
    const clock = new FakeClock();
    const accessTokens = new AccessTokens({ key: KEY, clock, issuer: 'garminsync', audience: 'garminsync-api', ttlSeconds });
    const proc = async (migrate: boolean) => {
      const db = await openDatabase({ file, migrate });
      opened.push(db);
      const repos = createAuthRepositories(db);
      return { repos, bearer: new BearerAuthenticator({ repos, accessTokens, clock }) };
    };
    const a = await proc(true);
    const b = await proc(false);
    const now = clock.now();
    await a.repos.users.upsert({ newId: 'u1', username: 'demo@example.com', displayName: 'demo', profileId: 1 }, now);
    await a.repos.sessions.create({
      session_id: 's1',
      user_id: 'u1',
      refresh_token_hash: 'h1',
      expires_at: now + 3_600_000,
      mfa_enabled: 0,
      created_at: now,
    });
    const issue = async (jti: string) => {
      const t = await accessTokens.sign({ sub: 'u1', sid: 's1', jti, scope: 'sync', mfa: false });
      await a.repos.authTokens.insert({
        token_id: jti,
        user_id: 'u1',
        session_id: 's1',
        token_type: 'Bearer',
        expires_in: ttlSeconds,
        expires_at: t.exp * 1000,
        scope: 'sync',
        created_at: now,
        mfa_verified: 0,
      });
      return `Bearer ${t.token}`;
    };
    return { clock, a, b, issue };
  }

  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (e: unknown) => (isAppError(e) ? e.code : String(e)),
    );

  it('a session revoked by another process is refused there once the bound has passed since its last check, not later', async () => {
    const { clock, a, b, issue } = await setup();
    const token = await issue('t1');
    expect((await b.bearer.authenticate(token)).sessionId).toBe('s1');
    await a.repos.sessions.revoke('s1', 'logout', clock.now());
    // A refuses at once: it reads the session (nothing of it cached there).
    expect(await codeOf(a.bearer.authenticate(token))).toBe('SESSION_REVOKED');
    // B still has the check it made; the cache is what makes this answer, and it ends at the bound.
    clock.advance(REVOCATION_BOUND_MS - 1);
    expect(await codeOf(b.bearer.authenticate(token))).toBe('accepted');
    clock.advance(1);
    expect(await codeOf(b.bearer.authenticate(token))).toBe('SESSION_REVOKED');
  });

  it('the process that revokes forgets the session at once', async () => {
    const { clock, a, issue } = await setup();
    const token = await issue('t1');
    const other = await issue('t2');
    await a.bearer.authenticate(token);
    await a.bearer.authenticate(other);
    await a.repos.sessions.revoke('s1', 'logout', clock.now());
    a.bearer.forgetSession('s1');
    // Both tokens of the session, at the same instant: no entry of it is left.
    expect(await codeOf(a.bearer.authenticate(token))).toBe('SESSION_REVOKED');
    expect(await codeOf(a.bearer.authenticate(other))).toBe('SESSION_REVOKED');
  });

  it('an entry never outlives its token or its session', async () => {
    const { clock, b, issue } = await setup(1);
    const token = await issue('t1');
    await b.bearer.authenticate(token);
    // The token's exp is 1 s after issue: at exp it is refused although the cache entry is < bound old.
    clock.advance(999);
    expect(await codeOf(b.bearer.authenticate(token))).toBe('accepted');
    clock.advance(1);
    expect(await codeOf(b.bearer.authenticate(token))).toBe('TOKEN_INVALID');
  });

  it('concurrent requests with one token share one check; refusals are not remembered', async () => {
    const { clock, b, issue } = await setup();
    const token = await issue('t1');
    let reads = 0;
    const counting: Pick<AuthRepositories, 'authTokens' | 'sessions'> = {
      authTokens: new Proxy(b.repos.authTokens, {
        get: (t, k, r) => (k === 'findById' ? (id: string) => (reads++, t.findById(id)) : Reflect.get(t, k, r)),
      }),
      sessions: b.repos.sessions,
    };
    const accessTokens = new AccessTokens({ key: KEY, clock, issuer: 'garminsync', audience: 'garminsync-api', ttlSeconds: 900 });
    const bearer = new BearerAuthenticator({ repos: counting, accessTokens, clock });
    const all = await Promise.all(Array.from({ length: 50 }, () => bearer.authenticate(token)));
    expect(new Set(all.map((p) => p.tokenId))).toEqual(new Set(['t1']));
    expect(reads).toBe(1);
    clock.advance(REVOCATION_BOUND_MS);
    await bearer.authenticate(token);
    expect(reads).toBe(2);
    // A wrong token is checked, and refused, every time.
    const forged = `${token.slice(0, -2)}xx`;
    for (let i = 0; i < 3; i++) expect(await codeOf(bearer.authenticate(forged))).toBe('TOKEN_INVALID');
  });
});

describe('VerifiedTokenCache', () => {
  const principal = (sessionId: string) => ({ userId: 'u', sessionId, tokenId: `t-${sessionId}`, scope: 's', mfa: false });
  const entry = (sessionId: string, checkedAt: number) => ({
    principal: principal(sessionId),
    checkedAt,
    tokenExpiresAt: checkedAt + 60_000,
    sessionExpiresAt: checkedAt + 60_000,
  });

  it('a TTL above the revocation bound is cut to the bound; 0 remembers nothing', () => {
    expect(new VerifiedTokenCache({ ttlMs: 60_000 }).ttlMs).toBe(REVOCATION_BOUND_MS);
    const off = new VerifiedTokenCache({ ttlMs: 0 });
    off.set('x', entry('s', 0));
    expect(off.get('x', 0)).toBeUndefined();
  });

  it('is bounded in size (oldest first out) and forgets a whole session', () => {
    const c = new VerifiedTokenCache({ maxEntries: 3 });
    for (const s of ['a', 'b', 'c', 'd']) c.set(s, entry(s, 100));
    expect(c.size).toBe(3);
    expect(c.get('a', 100)).toBeUndefined();
    expect(c.get('d', 100)?.sessionId).toBe('d');
    c.set('d2', entry('d', 100));
    c.forgetSession('d');
    expect([c.get('d', 100), c.get('d2', 100)]).toEqual([undefined, undefined]);
    expect(c.get('c', 100)?.sessionId).toBe('c');
    expect(c.size).toBe(1);
  });

  it('a clock set back makes an entry stale', () => {
    const c = new VerifiedTokenCache();
    c.set('x', entry('s', 1000));
    expect(c.get('x', 999)).toBeUndefined();
  });
});
