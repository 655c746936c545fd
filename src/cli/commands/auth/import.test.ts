import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeService, type FakeService } from '../../testing/fake-service.js';
import { run, tempConfigHome } from '../../testing/run.js';

// Long, distinctive token values: a short one ('s1') can turn up by chance in a random temp dir name.
const OAUTH1_TOKEN = 'oauth1-token-7f3c9e';
const OAUTH1_SECRET = 'oauth1-secret-2b8d41';
const OAUTH2_ACCESS = 'oauth2-access-5e0a77';
const OAUTH2_REFRESH = 'oauth2-refresh-c91f06';

let svc: FakeService | undefined;
afterEach(async () => {
  await svc?.close();
});

async function garthDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'garth-'));
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'oauth1_token.json'),
    JSON.stringify({ oauth_token: OAUTH1_TOKEN, oauth_token_secret: OAUTH1_SECRET, domain: 'garmin.com' }),
  );
  await writeFile(
    join(dir, 'oauth2_token.json'),
    JSON.stringify({ access_token: OAUTH2_ACCESS, refresh_token: OAUTH2_REFRESH, expires_at: 1 }),
  );
  return dir;
}

describe('auth import', () => {
  it('sends a garth token directory and stores the session the service answers with', async () => {
    const imported: unknown[] = [];
    svc = await startFakeService({ importRoute: true, imported });
    const home = await tempConfigHome();
    const r = await run(['auth', 'import', await garthDir(), '--username', 'me@example.com'], { home, server: svc.url });
    expect(r.code).toBe(0);
    expect(imported).toEqual([
      {
        format: 'garth',
        username: 'me@example.com',
        tokens: {
          oauth1: { oauth_token: OAUTH1_TOKEN, oauth_token_secret: OAUTH1_SECRET, domain: 'garmin.com' },
          oauth2: { access_token: OAUTH2_ACCESS, refresh_token: OAUTH2_REFRESH, expires_at: 1 },
        },
      },
    ]);
    for (const secret of [OAUTH1_TOKEN, OAUTH1_SECRET, OAUTH2_ACCESS, OAUTH2_REFRESH]) expect(r.stdout + r.stderr).not.toContain(secret);
    expect((await run(['auth', 'status', '--offline'], { home, server: svc.url })).code).toBe(0);
  });

  it('says clearly when the service has no import route, and refuses what is not a token file', async () => {
    svc = await startFakeService();
    const home = await tempConfigHome();
    const r = await run(['auth', 'import', '-'], {
      home,
      server: svc.url,
      stdin: '{"di_token":"x","di_refresh_token":"y","di_client_id":"z"}',
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `The service at ${svc.url} cannot import Garmin tokens (it has no POST /api/v1/auth/import); update the service.`,
    );
    const bad = await run(['auth', 'import', '-'], { home, server: svc.url, stdin: '{"hello":1}' });
    expect(bad.code).toBe(2);
    expect((await run(['auth', 'import', '/nonexistent/tokens.json'], { home, server: svc.url })).code).toBe(3);
  });
});
