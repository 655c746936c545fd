import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DI_CLIENT_IDS, isAppError } from '../core/index.js';
import { isLoopback, parseServerConfig, serverHelp } from './config.js';
import { replaceSettingsTable, type SettingSpec } from './setting.js';
import { SERVER_SETTINGS } from './settings.js';

const parse = (argv: string[], env: Record<string, string> = {}) => parseServerConfig(argv, env, '/data');

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isAppError(e, 'CONFIG_INVALID')) return e.message;
    throw e;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('parseServerConfig', () => {
  it('has the documented defaults', () => {
    expect(parse([])).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      dataDir: '/data',
      database: '/data/garminsync.db',
      garmin: { kind: 'domain', domain: 'garmin.com' },
      allowUsers: null,
      concurrency: 8,
      mode: 'both',
      logLevel: 'info',
    });
  });

  it('reads GARMINSYNC_* variables, and flags win over them', () => {
    const env = {
      GARMINSYNC_PORT: '9000',
      GARMINSYNC_ALLOWED_USERS: 'A@x.com, b@y.org',
      GARMINSYNC_MODE: 'workers',
      DATABASE_URL: 'postgres://u@h/db',
    };
    expect(parse([], env)).toMatchObject({
      port: 9000,
      allowUsers: ['a@x.com', 'b@y.org'],
      mode: 'workers',
      database: 'postgres://u@h/db',
    });
    expect(parse(['--port', '1234', '--api-only'], env)).toMatchObject({ port: 1234, mode: 'api' });
    expect(parse(['--garmin-url', 'http://127.0.0.1:9797/'])).toMatchObject({ garmin: { kind: 'url', url: 'http://127.0.0.1:9797' } });
  });

  it('reads session lifetimes and the refresh grace window as durations', () => {
    expect(parse([])).toMatchObject({ sessionIdleMs: 30 * 86_400_000, sessionMaxMs: 365 * 86_400_000, refreshGraceMs: 30_000 });
    const env = { GARMINSYNC_SESSION_IDLE: '2h', GARMINSYNC_REFRESH_GRACE: '5s' };
    expect(parse(['--session-max', '1d'], env)).toMatchObject({
      sessionIdleMs: 7_200_000,
      sessionMaxMs: 86_400_000,
      refreshGraceMs: 5000,
    });
    expect(refusal(() => parse(['--session-idle', '6 hours']))).toMatch(/^--session-idle: must be a duration/);
    expect(refusal(() => parse(['--session-idle', '2d', '--session-max', '1d']))).toMatch(/^--session-max: must not be shorter/);
    expect(refusal(() => parse(['--refresh-grace', '1h']))).toMatch(/^--refresh-grace: must be at most 10m/);
    expect(refusal(() => parse(['--refresh-grace=-1s']))).toMatch(/^--refresh-grace: must be a duration/);
  });

  it('names the setting in every refusal', () => {
    expect(refusal(() => parse(['--port', '99999']))).toMatch(/^--port:/);
    expect(refusal(() => parse(['--concurrency', '0']))).toMatch(/^--concurrency:/);
    expect(refusal(() => parse(['--log-level', 'loud']))).toMatch(/^--log-level:/);
    expect(refusal(() => parse(['--garmin-url', 'not a url']))).toMatch(/^--garmin-url:/);
    expect(refusal(() => parse(['--allow-users', 'nobody']))).toMatch(/^--allow-users:/);
    expect(refusal(() => parse(['--api-only', '--workers-only']))).toMatch(/^--api-only:/);
    expect(refusal(() => parse(['--bogus']))).toMatch(/^arguments:/);
    expect(refusal(() => parse([], { GARMINSYNC_MODE: 'sideways' }))).toMatch(/^GARMINSYNC_MODE:/);
    // A bad value from the environment names the variable it came from.
    expect(refusal(() => parse([], { GARMINSYNC_PORT: 'eighty' }))).toMatch(/^GARMINSYNC_PORT: must be a whole number/);
  });

  it('parses --trust-proxy as addresses, CIDRs or loopback', () => {
    expect(parse(['--trust-proxy', '10.0.0.0/8, loopback']).trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
    expect(parse([]).trustProxy).toBeNull();
    expect(refusal(() => parse(['--trust-proxy', 'everyone']))).toMatch(/^--trust-proxy:/);
  });

  it('refuses a non-loopback bind without an allow-list', () => {
    expect(refusal(() => parse(['--host', '0.0.0.0']))).toMatch(/^--host: refusing/);
    expect(parse(['--host', '0.0.0.0', '--allow-users', 'me@example.com']).host).toBe('0.0.0.0');
    expect(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '192.168.1.2', '::', 'example.com'].some(isLoopback)).toBe(false);
  });
});

