import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/index.js';
import { isLoopback, parseServerConfig } from './config.js';

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
