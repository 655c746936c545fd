import type { EmuRequest, EmuResponse, EmuRoute } from '../http/types.js';
import { formBody, header, json } from '../http/responses.js';
import { DI_SERVICE_TICKET_GRANT, type EmuState } from '../state.js';
import { REFRESH_TOKEN_LIFETIME_SEC } from './token-registry.js';

const NO_CACHE = { 'cache-control': 'no-store', pragma: 'no-cache' };

function oauthError(status: number, error: string, description: string): EmuResponse {
  return json(status, { error, error_description: description }, NO_CACHE);
}

/** The client id of `Authorization: Basic base64("<client_id>:")` (empty secret). */
function basicClientId(req: EmuRequest): string | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(0, colon);
}

/**
 * Generation C's token endpoint (garmin-protocol.md §5): service-ticket grant and refresh grant
 * with rotation. Refresh tokens are single-use: the old one dies on use, a replay is
 * 400 invalid_grant.
 */
export function diRoutes(state: EmuState): EmuRoute[] {
  return [
    {
      method: 'POST',
      pattern: '/di-oauth2-service/oauth/token',
      host: 'diauth',
      name: 'di.token',
      handler: (req) => counted(state, req, token(state, req)),
    },
  ];
}

/** Counts the answer by grant and client id (stats.diTokens), so tests see which id was used for what. */
function counted(state: EmuState, req: EmuRequest, res: EmuResponse): EmuResponse {
  const grant = formBody(req).get('grant_type');
  const kind = grant === DI_SERVICE_TICKET_GRANT ? 'exchange' : grant === 'refresh_token' ? 'refresh' : 'other';
  const key = `${kind} ${basicClientId(req) ?? '-'} ${res.status}`;
  state.stats.diTokens[key] = (state.stats.diTokens[key] ?? 0) + 1;
  return res;
}

function token(state: EmuState, req: EmuRequest): EmuResponse {
  const clientId = basicClientId(req);
  // A retired id (never accepted, or rotated out by the rejectDiClientIds knob) fails client
  // authentication before any grant is looked at: a refresh token of that id is dead with it.
  if (!clientId || !state.config.diClientIds.includes(clientId) || state.faults.rejectDiClientIds.includes(clientId)) {
    return oauthError(401, 'invalid_client', 'Bad client credentials');
  }
  const form = formBody(req);
  const formClient = form.get('client_id');
  if (formClient !== null && formClient !== clientId)
    return oauthError(401, 'invalid_client', 'client_id does not match the authenticated client');
  const grantType = form.get('grant_type');

  if (grantType === DI_SERVICE_TICKET_GRANT) {
    const ticketId = form.get('service_ticket');
    const serviceUrl = form.get('service_url');
    if (!ticketId || !serviceUrl) return oauthError(400, 'invalid_request', 'service_ticket and service_url are required');
    const redeemed = state.tickets.redeem(ticketId, serviceUrl);
    if (!redeemed.ok) {
      const why =
        redeemed.reason === 'service_mismatch'
          ? `ticket '${ticketId}' does not match supplied service`
          : `ticket '${ticketId}' not recognized`;
      return oauthError(400, 'invalid_grant', why);
    }
    // Tokens minted from embed-widget tickets are refused by the API tier (python-garminconnect #369).
    return issue(state, redeemed.ticket.accountId, clientId, redeemed.ticket.widget);
  }

  if (grantType === 'refresh_token') {
    const refresh = form.get('refresh_token');
    if (!refresh) return oauthError(400, 'invalid_request', 'refresh_token is required');
    const grant = state.tokens.consumeRefresh(refresh, clientId);
    if (!grant) return oauthError(400, 'invalid_grant', `Invalid refresh token: ${refresh.slice(0, 8)}…`);
    return issue(state, grant.accountId, clientId, grant.notActive);
  }

  return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType ?? ''}`);
}

function issue(state: EmuState, accountId: string, clientId: string, notActive: boolean): EmuResponse {
  const account = state.accounts.byId(accountId)!;
  const minted = state.tokens.mintAccess(accountId, account.identity.garminGUID, clientId, state.faults.tokenLifetimeSec, notActive);
  const refresh = state.tokens.mintRefresh(accountId, clientId, notActive);
  return json(
    200,
    {
      access_token: minted.accessToken,
      token_type: 'bearer',
      refresh_token: refresh,
      expires_in: minted.expiresIn,
      scope: 'CONNECT_READ CONNECT_WRITE',
      jti: minted.jti,
      refresh_token_expires_in: REFRESH_TOKEN_LIFETIME_SEC,
    },
    NO_CACHE,
  );
}
