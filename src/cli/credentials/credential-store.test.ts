import { chmod, readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../core/index.js';
import { tempConfigHome } from '../testing/run.js';
import { CredentialStore, type Credentials } from './credential-store.js';
import type { Keyring } from './keyring.js';

const creds = (n: number): Credentials => ({
  server: 'http://127.0.0.1:8787',
  username: 'demo@example.com',
  session_id: 's1',
  user_id: 'u1',
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  token_type: 'Bearer',
  scope: 'sync',
  expires_at: '2026-11-27T12:15:00.000Z',
  refresh_expires_at: '2026-12-27T12:00:00.000Z',
  mfa_verified: true,
  saved_at: '2026-11-27T12:00:00.000Z',
});

function memoryKeyring(fail = false): Keyring & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    name: 'keyring (test)',
    items,
    get: async (a) => items.get(a),
    set: async (a, s) => {
      if (fail) throw new Error('no D-Bus session');
      items.set(a, s);
    },
    remove: async (a) => void items.delete(a),
  };
}

describe('CredentialStore', () => {
  let dir: string;
  const warnings: string[] = [];
  beforeEach(async () => {
    dir = join(await tempConfigHome(), 'garminsync');
    warnings.length = 0;
  });
  afterEach(() => {
    warnings.length = 0;
  });
  const store = (keyring: Keyring | null = null) =>
    new CredentialStore({ dir, server: 'http://127.0.0.1:8787', keyring, warn: (l) => warnings.push(l) });

  it('writes one 0600 file per server in 0700 directories, atomically, and reads it back', async () => {
    const s = store();
    expect(await s.load()).toBeUndefined();
    await s.save(creds(1));
    await s.save(creds(2));
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'credentials'))).mode & 0o777).toBe(0o700);
    expect((await stat(s.path)).mode & 0o777).toBe(0o600);
    expect(s.path.endsWith('credentials/http-127.0.0.1-8787.json')).toBe(true);
    expect((await readdir(join(dir, 'credentials'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await s.load()).toEqual(creds(2));
  });

  it('refuses a group/other-readable file with the exact chmod that fixes it', async () => {
    const s = store();
    await s.save(creds(1));
    await chmod(s.path, 0o644);
    let caught: unknown;
    try {
      await s.load();
    } catch (e) {
      caught = e;
    }
    expect(isAppError(caught, 'CREDENTIALS_INSECURE')).toBe(true);
    expect((caught as Error).message).toContain(`chmod 600 ${s.path}`);
  });

  it('tightens an existing loose config directory to 0700', async () => {
    await mkdir(join(dir, 'credentials'), { recursive: true, mode: 0o755 });
    await chmod(join(dir, 'credentials'), 0o755);
    await store().save(creds(1));
    expect((await stat(join(dir, 'credentials'))).mode & 0o777).toBe(0o700);
  });

  it('keeps the tokens in the keyring when there is one, and only metadata in the file', async () => {
    const keyring = memoryKeyring();
    const s = store(keyring);
    expect(await s.save(creds(1))).toBe('keyring');
    const file = await readFile(s.path, 'utf8');
    expect(file).not.toContain('access-1');
    expect(file).not.toContain('refresh-1');
    expect(await s.backend()).toBe('keyring');
    expect(await s.load()).toEqual(creds(1));
  });

  it('falls back to the file, visibly, when the keyring fails', async () => {
    const s = store(memoryKeyring(true));
    expect(await s.save(creds(1))).toBe('file');
    expect(warnings.join('\n')).toMatch(/Could not use the OS keyring \(no D-Bus session\); the tokens are stored in .*0600/);
    expect(await s.load()).toEqual(creds(1));
  });

  it('serialises critical sections across lock holders', async () => {
    const a = store();
    const b = store();
    const order: string[] = [];
    await Promise.all(
      [a, b, a, b].map((s, i) =>
        s.withLock(async () => {
          order.push(`in${i}`);
          await new Promise((r) => setImmediate(r));
          order.push(`out${i}`);
        }),
      ),
    );
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]!.replace('in', 'out'));
  });

  it('treats a damaged file as "log in again", not as a crash', async () => {
    const s = store();
    await s.save(creds(1));
    await writeFile(s.path, '{not json', { mode: 0o600 });
    await expect(s.load()).rejects.toThrow(/damaged; run `garminsync auth login`/);
  });
});
