import type { RunningEmulator } from '../types.js';
import { oauthHeader } from './oauth1-signer.js';
import { DEFAULT_CONSUMER, DI_SERVICE_TICKET_GRANT } from '../state.js';

/** A tiny cookie jar over fetch, enough for the SSO flows in tests (no domain/path logic). */
export class Jar {
  readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', this.header());
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(res);
    return res;
  }
}

export const ANDROID_SERVICE = 'https://mobile.integration.garmin.com/gcm/android';
export const LOGIN_QUERY = `clientId=GCM_ANDROID_DARK&locale=en-US&service=${encodeURIComponent(ANDROID_SERVICE)}`;

export function loginBody(username: string, password = 'demo-password'): string {
  return JSON.stringify({ username, password, rememberMe: false, captchaToken: '' });
}

export function mfaBody(code: string, method = 'email'): string {
  return JSON.stringify({ mfaMethod: method, mfaVerificationCode: code, rememberMyBrowser: false, reconsentList: [], mfaSetup: false });
}

/** Runs the mobile JSON login (with MFA from the outbox when asked) and returns the ticket. */
export async function mobileTicket(emu: RunningEmulator, email: string, jar = new Jar()): Promise<string> {
  await jar.fetch(`${emu.url}/mobile/sso/en/sign-in?clientId=GCM_ANDROID_DARK`);
  const res = await jar.fetch(`${emu.url}/mobile/api/login?${LOGIN_QUERY}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: loginBody(email),
  });
  let body = (await res.json()) as { serviceTicketId: string | null; responseStatus: { type: string } };
  if (body.responseStatus.type === 'MFA_REQUIRED') {
    const mfa = await jar.fetch(`${emu.url}/mobile/api/mfa/verifyCode?${LOGIN_QUERY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: mfaBody(emu.lastMfaCode(email)!),
    });
    body = (await mfa.json()) as typeof body;
  }
  if (!body.serviceTicketId) throw new Error(`login failed: ${body.responseStatus.type}`);
  return body.serviceTicketId;
}

let nonceCounter = 0;

/** A signed OAuth1 request the way garth sends it. */
export async function signedFetch(
  emu: RunningEmulator,
  method: 'GET' | 'POST',
  pathAndQuery: string,
  opts: { token?: string; tokenSecret?: string; form?: Record<string, string>; consumerSecret?: string; nowSec?: number } = {},
): Promise<Response> {
  const url = `${emu.url}${pathAndQuery}`;
  const auth = oauthHeader({
    method,
    url,
    consumerKey: DEFAULT_CONSUMER.key,
    consumerSecret: opts.consumerSecret ?? DEFAULT_CONSUMER.secret,
    ...(opts.token !== undefined ? { token: opts.token, tokenSecret: opts.tokenSecret ?? '' } : {}),
    ...(opts.form ? { form: opts.form } : {}),
    nonce: `${Date.now()}${++nonceCounter}${Math.floor(Math.random() * 1e9)}`,
    timestamp: String(opts.nowSec ?? Math.floor(Date.now() / 1000)),
  });
  const headers: Record<string, string> = { authorization: auth, 'user-agent': 'com.garmin.android.apps.connectmobile' };
  let body: string | undefined;
  if (method === 'POST') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form ?? {}).toString();
  }
  return fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
}

/** preauthorized with a fresh ticket → the OAuth1 token fields. */
export async function oauth1Token(emu: RunningEmulator, email: string): Promise<Record<string, string>> {
  const ticket = await mobileTicket(emu, email);
  const res = await signedFetch(
    emu,
    'GET',
    `/oauth-service/oauth/preauthorized?ticket=${ticket}&login-url=${ANDROID_SERVICE}&accepts-mfa-tokens=true`,
  );
  if (res.status !== 200) throw new Error(`preauthorized ${res.status}: ${await res.text()}`);
  return Object.fromEntries(new URLSearchParams(await res.text()));
}

/** Parsed JSON of a response, loosely typed on purpose: tests assert the shape themselves. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
export async function readJson(res: Response): Promise<Json> {
  return res.json();
}

/** The Android app's DI client id: the one a service-ticket grant is made with in these tests. */
const ANDROID_DI_CLIENT = 'GARMIN_CONNECT_MOBILE_ANDROID_DI';

/** Exchanges an SSO service ticket for DI tokens as the Android app does (Basic auth with the client id). */
export function diTicketGrant(emu: RunningEmulator, ticket: string, serviceUrl: string): Promise<Response> {
  return fetch(`${emu.url}/di-oauth2-service/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${ANDROID_DI_CLIENT}:`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      client_id: ANDROID_DI_CLIENT,
      service_ticket: ticket,
      grant_type: DI_SERVICE_TICKET_GRANT,
      service_url: serviceUrl,
    }).toString(),
  });
}
