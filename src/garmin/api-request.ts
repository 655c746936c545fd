/**
 * One Bearer request to the Connect API (garmin-protocol.md §5.4, §6) with the native header
 * set; the answer classified: 2xx → handler, 204 → null, 401 → GARMIN_TOKEN_REJECTED (with
 * Garmin's www-authenticate description), 404 → GARMIN_NOT_FOUND, other 4xx → GARMIN_UNAVAILABLE.
 */
import { AppError } from '../core/index.js';
import type { TransportResponse } from '../transport/index.js';
import type { GarminEndpoints } from './endpoints.js';
import { nativeHeaders } from './headers.js';
import { sendRequest } from './http.js';
import { readJson, readText } from './upstream-answer.js';
import type { HttpDeps } from './http.js';
import type { GarminProfile } from './types.js';
import { expectObject, optString, reqNumber, reqString } from './validate.js';
import type { Json } from './validate.js';

/** Without a Retry-After, a data-API 429 asks for a minute's pause. */
export const API_RATE_LIMIT_DEFAULT_MS = 60_000;

export interface ApiCall {
  path: string;
  query?: Record<string, string | number | undefined>;
  label: string;
  retries: number;
  /** Re-sends after a 429 once the limiter paused the account (see sendRequest). */
  rateLimitRetries?: number;
  accept?: string;
}

/** Builds https://connectapi…/path?query; path segments are ours, values URL-encoded. */
export function apiUrl(endpoints: GarminEndpoints, path: string, query?: ApiCall['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return `${endpoints.connectApi}${path}${qs ? `?${qs}` : ''}`;
}

function rejected(res: TransportResponse, label: string): AppError {
  const www = res.headers.get('www-authenticate') ?? '';
  const description = /error_description="([^"]*)"/.exec(www)?.[1] ?? null;
  return new AppError('GARMIN_TOKEN_REJECTED', description ? `Garmin rejected the access token: ${description}.` : undefined, {
    endpoint: label,
    status: res.status,
    www_authenticate_error: description,
  });
}

/**
 * Sends one authenticated GET; `handle` receives 2xx answers other than 204 (which yields null).
 * Retries (GET only) on 5xx/resets/timeouts as {@link sendRequest} does.
 */
export async function apiGet<T>(
  http: HttpDeps,
  endpoints: GarminEndpoints,
  accessToken: string,
  call: ApiCall,
  handle: (res: TransportResponse, signal: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
): Promise<T | null> {
  return sendRequest(
    http,
    {
      method: 'GET',
      url: apiUrl(endpoints, call.path, call.query),
      headers: nativeHeaders({ Authorization: `Bearer ${accessToken}`, Accept: call.accept ?? 'application/json' }),
      retries: call.retries,
      rateLimitRetries: call.rateLimitRetries ?? 0,
      label: call.label,
      rateLimitDefaultMs: API_RATE_LIMIT_DEFAULT_MS,
    },
    async (res, combined) => {
      if (res.status === 204) return null;
      if (res.status >= 200 && res.status < 300) return handle(res, combined);
      await readText(res).catch(() => '');
      if (res.status === 401 || res.status === 403) throw rejected(res, call.label);
      if (res.status === 404) throw new AppError('GARMIN_NOT_FOUND', undefined, { endpoint: call.label });
      throw new AppError('GARMIN_UNAVAILABLE', undefined, { endpoint: call.label, status: res.status, reason: `HTTP ${res.status}` });
    },
    signal,
  );
}

/** {@link apiGet} for a JSON body (null on 204). */
export function apiGetJson(
  http: HttpDeps,
  endpoints: GarminEndpoints,
  accessToken: string,
  call: ApiCall,
  signal?: AbortSignal,
): Promise<unknown> {
  return apiGet(
    http,
    endpoints,
    accessToken,
    call,
    (res) => readJson(res, call.label, http.clock.now(), API_RATE_LIMIT_DEFAULT_MS),
    signal,
  );
}

export const SOCIAL_PROFILE_PATH = '/userprofile-service/socialProfile';

/** Validates a socialProfile answer and picks the profile fields the service relies on. */
export function parseSocialProfile(body: unknown, label = 'socialProfile'): GarminProfile & { raw: Json } {
  const o = expectObject(body, label);
  return {
    displayName: reqString(o, 'displayName', label),
    profileId: reqNumber(o, 'profileId', label),
    userName: reqString(o, 'userName', label),
    fullName: optString(o, 'fullName', label),
    garminGUID: optString(o, 'garminGUID', label),
    raw: o,
  };
}

/** The one cheap call that proves a token works (python-garminconnect validates every login with it). */
export async function fetchSocialProfile(
  http: HttpDeps,
  endpoints: GarminEndpoints,
  accessToken: string,
  retry: { transientRetries: number; rateLimitRetries?: number },
  signal?: AbortSignal,
): Promise<GarminProfile & { raw: Json }> {
  const call = {
    path: SOCIAL_PROFILE_PATH,
    label: 'socialProfile',
    retries: retry.transientRetries,
    rateLimitRetries: retry.rateLimitRetries,
  };
  const body = await apiGetJson(http, endpoints, accessToken, call, signal);
  return parseSocialProfile(body);
}
