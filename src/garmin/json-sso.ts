/**
 * The JSON SSO of Garmin's mobile apps and portal (garmin-protocol.md §2 and "generation C"):
 * optional cookie bootstrap page, credential POST, MFA verifyCode — each answering the same
 * `responseStatus` envelope. Yields a CAS service ticket bound to the flow's service URL.
 */
import { AppError } from '../core/index.js';
import type { GarminEndpoints } from './endpoints.js';
import { ssoPageHeaders, SSO_BROWSER_UA } from './headers.js';
import type { SsoSession } from './sso-session.js';
import type { SsoResponse } from './sso-session.js';
import { isObject, protocolChanged } from './validate.js';
import type { Json } from './validate.js';

export type JsonSsoFlowName = 'mobile-android' | 'mobile-ios' | 'portal';

export interface JsonSsoFlow {
  clientId: string;
  serviceUrl: (domain: string) => string;
  /** Page GET that hands out SESSION / load-balancer cookies before the POST (null: none). */
  signInPath: string | null;
  apiPrefix: '/mobile/api' | '/portal/api';
  rememberMe: boolean;
  /** Header set of the JSON POSTs. */
  postHeaders: (ssoBase: string) => Record<string, string>;
}

/** The three JSON SSO variants of the reference clients, verbatim. */
export const JSON_SSO_FLOWS: Record<JsonSsoFlowName, JsonSsoFlow> = {
  // garth 0.8: page headers on every call (Cloudflare 429'd when the UA changed mid-login).
  'mobile-android': {
    clientId: 'GCM_ANDROID_DARK',
    serviceUrl: (d) => `https://mobile.integration.${d}/gcm/android`,
    signInPath: '/mobile/sso/en/sign-in?clientId=GCM_ANDROID_DARK',
    apiPrefix: '/mobile/api',
    rememberMe: false,
    postHeaders: () => ssoPageHeaders({ 'Content-Type': 'application/json' }),
  },
  // python-garminconnect ≥0.3 strategies 1–2: no page GET, JSON Accept, Origin of the SSO.
  'mobile-ios': {
    clientId: 'GCM_IOS_DARK',
    serviceUrl: (d) => `https://mobile.integration.${d}/gcm/ios`,
    signInPath: null,
    apiPrefix: '/mobile/api',
    rememberMe: true,
    postHeaders: (sso) => ({
      'User-Agent': SSO_BROWSER_UA,
      Accept: 'application/json, text/plain, */*',
      'Accept-Language': 'en-US,en;q=0.9',
      Origin: sso,
      'Content-Type': 'application/json',
    }),
  },
  portal: {
    clientId: 'GarminConnect',
    serviceUrl: (d) => `https://connect.${d}/app`,
    signInPath: null, // built with the service URL below
    apiPrefix: '/portal/api',
    rememberMe: false,
    postHeaders: (sso) => ssoPageHeaders({ 'Content-Type': 'application/json', Origin: sso }),
  },
};

export interface TicketResult {
  ticket: string;
  serviceUrl: string;
}

export type JsonLoginResult = ({ kind: 'ticket' } & TicketResult) | { kind: 'mfa'; method: string; serviceUrl: string };

export function queryFor(flow: JsonSsoFlow, domain: string): string {
  return new URLSearchParams({ clientId: flow.clientId, locale: 'en-US', service: flow.serviceUrl(domain) }).toString();
}

function statusType(body: Json): string | null {
  const rs = body.responseStatus;
  return isObject(rs) && typeof rs.type === 'string' ? rs.type : null;
}

function parseEnvelope(res: SsoResponse, label: string): Json {
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    // An HTML page where JSON belongs is Cloudflare's (python-garminconnect treats it so).
    throw new AppError('GARMIN_UNAVAILABLE', 'Garmin SSO answered with a page instead of JSON.', {
      endpoint: label,
      status: res.status,
      reason: 'non-JSON SSO answer',
    });
  }
  if (!isObject(body)) throw protocolChanged(label, 'body is not an object');
  return body;
}

/** Maps a non-success SSO type (or a bare 401) to the error catalogue; credential problems stop the strategy chain. */
export function ssoFailure(type: string | null, status: number, label: string): AppError {
  const t = (type ?? '').toUpperCase();
  if (t.includes('LOCKED') || t.includes('DISABLED')) return new AppError('GARMIN_ACCOUNT_LOCKED', undefined, { sso_type: type });
  if (t.includes('CAPTCHA')) return new AppError('GARMIN_CAPTCHA_REQUIRED', undefined, { sso_type: type });
  if (t === 'INVALID_USERNAME_PASSWORD' || t.includes('CREDENTIAL') || (status === 401 && !t)) {
    return new AppError('GARMIN_INVALID_CREDENTIALS', undefined, { sso_type: type });
  }
  if (status === 401) return new AppError('GARMIN_INVALID_CREDENTIALS', undefined, { sso_type: type });
  return protocolChanged(label, `unexpected responseStatus.type ${JSON.stringify(type)} (HTTP ${status})`);
}

function ticketOf(body: Json, label: string, fallbackService: string): TicketResult {
  const ticket = body.serviceTicketId;
  if (typeof ticket !== 'string' || !/^ST-/.test(ticket)) throw protocolChanged(label, 'serviceTicketId missing');
  const serviceUrl = typeof body.serviceURL === 'string' && body.serviceURL ? body.serviceURL : fallbackService;
  return { ticket, serviceUrl };
}

