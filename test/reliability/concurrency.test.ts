/**
 * Issue 7, item 3 — concurrency. The first half (ten CLI processes with an expired access token:
 * all succeed, one refresh, the session alive) is proven by test/e2e/auth.e2e.test.ts ("ten
 * processes at once …"). This file proves the second half end to end: two concurrent refreshes
 * with the same refresh token at the API → exactly one wins, the loser is a replay that revokes
 * the whole session (RFC 9700), and the CLI holding that session then asks for a login (exit 4).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, tempHome, type Stack } from '../e2e/harness.js';
import { SecretLedger, call, ensureBuiltAll, runCli } from './support.js';

const ledger = new SecretLedger();
ledger.secret('demo-password');
let stack: Stack;

beforeAll(async () => {
  await ensureBuiltAll();
  // No refresh grace window: this file is about what a replay does (the window is tested with
  // injected time in test/service/auth.test.ts).
  stack = await startStack({ captureLogs: true, serverArgs: ['--refresh-grace', '0s'] });
}, 180_000);
afterAll(async () => {
  await stack?.close();
});

async function credentialFile(home: string): Promise<{ path: string; access_token: string; refresh_token: string }> {
  const r = await runCli(['auth', 'status', '--offline', '--json'], { home, server: stack.url, ledger });
  const path = (JSON.parse(r.stdout) as { credentials: { path: string } }).credentials.path;
  const stored = JSON.parse(await readFile(path, 'utf8')) as { access_token: string; refresh_token: string };
  ledger.tokens(stored);
  return { path, ...stored };
}

describe('concurrent refreshes with one refresh token', () => {
  it('one wins, the replay revokes the session, and the CLI then asks for a login (exit 4)', async () => {
    const home = await tempHome();
    // MFA login the way a script does, the code through the environment (never in argv).
    const first = await runCli(['auth', 'login', '--username', 'demo@example.com', '--password-stdin'], {
      home,
      server: stack.url,
      input: 'demo-password\n',
      ledger,
    });
    expect(first.code).toBe(10);
    const code = stack.emu.lastMfaCode('demo@example.com')!;
    ledger.secret(code);
    const done = await runCli(['auth', 'mfa', '--challenge', first.stdout.trim()], {
      home,
      server: stack.url,
      env: { GARMINSYNC_MFA_CODE: code },
      ledger,
    });
    expect(done.code, done.stderr).toBe(0);
    const stored = await credentialFile(home);
    expect((await runCli(['sync', 'list', '--json'], { home, server: stack.url, ledger })).code).toBe(0);

    const refresh = () => call(stack.service.url!, 'POST', '/auth/refresh', { body: { refresh_token: stored.refresh_token }, ledger });
    const [a, b] = await Promise.all([refresh(), refresh()]);
    ledger.tokens(a.body);
    ledger.tokens(b.body);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    expect(loser.body.code).toBe('REFRESH_TOKEN_REUSED');
    expect(loser.headers.get('content-type')).toContain('application/problem+json');
    // The replay killed the session: the winner's brand-new tokens are dead too.
    const winnerAccess = await call(stack.service.url!, 'GET', '/auth/session', { token: winner.body.access_token, ledger });
    expect(winnerAccess.status).toBe(401);
    expect(winnerAccess.body.code).toBe('SESSION_REVOKED');
    const winnerRefresh = await call(stack.service.url!, 'POST', '/auth/refresh', {
      body: { refresh_token: winner.body.refresh_token },
      ledger,
    });
    expect(winnerRefresh.status).toBe(401);

    // The CLI holding the session: one sentence, exit 4 (login required), credentials kept.
    const after = await runCli(['sync', 'list'], { home, server: stack.url, ledger });
    expect(after.code).toBe(4);
    expect(after.stdout).toBe('');
    expect(after.stderr.trim().split('\n')).toHaveLength(1);
    expect(after.stderr).toMatch(/garminsync auth login/);
    await readFile(stored.path);
    const status = await runCli(['auth', 'status', '--json'], { home, server: stack.url, ledger });
    expect(status.code).toBe(4);
  });

  it('no secret in the CLI output, error bodies, service logs or any spawned argv', () => {
    ledger.record('service logs', stack.logs.join('\n'));
    expect(ledger.argvCount).toBeGreaterThan(3);
    ledger.expectClean();
  });
});
