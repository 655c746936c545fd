import { serializeCookie, type CookieAttributes } from '../http/cookies.js';
import type { EmuState } from '../state.js';

/**
 * Set-Cookie values as Garmin sends them. `Secure` and `Domain` only in TLS mode: a plain-HTTP
 * client on 127.0.0.1 would otherwise (rightly) drop them.
 */
export function garminCookie(state: EmuState, name: string, value: string, attrs: CookieAttributes & { shared?: boolean } = {}): string {
  const { shared, ...rest } = attrs;
  return serializeCookie(name, value, {
    ...rest,
    ...(state.config.tls ? { secure: true } : {}),
    ...(state.config.tls && shared ? { domain: state.config.domain } : {}),
  });
}

/** The cookies of the sign-in page: session, load balancer pinning and Cloudflare's bot cookies. */
export function bootstrapCookies(state: EmuState, sessionId: string): string[] {
  const r = state.random;
  return [
    garminCookie(state, 'SESSION', sessionId, { httpOnly: true, sameSite: 'Lax' }),
    garminCookie(state, '__VCAP_ID__', r.hex(32), { httpOnly: true, sameSite: 'Lax' }),
    garminCookie(state, '__cf_bm', `${r.alnum(43)}-${Math.floor(state.clock.now() / 1000)}-1.0.1.1-${r.alnum(20)}`, {
      httpOnly: true,
      sameSite: 'None',
      shared: true,
      maxAgeSec: 1800,
    }),
    garminCookie(state, '__cflb', r.alnum(40), { httpOnly: true, sameSite: 'None', maxAgeSec: 82_800 }),
    garminCookie(state, '_cfuvid', `${r.alnum(43)}-${state.clock.now()}-0.0.1.1-604800000`, {
      httpOnly: true,
      sameSite: 'None',
      shared: true,
    }),
  ];
}

/** The cookies of a finished login (CASTGC is the CAS ticket-granting cookie). */
export function loginCookies(state: EmuState, garminGuid: string): string[] {
  const r = state.random;
  return [
    garminCookie(state, 'CASTGC', `TGT-${r.digits(7)}-${r.alnum(50)}-cas`, { httpOnly: true }),
    garminCookie(state, 'GARMIN-SSO', '1', { shared: true }),
    garminCookie(state, 'GARMIN-SSO-CUST-GUID', garminGuid, { shared: true }),
    garminCookie(state, 'GMN_TRACKABLE', '1', { shared: true, maxAgeSec: 31_536_000, sameSite: 'None' }),
  ];
}
