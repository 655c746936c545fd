/**
 * Issue 7, item 6 — secrets. One whole user journey at the most verbose log level (trace): the
 * built service as a child process, the built CLI (MFA login with a wrong then the right code, a
 * wrong password, syncs, lists, a refresh, status, logout), and a recording proxy between the
 * service and the emulator that learns every Garmin token (DI access/refresh tokens, OAuth1 token
 * and secret, SSO tickets) as it passes. Then every log line, CLI output, error body and the
 * `ps`-visible argv of every spawned process is scanned for the password, the MFA codes, our
 * access/refresh tokens and the Garmin tokens: 0 hits. The database is scanned too: it holds no
 * password, no Garmin token in plaintext and no refresh token of ours (only hashes/ciphertext).
 * The other files of this directory keep their own ledgers (crash, fault storm, concurrency,
 * auth abuse, hostile input) and scan them at their end.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { openDatabase } from '../../src/store/index.js';
import { tempHome } from '../e2e/harness.js';
import { SecretLedger, call, ensureBuiltAll, runCli, spawnService, type ServiceProcess } from './support.js';

const ledger = new SecretLedger();
const garminSecrets = new Set<string>();
ledger.secret('demo-password');

/** Learns Garmin tokens from both directions of the service ↔ emulator traffic. */
function learnGarminTokens(text: string): void {
  const add = (v: string | undefined) => {
    if (v && v.length >= 12) {
      garminSecrets.add(v);
      ledger.secret(v);
    }
  };
  for (const m of text.matchAll(/"(access_token|refresh_token|oauth_token|oauth_token_secret|ticket|serviceTicketId)"\s*:\s*"([^"]+)"/g))
    add(m[2]);
  for (const m of text.matchAll(/(?:^|[&?\s])(oauth_token|oauth_token_secret|refresh_token|ticket|mfa_token)=([^&\s"]+)/g))
    add(decodeURIComponent(m[2]!));
  for (const m of text.matchAll(/[Bb]earer ([A-Za-z0-9._~+/=-]{12,})/g)) add(m[1]);
  for (const m of text.matchAll(/oauth_token="([^"]+)"/g)) add(decodeURIComponent(m[1]!));
}

async function startRecordingProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const t = new URL(target);
  const server: Server = createServer((req, res) => {
    const inChunks: Buffer[] = [];
    req.on('data', (d: Buffer) => inChunks.push(d));
    req.on('end', () => {
      const body = Buffer.concat(inChunks);
      learnGarminTokens(`${req.url ?? ''} ${req.headers.authorization ?? ''} ${body.toString('utf8')}`);
      const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
        const outChunks: Buffer[] = [];
        ur.on('data', (d: Buffer) => outChunks.push(d));
        ur.on('end', () => {
          const out = Buffer.concat(outChunks);
          if (!/zip|octet|fit/.test(String(ur.headers['content-type'] ?? '')))
            learnGarminTokens(`${out.toString('utf8')} ${String(ur.headers.location ?? '')}`);
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          res.end(out);
        });
      });
      up.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let emu: RunningEmulator;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
let svc: ServiceProcess;
let dataDir: string;

beforeAll(async () => {
  await ensureBuiltAll();
  emu = await startEmulator({ seed: 5, activities: 8, days: 5, workouts: 2 });
  proxy = await startRecordingProxy(emu.url);
  dataDir = await mkdtemp(join(tmpdir(), 'garminsync-secrets-'));
  svc = await spawnService(['--data-dir', dataDir, '--garmin-url', proxy.url, '--log-level', 'trace', '--garmin-rate', '500'], {
    ledger,
    label: 'service (trace logs)',
  });
}, 180_000);
afterAll(async () => {
  await svc?.kill('SIGKILL');
  await proxy?.close();
  await emu?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('no secret leaves its place', () => {
  it('the scanner finds what it looks for (control), digits only as whole numbers', () => {
    const probe = new SecretLedger();
    probe.secret('tok-abcdef123', '482913');
    probe.record('log', '{"msg":"x","t":"tok-abcdef123"}');
    probe.record('log', '{"time":1764824829130}');
    probe.record('cli', 'code 482913 sent');
    expect(probe.hits()).toHaveLength(2);
  });

  it('a whole journey at trace level: 0 secrets in logs, outputs, error bodies and argv; none in plaintext in the database', async () => {
    const home = await tempHome();
    const server = svc.url;
    const cli = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) =>
      runCli(args, { home, server, ledger, timeoutMs: 60_000, ...opts });
    const remember = async () => {
      const r = await cli(['auth', 'status', '--offline', '--json']);
      const path = (JSON.parse(r.stdout) as { credentials: { path: string } }).credentials.path;
      ledger.tokens(JSON.parse(await readFile(path, 'utf8')));
    };

    // A wrong password (Garmin says no), then MFA with a wrong code and the right one.
    const bad = await cli(['auth', 'login', '--username', 'nomfa@example.com', '--password-stdin'], { input: 'not-the-password\n' });
    ledger.secret('not-the-password');
    expect(bad.code).not.toBe(0);
    const first = await cli(['auth', 'login', '--username', 'demo@example.com', '--password-stdin'], { input: 'demo-password\n' });
    expect(first.code).toBe(10);
    const challenge = first.stdout.trim();
    const code = emu.lastMfaCode('demo@example.com')!;
    ledger.secret(code);
    const wrongCode = code === '000000' ? '111111' : '000000';
    ledger.secret(wrongCode);
    expect((await cli(['auth', 'mfa', '--challenge', challenge], { env: { GARMINSYNC_MFA_CODE: wrongCode } })).code).toBe(10);
    const ok = await cli(['auth', 'mfa', '--challenge', challenge, '--json'], { env: { GARMINSYNC_MFA_CODE: code } });
    expect(ok.code, ok.stderr).toBe(0);
    await remember();

    // Work: syncs, lists, a detail, a refresh, the status; and some refused requests.
    const from = new Date(Date.now() - 4 * 86_400_000).toISOString().slice(0, 10);
    const sync = await cli(['sync', 'start', '--type', 'all', '--from', from, '--wait', '--json'], {});
    expect(sync.code, sync.stderr).toBe(0);
    expect((await cli(['activities', 'list', '--json'])).code).toBe(0);
    expect((await cli(['sync', 'status', '00000000-0000-4000-8000-000000000000'])).code).toBe(3);
    expect((await cli(['auth', 'refresh'])).code).toBe(0);
    await remember();
    expect((await cli(['auth', 'status', '--json'])).code).toBe(0);
    // Direct API calls with bad and good tokens: their error bodies are scanned too.
    const creds = await cli(['auth', 'status', '--offline', '--json']);
    const stored = JSON.parse(await readFile((JSON.parse(creds.stdout) as { credentials: { path: string } }).credentials.path, 'utf8')) as {
      access_token: string;
      refresh_token: string;
    };
    await call(server, 'GET', '/auth/session', { token: `${stored.access_token}x`, ledger });
    await call(server, 'POST', '/auth/refresh', { body: { refresh_token: `${stored.refresh_token}x` }, ledger });
    await call(server, 'POST', '/auth/login', {
      body: { username: 'demo@example.com', password: 'demo-password', extra: stored.refresh_token },
      ledger,
    });
    await call(server, 'POST', '/auth/mfa', { body: { challenge_id: challenge, code }, ledger });
    expect((await cli(['auth', 'logout'])).code).toBe(0);

    // Stop the service cleanly so that its whole log is in hand and the database is at rest.
    expect(await svc.kill('SIGTERM')).toBe(0);
    expect(garminSecrets.size, 'Garmin tokens were seen on the wire').toBeGreaterThanOrEqual(3);
    expect(ledger.argvCount).toBeGreaterThan(10);
    // Redaction hides secrets, not the error codes operators need.
    expect(svc.output()).toMatch(/"error_code":"(TOKEN_INVALID|SESSION_REVOKED)"/);
    ledger.expectClean();

    // At rest: the database files hold no password, no Garmin token and none of our refresh
    // tokens in plaintext (Garmin tokens are AES-256-GCM sealed; refresh tokens are hashed).
    const files = (await readdir(dataDir)).filter((f) => f.startsWith('garminsync.db'));
    expect(files.length).toBeGreaterThan(0);
    const atRest = new SecretLedger();
    atRest.secret('demo-password', 'not-the-password', stored.refresh_token, ...garminSecrets);
    for (const f of files) atRest.record(`data dir ${f}`, (await readFile(join(dataDir, f))).toString('latin1'));
    expect(atRest.hits()).toEqual([]);
    // Key files and blobs are private to the service's user.
    for (const f of ['jwt.key', 'encryption.key']) expect((await stat(join(dataDir, f))).mode & 0o077, f).toBe(0);
    expect((await stat(dataDir)).mode & 0o077).toBe(0);
    for (const f of files) expect((await stat(join(dataDir, f))).mode & 0o077, f).toBe(0);
  }, 120_000);

  it('a SQLite database outside the data dir is created private too (with its WAL)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'garminsync-dbmode-'));
    try {
      // Migrations write, so the WAL exists while the handle is open.
      const db = await openDatabase({ url: join(dir, 'elsewhere', 'garminsync.db') });
      try {
        const files = (await readdir(join(dir, 'elsewhere'))).filter((f) => f.startsWith('garminsync.db'));
        expect(files).toEqual(expect.arrayContaining(['garminsync.db', 'garminsync.db-wal']));
        for (const f of files) expect((await stat(join(dir, 'elsewhere', f))).mode & 0o077, f).toBe(0);
      } finally {
        await db.destroy();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
