/**
 * Generation B tokens (garmin-protocol.md §4): a service ticket becomes an OAuth1 token at
 * `preauthorized`, and the OAuth1 token is exchanged for an OAuth2 Bearer at `exchange/user/2.0`.
 * Refreshing is simply exchanging again (garth never uses the OAuth2 refresh token).
 */
import { AppError } from '../core/index.js';
import type { Random } from '../core/index.js';
import type { GarminEndpoints } from './endpoints.js';
import { OAUTH1_UA } from './headers.js';
import { sendRequest } from './http.js';
import { readJson, readText } from './upstream-answer.js';
import type { HttpDeps } from './http.js';
import { oauth1AuthorizationHeader } from './oauth1.js';
import type { GarminTokenSet } from './types.js';
import { expectObject, protocolChanged, reqNumber, reqString } from './validate.js';

export interface OAuth1Consumer {
  key: string;
  secret: string;
}

/** The emulator's documented default consumer (garth fetched the real one from S3). */
export const DEFAULT_CONSUMER: OAuth1Consumer = { key: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', secret: 'emulator-consumer-secret' };

/** Audience sent only on the exchange right after login (on refresh Garmin answered 403 "Client app validation failed"). */
export const EXCHANGE_AUDIENCE = 'GARMIN_CONNECT_MOBILE_ANDROID_DI';

const RATE_LIMIT_DEFAULT_MS = 15 * 60_000;

export type OAuth1Token = NonNullable<GarminTokenSet['oauth1']>;

/** A ~30-digit numeric nonce like oauthlib's, from the injected Random. */
function nonce(random: Random): string {
  const b = random.bytes(13);
  return BigInt(`0x${b.toString('hex')}`)
    .toString()
    .padStart(30, '0')
    .slice(-30);
}

function timestamp(nowMs: number): string {
  return String(Math.floor(nowMs / 1000));
}

/**
 * GET preauthorized with the ticket: the login-url goes on the wire un-encoded, as garth builds it.
 * 401 (ticket/service mismatch) → GARMIN_TOKEN_REJECTED; 429 → GARMIN_RATE_LIMITED.
 */
export async function preauthorize(
  http: HttpDeps,
  endpoints: GarminEndpoints,
  consumer: OAuth1Consumer,
  ticket: string,
  loginUrl: string,
  signal?: AbortSignal,
): Promise<OAuth1Token> {
  const url = `${endpoints.connectApi}/oauth-service/oauth/preauthorized?ticket=${ticket}&login-url=${loginUrl}&accepts-mfa-tokens=true`;
  const label = 'OAuth1 preauthorized';
  const authorization = oauth1AuthorizationHeader(
    { consumerKey: consumer.key, consumerSecret: consumer.secret },
    { method: 'GET', url, nonce: nonce(http.random), timestamp: timestamp(http.clock.now()) },
  );
  return sendRequest(
    http,
    {
      method: 'GET',
      url,
      headers: { 'User-Agent': OAUTH1_UA, Accept: '*/*', Authorization: authorization },
      retries: 0,
      label,
      rateLimitDefaultMs: RATE_LIMIT_DEFAULT_MS,
    },
    async (res) => {
      const text = await readText(res);
      if (res.status === 401 || res.status === 403)
        throw new AppError('GARMIN_TOKEN_REJECTED', 'Garmin refused the service ticket at preauthorized.', { status: res.status });
      if (res.status !== 200) throw new AppError('GARMIN_UNAVAILABLE', undefined, { endpoint: label, status: res.status });
      const q = new URLSearchParams(text.trim());
      const token = q.get('oauth_token');
      const secret = q.get('oauth_token_secret');
      if (!token || !secret) throw protocolChanged(label, 'oauth_token/oauth_token_secret missing');
      return { token, secret, mfaToken: q.get('mfa_token'), mfaExpiresAt: q.get('mfa_expiration_timestamp') };
    },
    signal,
  );
}

/**
 * POST exchange/user/2.0 signed with the OAuth1 token; form `audience` (login only) and
 * `mfa_token` are part of the signature. 401/403 → GARMIN_REAUTH_REQUIRED (the OAuth1 token is dead).
 */
export async function exchangeOAuth1(
  http: HttpDeps,
  endpoints: GarminEndpoints,
  consumer: OAuth1Consumer,
  oauth1: OAuth1Token,
  opts: { audience?: string },
  signal?: AbortSignal,
): Promise<GarminTokenSet> {
  const url = `${endpoints.connectApi}/oauth-service/oauth/exchange/user/2.0`;
  const label = 'OAuth1 exchange';
  const form: [string, string][] = [];
  if (opts.audience) form.push(['audience', opts.audience]);
  if (oauth1.mfaToken) form.push(['mfa_token', oauth1.mfaToken]);
  const authorization = oauth1AuthorizationHeader(
    { consumerKey: consumer.key, consumerSecret: consumer.secret, token: oauth1.token, tokenSecret: oauth1.secret },
    { method: 'POST', url, form, nonce: nonce(http.random), timestamp: timestamp(http.clock.now()) },
  );
  return sendRequest(
    http,
    {
      method: 'POST',
      url,
      headers: {
        'User-Agent': OAUTH1_UA,
        Accept: '*/*',
        Authorization: authorization,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form).toString(),
      retries: 0,
      label,
      rateLimitDefaultMs: RATE_LIMIT_DEFAULT_MS,
    },
    async (res) => {
      if (res.status === 401 || res.status === 403) {
        await readText(res);
        throw new AppError('GARMIN_REAUTH_REQUIRED', 'Garmin no longer accepts the OAuth1 token.', { status: res.status });
      }
      if (res.status !== 200) {
        await readText(res);
        throw new AppError('GARMIN_UNAVAILABLE', undefined, { endpoint: label, status: res.status });
      }
      const o = expectObject(await readJson(res, label, http.clock.now(), RATE_LIMIT_DEFAULT_MS), label);
      const now = http.clock.now();
      const refreshIn = typeof o.refresh_token_expires_in === 'number' ? o.refresh_token_expires_in : null;
      return {
        kind: 'oauth1',
        accessToken: reqString(o, 'access_token', label),
        accessExpiresAt: now + reqNumber(o, 'expires_in', label) * 1000,
        refreshToken: typeof o.refresh_token === 'string' ? o.refresh_token : null,
        refreshExpiresAt: refreshIn !== null ? now + refreshIn * 1000 : null,
        oauth1: { ...oauth1 },
      } satisfies GarminTokenSet;
    },
    signal,
  );
}
