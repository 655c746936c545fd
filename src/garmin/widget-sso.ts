/**
 * Generation A, the legacy HTML "embed widget" SSO (garmin-protocol.md §3), kept as the last
 * strategy: CSRF scraped from the sign-in form, outcome read from the page <title>, ticket from
 * the success page's embed URL. Regexes are those of garth / python-garminconnect.
 */
import { AppError } from '../core/index.js';
import type { GarminEndpoints } from './endpoints.js';
import { ssoPageHeaders } from './headers.js';
import type { TicketResult } from './json-sso.js';
import type { SsoResponse, SsoSession } from './sso-session.js';
import { protocolChanged } from './validate.js';

const CSRF_RE = /name="_csrf"\s+value="(.+?)"/;
const TITLE_RE = /<title>(.+?)<\/title>/;
const TICKET_RE = /\?ticket=(ST-[^"&\s]+)/;
const MFA_VAR_RE = /var\s+mfaMethod\s*=\s*"([^"]*)"\s*;/;

export function embedUrl(endpoints: GarminEndpoints): string {
  return `${endpoints.sso}/sso/embed`;
}

/** The query of /sso/signin and /sso/verifyMFA (every redirect target is the embed page). */
export function widgetQuery(endpoints: GarminEndpoints): string {
  const embed = embedUrl(endpoints);
  return new URLSearchParams({
    id: 'gauth-widget',
    embedWidget: 'true',
    gauthHost: embed,
    service: embed,
    source: embed,
    redirectAfterAccountLoginUrl: embed,
    redirectAfterAccountCreationUrl: embed,
  }).toString();
}

export type WidgetLoginResult = ({ kind: 'ticket' } & TicketResult) | { kind: 'mfa'; method: string; csrf: string; mfaUrl: string };

function title(page: SsoResponse): string {
  return TITLE_RE.exec(page.text)?.[1]?.trim() ?? '';
}

function ticketFrom(page: SsoResponse, endpoints: GarminEndpoints, label: string): TicketResult {
  const ticket = TICKET_RE.exec(page.text)?.[1];
  if (!ticket) throw protocolChanged(label, 'no ticket on the success page');
  return { ticket, serviceUrl: embedUrl(endpoints) };
}

/** python-garminconnect's title heuristics: infrastructure vs credential trouble. */
function failureFrom(page: SsoResponse, label: string): AppError {
  const t = title(page).toLowerCase();
  const body = page.text.toLowerCase();
  if (/bad gateway|service unavailable|cloudflare|502|503/.test(t)) {
    return new AppError('GARMIN_UNAVAILABLE', undefined, { endpoint: label, status: page.status, reason: title(page) });
  }
  if (/captcha/.test(body) && page.status !== 401) return new AppError('GARMIN_CAPTCHA_REQUIRED');
  if (/locked/.test(body) || /locked/.test(t)) return new AppError('GARMIN_ACCOUNT_LOCKED');
  if (page.status === 401 || /invalid|incorrect|account error/.test(t)) return new AppError('GARMIN_INVALID_CREDENTIALS');
  return protocolChanged(label, `unexpected page title ${JSON.stringify(title(page))} (HTTP ${page.status})`);
}

function isMfaPage(page: SsoResponse): boolean {
  return title(page).includes('MFA') || MFA_VAR_RE.test(page.text);
}

/** Embed page, sign-in form (CSRF), credential POST; → ticket, or the MFA page's CSRF and method. */
export async function widgetLogin(
  session: SsoSession,
  endpoints: GarminEndpoints,
  creds: { username: string; password: string },
  signal?: AbortSignal,
): Promise<WidgetLoginResult> {
  const embedPage = `${endpoints.sso}/sso/embed?${new URLSearchParams({ id: 'gauth-widget', embedWidget: 'true', gauthHost: `${endpoints.sso}/sso` })}`;
  await session.request({ method: 'GET', url: embedPage, headers: ssoPageHeaders(), label: 'widget embed' }, signal);
  const signinUrl = `${endpoints.sso}/sso/signin?${widgetQuery(endpoints)}`;
  const form = await session.request(
    { method: 'GET', url: signinUrl, headers: ssoPageHeaders({ referer: embedPage }), label: 'widget sign-in form' },
    signal,
  );
  const csrf = CSRF_RE.exec(form.text)?.[1];
  if (form.status !== 200 || !csrf) throw failureFrom(form, 'widget sign-in form');
  const label = 'widget login';
  const page = await session.request(
    {
      method: 'POST',
      url: signinUrl,
      headers: ssoPageHeaders({ referer: signinUrl, 'Content-Type': 'application/x-www-form-urlencoded' }),
      body: new URLSearchParams({ username: creds.username, password: creds.password, embed: 'true', _csrf: csrf }).toString(),
      label,
    },
    signal,
  );
  if (page.status === 200 && title(page) === 'Success') return { kind: 'ticket', ...ticketFrom(page, endpoints, label) };
  if (page.status === 200 && isMfaPage(page)) {
    const mfaCsrf = CSRF_RE.exec(page.text)?.[1];
    if (!mfaCsrf) throw protocolChanged(label, 'no _csrf on the MFA page');
    return {
      kind: 'mfa',
      method: MFA_VAR_RE.exec(page.text)?.[1] || 'email',
      csrf: mfaCsrf,
      mfaUrl: `${endpoints.sso}/sso/verifyMFA/loginEnterMfaCode?${widgetQuery(endpoints)}`,
    };
  }
  throw failureFrom(page, label);
}

/** Posts the MFA form; the MFA page again means a wrong code, "Success" carries the ticket. */
export async function widgetVerifyMfa(
  session: SsoSession,
  endpoints: GarminEndpoints,
  step: { csrf: string; mfaUrl: string },
  code: string,
  signal?: AbortSignal,
): Promise<TicketResult> {
  const label = 'widget MFA';
  // The CSRF token rotates with every rendered form, so a wrong code would leave the saved one
  // stale; the MFA page is fetched again (as a browser would) for the current token.
  const form = await session.request(
    { method: 'GET', url: step.mfaUrl, headers: ssoPageHeaders({ referer: step.mfaUrl }), label: 'widget MFA page' },
    signal,
  );
  if (form.status !== 200 || !isMfaPage(form))
    throw new AppError('GARMIN_MFA_EXPIRED', 'The Garmin login waiting for its MFA code is gone; start the login again.');
  const csrf = CSRF_RE.exec(form.text)?.[1] ?? step.csrf;
  const page = await session.request(
    {
      method: 'POST',
      url: step.mfaUrl,
      headers: ssoPageHeaders({ referer: step.mfaUrl, 'Content-Type': 'application/x-www-form-urlencoded' }),
      body: new URLSearchParams({ 'mfa-code': code.trim(), embed: 'true', _csrf: csrf, fromPage: 'setupEnterMfaCode' }).toString(),
      label,
    },
    signal,
  );
  if (page.status === 200 && title(page) === 'Success') return ticketFrom(page, endpoints, label);
  if (page.status === 200 && isMfaPage(page)) throw new AppError('GARMIN_MFA_CODE_INVALID', undefined, { strategy: 'widget' });
  if (/expired|max/i.test(page.text) || page.status === 401 || page.status === 410) throw new AppError('GARMIN_MFA_EXPIRED');
  throw failureFrom(page, label);
}
