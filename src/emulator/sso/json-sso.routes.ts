import type { EmuRequest, EmuResponse, EmuRoute } from '../http/types.js';
import { html, jsonBody, withCookies } from '../http/responses.js';
import { rateLimitedResponse } from '../faults/fault-responses.js';
import type { EmuState } from '../state.js';
import { bootstrapCookies, garminCookie, loginCookies } from './cookies.js';
import {
  loginAccountLocked,
  loginCaptchaRequired,
  loginInvalidCredentials,
  loginMfaRequired,
  loginSuccessful,
  mfaFailed,
  mfaSuccessful,
  ssoBadRequest,
} from './envelopes.js';
import { signInPage } from './pages.js';

interface Flavor {
  /** Route-name prefix and path family: the mobile app API or the web portal API. */
  kind: 'mobile' | 'portal';
  signInPath: string;
  defaultClientId: string;
}

const FLAVORS: Flavor[] = [
  { kind: 'mobile', signInPath: '/mobile/sso/en/sign-in', defaultClientId: 'GCM_ANDROID_DARK' },
  { kind: 'portal', signInPath: '/portal/sso/en-US/sign-in', defaultClientId: 'GarminConnect' },
];

/**
 * The SSO login endpoints of generations B and C (garmin-protocol.md §2, §3 "portal"): the
 * cookie bootstrap page, the JSON login and the JSON MFA verification, in the mobile and portal
 * variants, plus the backend-pinning GET /portal/sso/embed.
 */
export function jsonSsoRoutes(state: EmuState): EmuRoute[] {
  const routes: EmuRoute[] = [];
  for (const f of FLAVORS) {
    routes.push(
      {
        method: 'GET',
        pattern: f.signInPath,
        host: 'sso',
        name: `sso.${f.kind}.sign-in`,
        handler: (req) => {
          const session = state.sessions.create();
          const clientId = req.query.get('clientId') ?? f.defaultClientId;
          const service = req.query.get('service') ?? `https://mobile.integration.${state.config.domain}/gcm/android`;
          return withCookies(html(200, signInPage(clientId, service), { 'x-frame-options': 'DENY' }), bootstrapCookies(state, session.id));
        },
      },
      {
        method: 'POST',
        pattern: `/${f.kind}/api/login`,
        host: 'sso',
        name: `sso.${f.kind}.login`,
        handler: (req) => login(state, req),
      },
      {
        method: 'POST',
        pattern: `/${f.kind}/api/mfa/verifyCode`,
        host: 'sso',
        name: `sso.${f.kind}.mfa-verify`,
        handler: (req) => verifyMfa(state, req),
      },
    );
  }
  routes.push({
    method: 'GET',
    pattern: '/portal/sso/embed',
    host: 'sso',
    name: 'sso.portal.embed',
    // Recorded: 200, empty body; only the load-balancer pinning matters to clients.
    handler: () => html(200, ''),
  });
  return routes;
}

function login(state: EmuState, req: EmuRequest): EmuResponse {
  state.stats.logins++;
  const faults = state.faults;
  if (faults.loginRateLimited) return rateLimitedResponse(faults, `sso.${state.config.domain}`, state.random.hex(16));
  const service = req.query.get('service');
  if (!service) return ssoBadRequest("'service' parameter is required");
  const body = jsonBody(req);
  if (!body || typeof body.username !== 'string' || typeof body.password !== 'string') {
    return ssoBadRequest('username and password are required');
  }
  if (faults.captchaRequired) return loginCaptchaRequired();
  const account = state.accounts.byEmail(body.username);
  if (!account || account.password !== body.password) return loginInvalidCredentials();
  if (account.locked) return loginAccountLocked();

  // A client that skipped the sign-in page (python-garminconnect's iOS strategy) gets its
  // SESSION cookie here, so that its MFA step can still be tied to this login.
  let session = state.sessions.get(req.cookies.SESSION);
  const cookies: string[] = [];
  if (!session) {
    session = state.sessions.create();
    cookies.push(garminCookie(state, 'SESSION', session.id, { httpOnly: true, sameSite: 'Lax' }));
  }
  if (account.mfa) {
    state.sessions.startMfa(session, account.identity.accountId, account.identity.email, service);
    state.logger.info({ email: account.identity.email }, 'MFA code sent to the outbox');
    return withCookies(loginMfaRequired(account), cookies);
  }
  const ticket = state.tickets.issue(account.identity.accountId, service, { viaMfa: false, widget: false });
  return withCookies(loginSuccessful(service, ticket.id), [...cookies, ...loginCookies(state, account.identity.garminGUID)]);
}

function verifyMfa(state: EmuState, req: EmuRequest): EmuResponse {
  const session = state.sessions.get(req.cookies.SESSION);
  if (!session?.pendingMfa) return mfaFailed('no_session');
  const body = jsonBody(req);
  if (!body || typeof body.mfaVerificationCode !== 'string') return ssoBadRequest('mfaVerificationCode is required');
  // garth #215: a wrong mfaMethod (e.g. "phone" for an e-mail user) answers MFA_CODE_INVALID.
  const code = body.mfaMethod === 'email' ? body.mfaVerificationCode : '';
  const check = state.sessions.checkMfa(session, code);
  if (!check.ok) return mfaFailed(check.reason === 'no_pending' ? 'no_session' : check.reason);
  const account = state.accounts.byId(check.pending.accountId)!;
  const service = req.query.get('service') ?? check.pending.service;
  const ticket = state.tickets.issue(account.identity.accountId, service, { viaMfa: true, widget: false });
  return withCookies(mfaSuccessful(service, ticket.id), loginCookies(state, account.identity.garminGUID));
}
