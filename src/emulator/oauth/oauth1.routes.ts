import type { EmuRequest, EmuResponse, EmuRoute } from '../http/types.js';
import { formBody, json, text } from '../http/responses.js';
import type { EmuState } from '../state.js';
import { OAuth1Verifier } from './oauth1-verifier.js';
import { CONNECT_SCOPES } from './token-registry.js';

/** The audiences the exchange accepts right after a login (Android since garth 0.7.1; iOS in 0.7.0). */
const EXCHANGE_AUDIENCES = new Set(['GARMIN_CONNECT_MOBILE_ANDROID_DI', 'GARMIN_CONNECT_MOBILE_IOS_DI']);
const EXCHANGE_CLIENT_ID = 'GARMIN_CONNECT_MOBILE_ANDROID_DI';

const NO_CACHE = { 'cache-control': 'no-cache, no-store, private', pragma: 'no-cache' };

function unauthorized(reason: string): EmuResponse {
  // Garmin's oauth-service body is not recorded; a short text keeps clients honest (they must
  // act on the status, not on prose).
  return text(401, `OAuth authentication failed: ${reason}`);
}

/**
 * Generation B's token steps (garmin-protocol.md §4): GET preauthorized (ticket → OAuth1 token)
 * and POST exchange/user/2.0 (OAuth1 → OAuth2), both HMAC-SHA1 signed and verified for real.
 */
export function oauth1Routes(state: EmuState): EmuRoute[] {
  const verifier = new OAuth1Verifier(
    state.clock,
    state.config.consumerKey,
    state.config.consumerSecret,
    state.config.tls ? 'https' : 'http',
  );
  return [
    {
      method: 'GET',
      pattern: '/oauth-service/oauth/preauthorized',
      host: 'connectapi',
      name: 'oauth1.preauthorized',
      handler: (req) => preauthorized(state, verifier, req),
    },
    {
      method: 'POST',
      pattern: '/oauth-service/oauth/exchange/user/2.0',
      host: 'connectapi',
      name: 'oauth1.exchange',
      handler: (req) => exchange(state, verifier, req),
    },
  ];
}

function preauthorized(state: EmuState, verifier: OAuth1Verifier, req: EmuRequest): EmuResponse {
  // Preauthorized is signed with the consumer only: an oauth_token here is refused.
  const v = verifier.verify(req, () => undefined);
  if (!v.ok) return unauthorized(v.reason);
  const ticketId = req.query.get('ticket');
  const loginUrl = req.query.get('login-url');
  if (!ticketId || !loginUrl) return unauthorized('ticket and login-url are required');
  const redeemed = state.tickets.redeem(ticketId, loginUrl);
  if (!redeemed.ok) return unauthorized(`ticket ${redeemed.reason}`);
  // Since 2026-03-17 Garmin refuses tickets issued to the embed widget here (python-garminconnect #332).
  if (redeemed.ticket.widget) return unauthorized('ticket service not allowed');
  const mfa = redeemed.ticket.viaMfa && req.query.get('accepts-mfa-tokens') === 'true';
  const cred = state.tokens.mintOAuth1(redeemed.ticket.accountId, mfa);
  const pairs = [`oauth_token=${cred.token}`, `oauth_token_secret=${cred.secret}`];
  if (cred.mfaToken) pairs.push(`mfa_token=${cred.mfaToken}`, `mfa_expiration_timestamp=${cred.mfaExpiration}`);
  return text(200, pairs.join('&'));
}

function exchange(state: EmuState, verifier: OAuth1Verifier, req: EmuRequest): EmuResponse {
  const v = verifier.verify(req, (token) => state.tokens.getOAuth1(token)?.secret);
  if (!v.ok) return unauthorized(v.reason);
  if (!v.value.token) return unauthorized('oauth_token is required');
  const cred = state.tokens.getOAuth1(v.value.token)!;
  const form = formBody(req);
  const audience = form.get('audience');
  // garth 0.7.1: the audience is accepted on the exchange right after login only.
  if (audience !== null && (cred.exchanges > 0 || !EXCHANGE_AUDIENCES.has(audience))) {
    return json(403, { error: 'Client app validation failed' });
  }
  const mfaToken = form.get('mfa_token');
  if (mfaToken !== null && mfaToken !== cred.mfaToken) return unauthorized('mfa_token does not match');
  const account = state.accounts.byId(cred.accountId)!;
  cred.exchanges++;
  const minted = state.tokens.mintAccess(cred.accountId, account.identity.garminGUID, EXCHANGE_CLIENT_ID, state.faults.tokenLifetimeSec);
  const refresh = state.tokens.mintRefresh(cred.accountId, EXCHANGE_CLIENT_ID);
  return json(
    200,
    {
      scope: CONNECT_SCOPES.join(' '),
      jti: minted.jti,
      access_token: minted.accessToken,
      token_type: 'bearer',
      refresh_token: refresh,
      expires_in: minted.expiresIn,
      refresh_token_expires_in: 2_591_999,
    },
    NO_CACHE,
  );
}
