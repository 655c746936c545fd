import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../exit-codes.js';
import { useFakeCli } from '../../testing/fake-cli.js';
import { runLogout } from './logout.js';
import { runStatus } from './status.js';

const fake = useFakeCli({ fakeClock: true });

describe('auth status (run function)', () => {
  it('label lines (TTY and piped) with the session the service reports; --json; not logged in is exit 4', async () => {
    const none = await fake.verb((c) => runStatus(c, false), { tty: true });
    expect(none).toMatchObject({ code: EXIT.LOGIN_REQUIRED, stdout: '' });
    expect(none.stderr).toMatch(/^Not logged in to http:\/\/127\.0\.0\.1:\d+; run `garminsync auth login`\./);
    expect(JSON.parse((await fake.verb((c) => runStatus(c, false), { json: true })).stdout)).toMatchObject({ logged_in: false });
    await fake.login();
    for (const tty of [true, false]) {
      const r = await fake.verb((c) => runStatus(c, false), { tty });
      expect(r.code).toBe(EXIT.OK);
      expect(r.stdout).toMatch(/^Server: +http:\/\/127\.0\.0\.1:\d+\nAccount: +demo@example\.com\nSession: +sess-1\n/);
      expect(r.stdout).toMatch(/^Access token: +expires 2026-11-27 12:15 \(in 15 min\)$/m);
      expect(r.stdout).toMatch(/^Session state: +active, ends 2026-12-27 12:00 \(in 30 days\) unless refreshed$/m);
      expect(r.stdout).toMatch(/^Garmin: +connected$/m);
      expect(r.stdout + r.stderr).not.toMatch(/at-\d|rt-\d/); // no token, ever
    }
    const json = JSON.parse((await fake.verb((c) => runStatus(c, false), { json: true })).stdout);
    expect(json).toMatchObject({
      logged_in: true,
      session_id: 'sess-1',
      session: { status: 'active' },
      token: { scope: 'sync:read sync:write' },
    });
    expect(fake.svc.counts.get('GET /api/v1/auth/session')).toBe(3);
  });

  it('an unreachable service: the local facts, and exit 7; --offline asks nothing and is exit 0', async () => {
    await fake.login();
    await fake.svc.close();
    const r = await fake.verb((c) => runStatus(c, false));
    expect(r.code).toBe(EXIT.UNREACHABLE);
    expect(r.stdout).toMatch(/^Session: +sess-1$/m);
    expect(r.stdout).toMatch(/^Service: +not reachable: /m);
    const offline = await fake.verb((c) => runStatus(c, true), { json: true });
    expect(offline.code).toBe(EXIT.OK);
    expect(JSON.parse(offline.stdout)).toMatchObject({ logged_in: true, session: null });
  });
});

describe('auth logout (run function)', () => {
  it('revokes the session and deletes the credentials (TTY, piped, --json); twice is exit 0 "not logged in"', async () => {
    for (const mode of [{ tty: true }, { tty: false }, { json: true }]) {
      await fake.login();
      const r = await fake.verb((c) => runLogout(c), mode);
      expect(r.code).toBe(EXIT.OK);
      if (mode.json) expect(JSON.parse(r.stdout)).toMatchObject({ logged_out: true, revoked: true });
      else {
        expect(r.stdout).toBe('');
        expect(stripVTControlCharacters(r.stderr)).toMatch(
          /^(✓ )?Logged out of http:\/\/127\.0\.0\.1:\d+; credentials deleted from \/.*\.json\.\n$/,
        );
      }
      expect((await fake.verb((c) => runStatus(c, true))).code).toBe(EXIT.LOGIN_REQUIRED);
    }
    expect(fake.svc.counts.get('POST /api/v1/auth/logout')).toBe(3);
    const again = await fake.verb((c) => runLogout(c), { json: true });
    expect(JSON.parse(again.stdout)).toMatchObject({ logged_out: false, reason: 'not logged in' });
  });

  it('a service that cannot revoke: the credentials are deleted anyway, and it says so', async () => {
    await fake.login();
    await fake.svc.close();
    const r = await fake.verb((c) => runLogout(c));
    expect(r.code).toBe(EXIT.OK);
    expect(r.stderr).toMatch(/The service could not revoke the session \(.*\); the local credentials are deleted anyway\./);
    expect((await fake.verb((c) => runStatus(c, true))).code).toBe(EXIT.LOGIN_REQUIRED);
  });
});
