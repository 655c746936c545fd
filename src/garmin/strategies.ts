/**
 * The login strategies, in the order of garmin-protocol.md "What we build against". Each one is
 * an SSO flow (how a service ticket is obtained, with its MFA step) plus a token step (how the
 * ticket becomes a Bearer token). GarminAuth runs them as a chain.
 */
import type { GarminEndpoints } from './endpoints.js';
import type { HttpDeps } from './http.js';
import { exchangeTicketForDi } from './di-token.js';
import { JSON_SSO_FLOWS, jsonSsoLogin, jsonSsoVerifyMfa, pinSsoBackend, queryFor } from './json-sso.js';
import type { JsonSsoFlowName, TicketResult } from './json-sso.js';
import { exchangeOAuth1, EXCHANGE_AUDIENCE, preauthorize } from './oauth1-exchange.js';
import type { OAuth1Consumer } from './oauth1-exchange.js';
import type { SsoSession } from './sso-session.js';
import type { GarminTokenSet } from './types.js';
import { isObject } from './validate.js';
import { widgetLogin, widgetVerifyMfa } from './widget-sso.js';

export interface StrategyContext {
  http: HttpDeps;
  endpoints: GarminEndpoints;
  consumer: OAuth1Consumer;
  /** DI client ids, tried in order on the ticket exchange. */
  diClientIds: readonly string[];
}

export type StrategyStep =
  ({ kind: 'ticket' } & TicketResult) | { kind: 'mfa'; method: string; serviceUrl: string; extra: Record<string, unknown> };

export interface LoginStrategy {
  readonly name: string;
  login(
    ctx: StrategyContext,
    session: SsoSession,
    creds: { username: string; password: string },
    signal?: AbortSignal,
  ): Promise<StrategyStep>;
  /** `extra` is what login put into the MFA state (plain JSON). */
  verifyMfa(
    ctx: StrategyContext,
    session: SsoSession,
    method: string,
    extra: Record<string, unknown>,
    code: string,
    signal?: AbortSignal,
  ): Promise<TicketResult>;
  tokens(ctx: StrategyContext, session: SsoSession, ticket: TicketResult, signal?: AbortSignal): Promise<GarminTokenSet>;
}

function jsonStrategy(name: string, flow: JsonSsoFlowName, tokens: LoginStrategy['tokens']): LoginStrategy {
  return {
    name,
    async login(ctx, session, creds, signal) {
      const r = await jsonSsoLogin(session, ctx.endpoints, flow, creds, signal);
      if (r.kind === 'ticket') return r;
      return {
        kind: 'mfa',
        method: r.method,
        serviceUrl: r.serviceUrl,
        extra: { flow, query: queryFor(JSON_SSO_FLOWS[flow], ctx.endpoints.domain) },
      };
    },
    verifyMfa(ctx, session, method, extra, code, signal) {
      const query = typeof extra.query === 'string' ? extra.query : undefined;
      return jsonSsoVerifyMfa(session, ctx.endpoints, flow, method, code, signal, query);
    },
    tokens,
  };
}

const diTokens: LoginStrategy['tokens'] = (ctx, _session, ticket, signal) =>
  exchangeTicketForDi(ctx.http, ctx.endpoints, ticket.ticket, ticket.serviceUrl, signal, ctx.diClientIds);

/** garth 0.8: pin the SSO backend, preauthorize the ticket (login-url = its service URL), exchange with the audience. */
const oauth1Tokens: LoginStrategy['tokens'] = async (ctx, session, ticket, signal) => {
  await pinSsoBackend(session, ctx.endpoints, `${ctx.endpoints.sso}/mobile/api/login`, signal);
  const oauth1 = await preauthorize(ctx.http, ctx.endpoints, ctx.consumer, ticket.ticket, ticket.serviceUrl, signal);
  return exchangeOAuth1(ctx.http, ctx.endpoints, ctx.consumer, oauth1, { audience: EXCHANGE_AUDIENCE }, signal);
};

const widgetStrategy: LoginStrategy = {
  name: 'widget',
  async login(ctx, session, creds, signal) {
    const r = await widgetLogin(session, ctx.endpoints, creds, signal);
    if (r.kind === 'ticket') return r;
    return { kind: 'mfa', method: r.method, serviceUrl: `${ctx.endpoints.sso}/sso/embed`, extra: { csrf: r.csrf, mfaUrl: r.mfaUrl } };
  },
  verifyMfa(ctx, session, _method, extra, code, signal) {
    const csrf = typeof extra.csrf === 'string' ? extra.csrf : '';
    const mfaUrl = typeof extra.mfaUrl === 'string' ? extra.mfaUrl : '';
    return widgetVerifyMfa(session, ctx.endpoints, { csrf, mfaUrl }, code, signal);
  },
  // python-garminconnect 0.3 exchanges widget tickets for DI tokens (not OAuth1 as garth did).
  tokens: diTokens,
};

/** Every strategy by name. */
export const STRATEGIES: Record<string, LoginStrategy> = {
  'mobile-di': jsonStrategy('mobile-di', 'mobile-ios', diTokens),
  'mobile-oauth1': jsonStrategy('mobile-oauth1', 'mobile-android', oauth1Tokens),
  'portal-di': jsonStrategy('portal-di', 'portal', diTokens),
  widget: widgetStrategy,
};

/** The default chain: mobile JSON → DI, mobile JSON → OAuth1, portal JSON → DI, legacy widget → DI. */
export const DEFAULT_STRATEGIES: readonly string[] = ['mobile-di', 'mobile-oauth1', 'portal-di', 'widget'];

export function isStrategyExtra(v: unknown): v is Record<string, unknown> {
  return isObject(v);
}
