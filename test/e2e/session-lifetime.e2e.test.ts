import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OffsetClock } from '../support/offset-clock.js';
import { cli, ensureBuilt, loginWithMfa, startStack, tempHome, type Stack } from './harness.js';

// Idle window 60 s, maximum 61 s: a refresh 1.5 s after the login moves the end forward (60 → 61 s
// after the login) and is capped there by the maximum (the idle end would be 61.5 s).
const IDLE_S = 60;
const MAX_S = 61;

/** The service's clock: the test moves it on instead of waiting. */
const clock = new OffsetClock();

let stack: Stack;
let home: string;

beforeAll(async () => {
  await ensureBuilt();
  stack = await startStack({ clock, serverArgs: ['--session-idle', `${IDLE_S}s`, '--session-max', `${MAX_S}s`] });
  home = await tempHome();
  await loginWithMfa(stack, home);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const status = async () => {
  const r = await cli(['auth', 'status', '--json'], { home, server: stack.url });
  return {
    code: r.code,
    doc: JSON.parse(r.stdout) as { session: { expires_at: string; absolute_expires_at: string; garmin: { status: string } } },
  };
};

describe('session lifetimes and Garmin re-login (real binary, real service, real emulator)', () => {
  it('a refresh moves the session end forward, and the absolute maximum holds', async () => {
    const before = (await status()).doc.session;
    const createdAt = Date.parse(before.absolute_expires_at) - MAX_S * 1000;
    expect(Date.parse(before.expires_at) - createdAt).toBe(IDLE_S * 1000);
    clock.advance(1500);
    const r = await cli(['auth', 'refresh', '--json'], { home, server: stack.url });
    expect(r.code, r.stderr).toBe(0);
    const refreshed = JSON.parse(r.stdout) as { refresh_expires_at: string; session_absolute_expires_at: string };
    expect(Date.parse(refreshed.refresh_expires_at)).toBeGreaterThan(Date.parse(before.expires_at));
    expect(refreshed.session_absolute_expires_at).toBe(before.absolute_expires_at);
    expect(refreshed.refresh_expires_at).toBe(before.absolute_expires_at); // capped, not now + 60 s
    const after = await status();
    expect(after.code).toBe(0);
    expect(after.doc.session).toMatchObject({ expires_at: before.absolute_expires_at, absolute_expires_at: before.absolute_expires_at });
    const human = await cli(['auth', 'status'], { home, server: stack.url });
    expect(human.stdout).toMatch(/Session maximum:\s+ends/);
  });

  it('Garmin invalid_grant → reauth_required: the job carries the code, auth status exits 8, no credential login; a new login clears it', async () => {
    const loginsBefore = stack.emu.stats().logins;
    stack.emu.expireTokens('demo@example.com');
    stack.emu.revokeRefreshTokens('demo@example.com');
    const run = await cli(['sync', 'start', '--type', 'workouts', '--full', '--wait', '--json'], {
      home,
      server: stack.url,
      timeoutMs: 60_000,
    });
    expect(run.code).toBe(5);
    expect((JSON.parse(run.stdout) as { jobs: { error_code: string }[] }).jobs[0]?.error_code).toBe('GARMIN_REAUTH_REQUIRED');
    const s = await status();
    expect(s.code).toBe(8);
    expect(s.doc.session.garmin.status).toBe('reauth_required');
    const human = await cli(['auth', 'status'], { home, server: stack.url });
    expect(human.code).toBe(8);
    expect(human.stderr).toMatch(/garminsync auth login/);
    expect(stack.emu.stats().logins).toBe(loginsBefore); // nothing fell back to a credential login
    await loginWithMfa(stack, home);
    const again = await status();
    expect(again.code).toBe(0);
    expect(again.doc.session.garmin.status).toBe('connected');
  });
});
