import type { EmuRequest, EmuResponse, EmuRoute } from '../http/types.js';
import { formBody, html, json, withCookies } from '../http/responses.js';
import { rateLimitedResponse } from '../faults/fault-responses.js';
import type { EmuState } from '../state.js';
import type { SsoSession } from './sessions.js';
import { bootstrapCookies, loginCookies } from './cookies.js';
import { embedPage, widgetMfaPage, widgetSignInPage, widgetSuccessPage } from './pages.js';

/**
 * Generation A, the legacy HTML "embed widget" (garmin-protocol.md §3): CSRF-protected forms,
 * titles that clients scrape, a 302 to the MFA page and tickets ending in "-cas". Tickets from
 * here are refused by preauthorized and mint "not active" DI tokens, as at Garmin since 2026.
 */
export function widgetRoutes(state: EmuState): EmuRoute[] {
  const sessionOf = (req: EmuRequest): { session: SsoSession; cookies: string[] } => {
    const existing = state.sessions.get(req.cookies.SESSION);
    if (existing) return { session: existing, cookies: [] };
    const session = state.sessions.create();
    return { session, cookies: bootstrapCookies(state, session.id).slice(0, 2) };
  };
  const newCsrf = (session: SsoSession): string => {
    session.csrf = state.random.hex(96).toUpperCase();
    return session.csrf;
  };
  const csrfOk = (session: SsoSession, req: EmuRequest): boolean => {
    const sent = formBody(req).get('_csrf');
    return session.csrf !== undefined && sent === session.csrf;
  };
  const forbidden = (): EmuResponse =>
    html(403, '<!DOCTYPE html><html><head><title>Forbidden</title></head><body>Invalid CSRF token</body></html>');
  const redirect = (req: EmuRequest, path: string): EmuResponse => ({ status: 302, headers: { location: `${req.baseUrl}${path}` } });

  return [
    {
      method: 'GET',
      pattern: '/sso/embed',
      host: 'sso',
      name: 'sso.widget.embed',
      handler: () => withCookies(html(200, embedPage()), bootstrapCookies(state, state.random.uuid()).slice(2)),
    },
    {
      method: 'GET',
      pattern: '/sso/signin',
      host: 'sso',
      name: 'sso.widget.signin-page',
      handler: (req) => {
        const { session, cookies } = sessionOf(req);
        return withCookies(html(200, widgetSignInPage(newCsrf(session))), cookies);
      },
    },
    {
      method: 'POST',
      pattern: '/sso/signin',
      host: 'sso',
      name: 'sso.widget.signin',
      handler: (req) => {
        state.stats.logins++;
        if (state.faults.loginRateLimited) {
          return rateLimitedResponse(
            { ...state.faults, rateLimitStyle: 'cloudflare-html' },
            `sso.${state.config.domain}`,
            state.random.hex(16),
          );
        }
        const { session, cookies } = sessionOf(req);
        if (!csrfOk(session, req)) return forbidden();
        const form = formBody(req);
        const service = req.query.get('service') ?? `https://sso.${state.config.domain}/sso/embed`;
        if (state.faults.captchaRequired) {
          return withCookies(
            html(200, widgetSignInPage(newCsrf(session), { message: 'Please complete the captcha (CAPTCHA_REQUIRED).' })),
            cookies,
          );
        }
        const account = state.accounts.byEmail(form.get('username') ?? '');
        if (!account || account.password !== form.get('password')) {
          return withCookies(
            html(401, widgetSignInPage(newCsrf(session), { failed: true, message: 'Invalid sign in. (Passwords are case sensitive.)' })),
            cookies,
          );
        }
        if (account.locked) {
          return withCookies(
            html(
              401,
              widgetSignInPage(newCsrf(session), {
                failed: true,
                message: 'Your account has been locked. Please use the "Forgot Password?" link to request a temporary password.',
              }),
            ),
            cookies,
          );
        }
        if (account.mfa) {
          state.sessions.startMfa(session, account.identity.accountId, account.identity.email, service);
          return withCookies(redirect(req, `/sso/verifyMFA/loginEnterMfaCode?${req.rawQuery}`), cookies);
        }
        const ticket = state.tickets.issue(account.identity.accountId, service, { viaMfa: false, widget: true });
        return withCookies(html(200, widgetSuccessPage(service, ticket.id)), [
          ...cookies,
          ...loginCookies(state, account.identity.garminGUID),
        ]);
      },
    },
    {
      method: 'GET',
      pattern: '/sso/verifyMFA/loginEnterMfaCode',
      host: 'sso',
      name: 'sso.widget.mfa-page',
      handler: (req) => {
        const { session, cookies } = sessionOf(req);
        const p = session.pendingMfa;
        if (!p) return withCookies(html(200, widgetSignInPage(newCsrf(session))), cookies);
        const account = state.accounts.byId(p.accountId)!;
        return withCookies(
          html(200, widgetMfaPage(newCsrf(session), { customerGuid: account.identity.garminGUID, codeSentTo: account.maskedEmail })),
          cookies,
        );
      },
    },
    {
      method: 'POST',
      pattern: '/sso/verifyMFA/loginEnterMfaCode',
      host: 'sso',
      name: 'sso.widget.mfa',
      handler: (req) => {
        const session = state.sessions.get(req.cookies.SESSION);
        if (!session) return html(200, widgetSignInPage(''));
        if (!csrfOk(session, req)) return forbidden();
        const pending = session.pendingMfa;
        const check = state.sessions.checkMfa(session, formBody(req).get('mfa-code') ?? '');
        if (check.ok) {
          const token = state.random.alnum(10);
          session.loginToken = { token, accountId: check.pending.accountId, service: check.pending.service };
          return redirect(req, `/sso/login?logintoken=${token}&${req.rawQuery}`);
        }
        if (check.reason === 'invalid' && pending) {
          const account = state.accounts.byId(pending.accountId)!;
          return html(
            200,
            widgetMfaPage(newCsrf(session), { customerGuid: account.identity.garminGUID, codeSentTo: account.maskedEmail, invalid: true }),
          );
        }
        return html(200, widgetSignInPage(newCsrf(session), { message: 'The code you entered is expired. Please request a new code.' }));
      },
    },
    {
      method: 'POST',
      pattern: '/sso/verifyMFA/mfaCode',
      host: 'sso',
      name: 'sso.widget.mfa-resend',
      handler: (req) => {
        const session = state.sessions.get(req.cookies.SESSION);
        const p = session ? state.sessions.resendMfa(session) : undefined;
        return p
          ? json(200, { responseStatus: { type: 'SUCCESSFUL', message: '', httpStatus: 'OK' } })
          : json(400, { responseStatus: { type: 'INVALID_SESSION', message: 'generateMfacodeError', httpStatus: 'BAD_REQUEST' } });
      },
    },
    {
      method: 'GET',
      pattern: '/sso/login',
      host: 'sso',
      name: 'sso.widget.login',
      handler: (req) => {
        const session = state.sessions.get(req.cookies.SESSION);
        const lt = session?.loginToken;
        if (!session || !lt || lt.token !== req.query.get('logintoken')) return html(200, widgetSignInPage(''));
        delete session.loginToken;
        const account = state.accounts.byId(lt.accountId)!;
        const ticket = state.tickets.issue(lt.accountId, lt.service, { viaMfa: true, widget: true });
        return withCookies(html(200, widgetSuccessPage(lt.service, ticket.id)), loginCookies(state, account.identity.garminGUID));
      },
    },
  ];
}
