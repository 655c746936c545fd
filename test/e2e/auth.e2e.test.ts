import { chmod, copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OffsetClock } from '../support/offset-clock.js';
import { cli, ensureBuilt, loginWithMfa, startStack, tempHome, type Stack } from './harness.js';

/** Long enough for ten processes to share a refreshed token. */
const ACCESS_TTL_SECONDS = 12;
/**
 * The service's clock. The expiry tests' sessions are made with it set back by more than the
 * access-token lifetime, so the tokens they are issued have already expired, for the service and
 * for the CLI alike, when the clock is put right: nothing waits the lifetime out.
 */
const clock = new OffsetClock();

let stack: Stack;
const homes: Record<'refresh' | 'ten' | 'dead', string> = { refresh: '', ten: '', dead: '' };
/** When the access tokens issued to the expiry tests' sessions expire (the latest of them). */
let issuedExpireAt = 0;

interface StoredFile {
  access_token: string;
  refresh_token: string;
  expires_at: string;
}

async function credentialPath(home: string, server: string): Promise<string> {
  const r = await cli(['auth', 'status', '--offline', '--json'], { home, server });
  return (JSON.parse(r.stdout) as { credentials: { path: string } }).credentials.path;
}

const refreshes = () => stack.proxy.count('POST', '/api/v1/auth/refresh');

/** Every secret the tests saw (tokens from credential files, MFA codes), checked against the logs at the end. */
const secrets = new Set<string>(['demo-password']);
async function rememberSecrets(path: string): Promise<void> {
  const stored = JSON.parse(await readFile(path, 'utf8')) as StoredFile;
  secrets.add(stored.access_token);
  secrets.add(stored.refresh_token);
}

/** The access tokens issued to the expiry tests' sessions have really expired (no waiting: see `clock`). */
function expectAccessTokensExpired(): void {
  expect(issuedExpireAt).toBeGreaterThan(0);
  expect(issuedExpireAt).toBeLessThan(Date.now());
}

