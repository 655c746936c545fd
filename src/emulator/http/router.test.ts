import { describe, expect, it } from 'vitest';
import { parseCookies, serializeCookie } from './cookies.js';
import { Router } from './router.js';
import type { EmuRoute } from './types.js';

const r = (method: EmuRoute['method'], pattern: string, host: EmuRoute['host'], name: string): EmuRoute => ({
  method,
  pattern,
  host,
  name,
  handler: () => ({ status: 200 }),
});

describe('Router', () => {
  const router = new Router([
    r('GET', '/workout-service/workout/:id', 'connectapi', 'one'),
    r('GET', '/workout-service/workout/FIT', 'connectapi', 'literal'),
    r('POST', '/mobile/api/login', 'sso', 'login'),
    r('GET', '/__emulator/stats', 'any', 'stats'),
  ]);

  it('matches by method and path, decodes params, prefers literal segments', () => {
    expect(router.match('GET', '/workout-service/workout/a%20b', undefined)).toMatchObject({
      route: { name: 'one' },
      params: { id: 'a b' },
    });
    expect(router.match('GET', '/workout-service/workout/FIT', undefined)?.route.name).toBe('literal');
    expect(router.match('GET', '/mobile/api/login', undefined)).toBeUndefined();
    expect(router.match('GET', '/workout-service/workout/%E0%A4%A', undefined)).toBeUndefined();
  });

  it('filters by Garmin host in TLS mode; "any" routes match every host', () => {
    expect(router.match('POST', '/mobile/api/login', 'connectapi')).toBeUndefined();
    expect(router.match('POST', '/mobile/api/login', 'sso')?.route.name).toBe('login');
    expect(router.match('GET', '/__emulator/stats', 'diauth')?.route.name).toBe('stats');
  });

  it('refuses a route defined twice', () => {
    expect(() => new Router([r('GET', '/a', 'sso', 'x'), r('GET', '/a', 'connectapi', 'y')])).toThrow(/twice/);
  });
});

describe('cookies', () => {
  it('parses a Cookie header, keeping the first of duplicates and skipping junk', () => {
    expect(parseCookies('SESSION=abc; __cflb="q=1"; junk; SESSION=other; =x')).toEqual({ SESSION: 'abc', __cflb: 'q=1' });
    expect(parseCookies(undefined)).toEqual({});
  });

  it('serialises attributes', () => {
    expect(serializeCookie('CASTGC', 'TGT-1', { httpOnly: true, secure: true, domain: 'garmin.test', maxAgeSec: 5, sameSite: 'Lax' })).toBe(
      'CASTGC=TGT-1; Path=/; Domain=garmin.test; Max-Age=5; HttpOnly; Secure; SameSite=Lax',
    );
  });
});