describe('the settings declaration (issue 11.7)', () => {
  it('is the table in docs/deployment.md', () => {
    const doc = readFileSync(new URL('../../docs/deployment.md', import.meta.url), 'utf8');
    // On a mismatch: npm run docs:settings
    expect(replaceSettingsTable(doc, SERVER_SETTINGS)).toBe(doc);
  });

  it('is the --help text: every flag and variable with its default', () => {
    const help = serverHelp();
    for (const s of Object.values(SERVER_SETTINGS) as SettingSpec<unknown>[]) {
      for (const name of [s.flag, ...(s.env ?? [])]) if (name) expect(help).toContain(name);
      const def = s.defaultText ?? s.default;
      if (def && s.arg) expect(help.replace(/\s+/g, ' ')).toContain(`default ${def}`);
    }
  });

  it('gives every declared default a value that passes its own validation', () => {
    const cfg = parse([]);
    expect(cfg).toMatchObject({
      archiveMaxBytes: 8 * 1024 ** 3,
      pollMs: 1000,
      sseHeartbeatMs: 15_000,
      sseMinIntervalMs: 250,
      accessTtlMs: 900_000,
      heartbeatMs: 10_000,
      garminBurst: 10,
      shutdownTimeoutMs: 10_000,
    });
  });

  it('reads the former test-only knobs as flags and variables', () => {
    const env = { GARMINSYNC_POLL_MS: '50', GARMINSYNC_ARCHIVE_MAX_BYTES: '1048576' };
    expect(parse(['--lease-ms', '3000', '--garmin-rate', '200', '--access-ttl', '12s', '--sse-heartbeat-ms', '1000'], env)).toMatchObject({
      leaseMs: 3000,
      heartbeatMs: 1000,
      pollMs: 50,
      garminRatePerSec: 200,
      garminBurst: 400,
      accessTtlMs: 12_000,
      sseHeartbeatMs: 1000,
      archiveMaxBytes: 1_048_576,
    });
    expect(parse(['--heartbeat-ms', '20', '--garmin-burst', '3'])).toMatchObject({ heartbeatMs: 20, garminBurst: 3 });
    expect(refusal(() => parse(['--archive-max-bytes', '12GB']))).toMatch(/^--archive-max-bytes: must be a whole number/);
    expect(refusal(() => parse([], { GARMINSYNC_POLL_MS: '0' }))).toMatch(/^GARMINSYNC_POLL_MS: must be a whole number from 10/);
    expect(parse(['--mode', 'api'])).toMatchObject({ mode: 'api' });
    expect(parse(['--sse-min-interval-ms', '0'])).toMatchObject({ sseMinIntervalMs: 0 }); // 0: every change
    // Issue 13: the DI client-id list is data, in the order given; the default is the garmin room's list.
    expect(parse([]).garminDiClientIds).toEqual([...DEFAULT_DI_CLIENT_IDS]);
    expect(parse([], { GARMINSYNC_GARMIN_DI_CLIENT_IDS: 'NEW_DI_2026Q1, GARMIN_CONNECT_MOBILE_ANDROID_DI' }).garminDiClientIds).toEqual([
      'NEW_DI_2026Q1',
      'GARMIN_CONNECT_MOBILE_ANDROID_DI',
    ]);
    expect(refusal(() => parse(['--garmin-di-client-ids', ',']))).toMatch(/^--garmin-di-client-ids: give at least one client id/);
    expect(refusal(() => parse(['--garmin-di-client-ids', 'a b']))).toMatch(/is not a client id/);
  });
});