beforeAll(async () => {
  await ensureBuilt();
  stack = await startStack({ accessTtlSeconds: ACCESS_TTL_SECONDS, captureLogs: true, clock });
  for (const key of Object.keys(homes) as (keyof typeof homes)[]) homes[key] = await tempHome();
  // The three sessions that the expiry tests use are made first, on a clock set back by the
  // lifetime and a second. Sequentially: the emulator's outbox holds only the last code sent.
  clock.offset = -(ACCESS_TTL_SECONDS + 1) * 1000;
  for (const h of Object.values(homes)) {
    await loginWithMfa(stack, h);
    const stored = JSON.parse(await readFile(await credentialPath(h, stack.url), 'utf8')) as StoredFile;
    issuedExpireAt = Math.max(issuedExpireAt, Date.parse(stored.expires_at));
  }
  clock.offset = 0;
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

describe('garminsync auth (real binary, real service, real emulator)', () => {
  it('logs in with MFA non-interactively: exit 10 + challenge, a wrong code, the right code; 0700 dir, 0600 file', async () => {
    const home = await tempHome();
    const first = await cli(['auth', 'login', '--username', 'demo@example.com', '--password-stdin'], {
      home,
      server: stack.url,
      input: 'demo-password\n',
    });
    expect(first.code).toBe(10);
    const challenge = first.stdout.trim();
    expect(challenge.length).toBeGreaterThan(8);
    expect(first.stderr).toContain(`garminsync auth mfa --challenge ${challenge} --code <code> --username demo@example.com`);

    const code = stack.emu.lastMfaCode('demo@example.com')!;
    const wrongCode = code === '000000' ? '111111' : '000000';
    const wrong = await cli(['auth', 'mfa', '--challenge', challenge, '--code', wrongCode], { home, server: stack.url });
    expect(wrong.code).toBe(10);
    expect(wrong.stderr).toMatch(/not correct/);

    const right = await cli(['auth', 'mfa', '--challenge', challenge, '--json'], {
      home,
      server: stack.url,
      env: { GARMINSYNC_MFA_CODE: code },
    });
    expect(right.code).toBe(0);
    const doc = JSON.parse(right.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ status: 'authenticated', token_type: 'Bearer', mfa_verified: true });

    const path = await credentialPath(home, stack.url);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(path))).mode & 0o777).toBe(0o700);
    expect((await stat(join(home, 'garminsync'))).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(await readFile(path, 'utf8')) as StoredFile;
    await rememberSecrets(path);
    secrets.add(code);
    // Nothing the CLI printed contains a secret.
    for (const out of [first, wrong, right]) {
      for (const secret of ['demo-password', stored.access_token, stored.refresh_token]) {
        expect(out.stdout + out.stderr).not.toContain(secret);
      }
    }

    const status = await cli(['auth', 'status', '--json'], { home, server: stack.url });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      logged_in: true,
      credentials: { backend: 'file', path },
      session: { status: 'active' },
    });

    await chmod(path, 0o644);
    const refused = await cli(['sync', 'list'], { home, server: stack.url });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`chmod 600 ${path}`);
  });

  it('refreshes the access token by itself after it expires (exactly one refresh)', async () => {
    expectAccessTokensExpired();
    const before = refreshes();
    const r = await cli(['sync', 'list', '--json'], { home: homes.refresh, server: stack.url });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('items');
    expect(refreshes() - before).toBe(1);
    await rememberSecrets(await credentialPath(homes.refresh, stack.url));
    const stored = JSON.parse(await readFile(await credentialPath(homes.refresh, stack.url), 'utf8')) as StoredFile;
    expect(Date.parse(stored.expires_at)).toBeGreaterThan(Date.now());
  });

  it('ten processes at once with an expired access token all succeed with one refresh, and the session survives', async () => {
    expectAccessTokensExpired();
    const path = await credentialPath(homes.ten, stack.url);
    // The stored expiry claims the (really expired) token is fine, so every process meets a 401
    // from the service first and must go through the locked refresh path.
    const stored = JSON.parse(await readFile(path, 'utf8')) as StoredFile;
    await rememberSecrets(path);
    await writeFile(path, JSON.stringify({ ...stored, expires_at: new Date(Date.now() + 3_600_000).toISOString() }), { mode: 0o600 });
    const before = refreshes();
    const unauthorizedBefore = stack.proxy.count('GET', '/api/v1/sync/jobs');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => cli(['sync', 'list', '--json'], { home: homes.ten, server: stack.url })),
    );
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect(refreshes() - before).toBe(1);
    expect(stack.proxy.count('GET', '/api/v1/sync/jobs') - unauthorizedBefore).toBeGreaterThanOrEqual(11);
    const after = await cli(['auth', 'status', '--json'], { home: homes.ten, server: stack.url });
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ session: { status: 'active' } });
    await rememberSecrets(path);
  });

  it('when refresh is impossible: one sentence, exit 4, and the credentials stay', async () => {
    expectAccessTokensExpired();
    const path = await credentialPath(homes.dead, stack.url);
    // A second copy of the same session; logging out from the first revokes it at the service.
    const other = await tempHome();
    const otherPath = path.replace(homes.dead, other);
    await mkdir(dirname(otherPath), { recursive: true, mode: 0o700 });
    await chmod(join(other, 'garminsync'), 0o700);
    await copyFile(path, otherPath);
    await chmod(otherPath, 0o600);
    expect((await cli(['auth', 'logout'], { home: homes.dead, server: stack.url })).code).toBe(0);

    const r = await cli(['sync', 'status'], { home: other, server: stack.url });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('Your session has expired; run `garminsync auth login`.\n');
    await stat(otherPath); // still there
  });

  it('no password, MFA code or token reached the service logs', () => {
    expect(stack.logs.length).toBeGreaterThan(10);
    expect(secrets.size).toBeGreaterThan(6);
    for (const secret of secrets) {
      // A six-digit code is looked for as a whole number, not inside timestamps or durations.
      const found = /^\d+$/.test(secret)
        ? stack.logs.filter((l) => new RegExp(`(^|[^0-9.])${secret}([^0-9.]|$)`).test(l))
        : stack.logs.filter((l) => l.includes(secret));
      expect(found, 'a secret in the service logs').toEqual([]);
    }
  });
});
