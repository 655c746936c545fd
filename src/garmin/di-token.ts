/**
 * DI OAuth2 (garmin-protocol.md §5): a service ticket becomes a DI token pair at
 * diauth/di-oauth2-service/oauth/token, and the refresh grant rotates the refresh token.
 */
import { AppError, DEFAULT_DI_CLIENT_IDS } from '../core/index.js';
import type { GarminEndpoints } from './endpoints.js';
import { nativeHeaders } from './headers.js';
import { sendRequest } from './http.js';
import { readJson, readText } from './upstream-answer.js';
import type { HttpDeps } from './http.js';
import { jwtClaims } from './jwt.js';
import type { GarminTokenSet } from './types.js';
import { expectObject, isObject, reqString } from './validate.js';

/** The default DI client ids, tried in order on the ticket exchange (declared in core: DEFAULT_DI_CLIENT_IDS). */
export const DI_CLIENT_IDS = DEFAULT_DI_CLIENT_IDS;

/** An identifier, not a URL we contact: always the .com value, even for garmin.cn. */
export const DI_SERVICE_TICKET_GRANT = 'https://connectapi.garmin.com/di-oauth2-service/oauth/grant/service_ticket';

const TOKEN_PATH = '/di-oauth2-service/oauth/token';
const RATE_LIMIT_DEFAULT_MS = 15 * 60_000;

function diHeaders(clientId: string): Record<string, string> {
  return nativeHeaders({
    Authorization: `Basic ${Buffer.from(`${clientId}:`).toString('base64')}`,
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json,text/html;q=0.9,*/*;q=0.8',
    'Cache-Control': 'no-cache',
  });
}

/** Builds a DI token set from a token answer: expiry from the JWT `exp` (else expires_in), client id from its `client_id` claim. */
export function diTokenSetFrom(
  body: unknown,
  fallbackClientId: string,
  nowMs: number,
  label: string,
  previousRefresh?: string,
): GarminTokenSet {
  const o = expectObject(body, label);
  const accessToken = reqString(o, 'access_token', label);
  const refresh = typeof o.refresh_token === 'string' && o.refresh_token ? o.refresh_token : previousRefresh;
  if (!refresh) throw new AppError('GARMIN_PROTOCOL_CHANGED', `Garmin's answer to ${label} has no refresh_token.`, { endpoint: label });
  const claims = jwtClaims(accessToken) ?? {};
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  const expiresIn = typeof o.expires_in === 'number' ? o.expires_in : null;
  const refreshIn = typeof o.refresh_token_expires_in === 'number' ? o.refresh_token_expires_in : null;
  return {
    kind: 'di',
    accessToken,
    accessExpiresAt: exp ?? nowMs + (expiresIn ?? 3600) * 1000,
    refreshToken: refresh,
    refreshExpiresAt: refreshIn !== null ? nowMs + refreshIn * 1000 : null,
    clientId: typeof claims.client_id === 'string' ? claims.client_id : fallbackClientId,
  };
}

/**
 * Exchanges a service ticket for DI tokens, trying each client id until one is accepted.
 * 429 → GARMIN_RATE_LIMITED at once; every id refused → GARMIN_UNAVAILABLE.
 */
export async function exchangeTicketForDi(
  http: HttpDeps,
  endpoints: GarminEndpoints,
  ticket: string,
  serviceUrl: string,
  signal?: AbortSignal,
  clientIds: readonly string[] = DI_CLIENT_IDS,
): Promise<GarminTokenSet> {
  const refused: { clientId: string; status: number }[] = [];
  for (const clientId of clientIds) {
    const label = 'DI token (service ticket)';
    const result = await sendRequest(
      http,
      {
        method: 'POST',
        url: `${endpoints.diAuth}${TOKEN_PATH}`,
        headers: diHeaders(clientId),
        body: new URLSearchParams({
          client_id: clientId,
          service_ticket: ticket,
          grant_type: DI_SERVICE_TICKET_GRANT,
          service_url: serviceUrl,
        }).toString(),
        retries: 0,
        label,
        rateLimitDefaultMs: RATE_LIMIT_DEFAULT_MS,
      },
      async (res) => {
        if (res.status >= 200 && res.status < 300)
          return diTokenSetFrom(await readJson(res, label, http.clock.now(), RATE_LIMIT_DEFAULT_MS), clientId, http.clock.now(), label);
        await readText(res);
        return res.status;
      },
      signal,
    );
    if (typeof result !== 'number') return result;
    refused.push({ clientId, status: result });
  }
  throw new AppError('GARMIN_UNAVAILABLE', 'Garmin refused the service ticket for every DI client id.', { endpoint: 'DI token', refused });
}

/**
 * The DI refresh grant. Returns the new set (refresh token rotated when Garmin sends one).
 * 400/401 invalid_grant (or any 4xx) → GARMIN_REAUTH_REQUIRED: terminal, never a credential login.
 * Not retried: a refresh whose answer is lost may already have rotated the token.
 */
export async function refreshDiToken(
  http: HttpDeps,
  endpoints: GarminEndpoints,
  tokens: GarminTokenSet,
  signal?: AbortSignal,
): Promise<GarminTokenSet> {
  if (!tokens.refreshToken)
    throw new AppError('GARMIN_REAUTH_REQUIRED', 'There is no DI refresh token to use.', { reason: 'no refresh token' });
  const clientId = tokens.clientId ?? DI_CLIENT_IDS[0];
  const label = 'DI token (refresh)';
  return sendRequest(
    http,
    {
      method: 'POST',
      url: `${endpoints.diAuth}${TOKEN_PATH}`,
      headers: diHeaders(clientId),
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: tokens.refreshToken }).toString(),
      retries: 0,
      label,
      rateLimitDefaultMs: RATE_LIMIT_DEFAULT_MS,
    },
    async (res) => {
      if (res.status >= 200 && res.status < 300) {
        return diTokenSetFrom(
          await readJson(res, label, http.clock.now(), RATE_LIMIT_DEFAULT_MS),
          clientId,
          http.clock.now(),
          label,
          tokens.refreshToken ?? undefined,
        );
      }
      const text = await readText(res);
      let error: string | undefined;
      try {
        const body: unknown = JSON.parse(text);
        if (isObject(body) && typeof body.error === 'string') error = body.error;
      } catch {
        /* not JSON: the status decides */
      }
      if (res.status >= 400 && res.status < 500) {
        throw new AppError('GARMIN_REAUTH_REQUIRED', undefined, { status: res.status, error: error ?? null });
      }
      throw new AppError('GARMIN_UNAVAILABLE', undefined, { endpoint: label, status: res.status });
    },
    signal,
  );
}
