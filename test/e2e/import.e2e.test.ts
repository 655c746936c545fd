import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/index.js';
import { GarminAuth, endpointsForBaseUrl } from '../../src/garmin/index.js';
import { cli, ensureBuilt, startStack, tempHome, type Stack } from './harness.js';

let stack: Stack;

beforeAll(async () => {
  await ensureBuilt();
  stack = await startStack({ activities: 4, days: 3, workouts: 2 });
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

describe('garminsync auth import (real binary, real service, real emulator)', () => {
  it('logs in from a python-garminconnect garmin_tokens.json without a password, then syncs with those tokens', async () => {
    // Tokens as python-garminconnect saves them, from a real login at the emulator.
    const auth = new GarminAuth({ endpoints: endpointsForBaseUrl(stack.emu.url), clock: systemClock });
    const outcome = await auth.startLogin({ username: 'nomfa@example.com', password: 'demo-password' });
    if (outcome.status !== 'authenticated') throw new Error('the no-MFA account asked for MFA');
    const home = await tempHome();
    const file = join(home, 'garmin_tokens.json');
    await writeFile(
      file,
      JSON.stringify({
        di_token: outcome.tokens.accessToken,
        di_refresh_token: outcome.tokens.refreshToken,
        di_client_id: outcome.tokens.clientId,
      }),
      { mode: 0o600 },
    );
    const loginsBefore = stack.emu.stats().logins;

    const imported = await cli(['auth', 'import', file, '-u', 'nomfa@example.com', '--json'], { home, server: stack.url });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).not.toContain(outcome.tokens.accessToken);

    const status = await cli(['auth', 'status', '--json'], { home, server: stack.url });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ session: { status: 'active' } });

    const sync = await cli(['sync', 'start', '--type', 'workouts', '--wait', '--json'], { home, server: stack.url });
    expect(sync.code).toBe(0);
    expect((JSON.parse(sync.stdout) as { jobs: { status: string; processed_items: number }[] }).jobs[0]).toMatchObject({
      status: 'completed',
      processed_items: 2,
    });
    // The import and the sync used the imported tokens: no credential login reached Garmin.
    expect(stack.emu.stats().logins).toBe(loginsBefore);
  });

  it('refuses a file that is not a Garmin token file with one sentence and exit 2', async () => {
    const home = await tempHome();
    const file = join(home, 'not-tokens.json');
    await writeFile(file, JSON.stringify({ hello: 'world' }));
    const r = await cli(['auth', 'import', file, '-u', 'nomfa@example.com'], { home, server: stack.url });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('Not a Garmin token file');
  });
});