/**
 * Runs one JSON SSO login: bootstrap page (when the flow has one), then the credential POST.
 * Returns a ticket or an MFA request. Throws GARMIN_INVALID_CREDENTIALS / ACCOUNT_LOCKED /
 * CAPTCHA_REQUIRED (stop the chain) or GARMIN_RATE_LIMITED / UNAVAILABLE / PROTOCOL_CHANGED.
 */
export async function jsonSsoLogin(
  session: SsoSession,
  endpoints: GarminEndpoints,
  flowName: JsonSsoFlowName,
  creds: { username: string; password: string },
  signal?: AbortSignal,
): Promise<JsonLoginResult> {
  const flow = JSON_SSO_FLOWS[flowName];
  const serviceUrl = flow.serviceUrl(endpoints.domain);
  const signInPath =
    flowName === 'portal'
      ? `/portal/sso/en-US/sign-in?${new URLSearchParams({ clientId: flow.clientId, service: serviceUrl })}`
      : flow.signInPath;
  if (signInPath) {
    // The page body is ignored; its cookies (SESSION, __cflb, …) are what matters.
    await session.request(
      {
        method: 'GET',
        url: `${endpoints.sso}${signInPath}`,
        headers: ssoPageHeaders({ 'Sec-Fetch-Site': 'none' }),
        label: `${flowName} sign-in page`,
      },
      signal,
    );
  }
  const label = `${flowName} login`;
  const res = await session.request(
    {
      method: 'POST',
      url: `${endpoints.sso}${flow.apiPrefix}/login?${queryFor(flow, endpoints.domain)}`,
      headers: flow.postHeaders(endpoints.sso),
      body: JSON.stringify({ username: creds.username, password: creds.password, rememberMe: flow.rememberMe, captchaToken: '' }),
      label,
    },
    signal,
  );
  const body = parseEnvelope(res, label);
  const type = statusType(body);
  if (res.status === 200 && type === 'SUCCESSFUL') return { kind: 'ticket', ...ticketOf(body, label, serviceUrl) };
  if (res.status === 200 && type === 'MFA_REQUIRED') {
    const info = isObject(body.customerMfaInfo) ? body.customerMfaInfo : {};
    const method = typeof info.mfaLastMethodUsed === 'string' && info.mfaLastMethodUsed ? info.mfaLastMethodUsed : 'email';
    return { kind: 'mfa', method, serviceUrl };
  }
  if (res.status >= 400 && res.status !== 401 && !type) {
    throw new AppError('GARMIN_UNAVAILABLE', undefined, { endpoint: label, status: res.status, reason: `HTTP ${res.status}` });
  }
  throw ssoFailure(type, res.status, label);
}

/**
 * Sends an MFA code for a JSON SSO login that answered MFA_REQUIRED (same cookie session).
 * Wrong code → GARMIN_MFA_CODE_INVALID; expired, exhausted or a lost session → GARMIN_MFA_EXPIRED.
 */
export async function jsonSsoVerifyMfa(
  session: SsoSession,
  endpoints: GarminEndpoints,
  flowName: JsonSsoFlowName,
  method: string,
  code: string,
  signal?: AbortSignal,
  query?: string,
): Promise<TicketResult> {
  const flow = JSON_SSO_FLOWS[flowName];
  const label = `${flowName} MFA verifyCode`;
  const res = await session.request(
    {
      method: 'POST',
      url: `${endpoints.sso}${flow.apiPrefix}/mfa/verifyCode?${query ?? queryFor(flow, endpoints.domain)}`,
      headers: flow.postHeaders(endpoints.sso),
      body: JSON.stringify({
        mfaMethod: method,
        mfaVerificationCode: code.trim(),
        rememberMyBrowser: flow.rememberMe,
        reconsentList: [],
        mfaSetup: false,
      }),
      label,
    },
    signal,
  );
  const body = parseEnvelope(res, label);
  const type = statusType(body);
  if (res.status === 200 && type === 'SUCCESSFUL') return ticketOf(body, label, flow.serviceUrl(endpoints.domain));
  const t = (type ?? '').toUpperCase();
  if (
    t.includes('EXPIRED') ||
    t.includes('MAX') ||
    t.includes('LIMIT') ||
    t.includes('TOO_MANY') ||
    res.status === 401 ||
    res.status === 410
  ) {
    throw new AppError('GARMIN_MFA_EXPIRED', undefined, { sso_type: type });
  }
  if (t.includes('INVALID') || t.includes('OTP') || t.includes('CODE') || res.status === 400) {
    throw new AppError('GARMIN_MFA_CODE_INVALID', undefined, { sso_type: type });
  }
  throw protocolChanged(label, `unexpected responseStatus.type ${JSON.stringify(type)} (HTTP ${res.status})`);
}

/** garth's "backend pinning" GET; best effort, every failure is swallowed (it only improves ticket acceptance). */
export async function pinSsoBackend(session: SsoSession, endpoints: GarminEndpoints, referer: string, signal?: AbortSignal): Promise<void> {
  try {
    await session.request(
      {
        method: 'GET',
        url: `${endpoints.sso}/portal/sso/embed`,
        headers: ssoPageHeaders({ 'Sec-Fetch-Site': 'same-origin', referer }),
        label: 'backend pinning',
      },
      signal,
    );
  } catch (e) {
    if (signal?.aborted) throw e;
  }
}
