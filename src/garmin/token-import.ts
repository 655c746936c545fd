/**
 * Token import, the escape hatch for the next time Garmin changes its login: a DI token pair,
 * garth's two token files (or its base64 `dumps()` string), python-garminconnect's
 * garmin_tokens.json, or a bare DI refresh token. Parsing only; GarminAuth validates online.
 */
import { AppError } from '../core/index.js';
import { DI_CLIENT_IDS } from './di-token.js';
import { jwtClaims } from './jwt.js';
import type { GarminTokenSet } from './types.js';
import { isObject } from './validate.js';
import type { Json } from './validate.js';

export interface ParsedTokenImport {
  tokens: GarminTokenSet;
  /** Which format was recognised (for logs and reports). */
  format: 'di-pair' | 'garth' | 'garth-base64' | 'python-garminconnect' | 'di-refresh-token' | 'token-set';
  /** The access token is missing or expired: refresh before validating. */
  needsRefresh: boolean;
}

function bad(message: string): AppError {
  return new AppError('VALIDATION_FAILED', `Token import: ${message}`, { field: 'tokens' });
}

function str(o: Json, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

function num(o: Json, key: string): number | null {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function parseJsonMaybe(v: unknown, what: string): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    throw bad(`${what} is not JSON.`);
  }
}

function diExpiry(accessToken: string | null, nowMs: number): number {
  const exp = accessToken ? jwtClaims(accessToken)?.exp : undefined;
  // Without a readable exp the token is treated as expiring now: one refresh, then validation.
  return typeof exp === 'number' ? exp * 1000 : nowMs;
}

function diSet(accessToken: string | null, refreshToken: string, clientId: string | null, nowMs: number): GarminTokenSet {
  const claimed = accessToken ? jwtClaims(accessToken)?.client_id : undefined;
  return {
    kind: 'di',
    accessToken: accessToken ?? '',
    accessExpiresAt: accessToken ? diExpiry(accessToken, nowMs) : nowMs,
    refreshToken,
    refreshExpiresAt: null,
    clientId: clientId ?? (typeof claimed === 'string' ? claimed : DI_CLIENT_IDS[0]),
  };
}

function garthSet(oauth1Raw: unknown, oauth2Raw: unknown, nowMs: number): GarminTokenSet {
  const o1 = parseJsonMaybe(oauth1Raw, 'oauth1_token.json');
  if (!isObject(o1)) throw bad('oauth1_token.json must be an object.');
  const token = str(o1, 'oauth_token');
  const secret = str(o1, 'oauth_token_secret');
  if (!token || !secret) throw bad('oauth1_token.json needs oauth_token and oauth_token_secret.');
  const o2 = oauth2Raw === undefined || oauth2Raw === null ? null : parseJsonMaybe(oauth2Raw, 'oauth2_token.json');
  if (o2 !== null && !isObject(o2)) throw bad('oauth2_token.json must be an object.');
  const access = o2 ? str(o2, 'access_token') : null;
  const expiresAt = o2 ? num(o2, 'expires_at') : null;
  const refreshExpiresAt = o2 ? num(o2, 'refresh_token_expires_at') : null;
  return {
    kind: 'oauth1',
    accessToken: access ?? '',
    accessExpiresAt: access && expiresAt !== null ? expiresAt * 1000 : nowMs,
    refreshToken: o2 ? str(o2, 'refresh_token') : null,
    refreshExpiresAt: refreshExpiresAt !== null ? refreshExpiresAt * 1000 : null,
    oauth1: {
      token,
      secret,
      mfaToken: str(o1, 'mfa_token'),
      mfaExpiresAt: str(o1, 'mfa_expiration_timestamp'),
    },
  };
}

function result(tokens: GarminTokenSet, format: ParsedTokenImport['format'], nowMs: number): ParsedTokenImport {
  return { tokens, format, needsRefresh: tokens.accessToken === '' || tokens.accessExpiresAt <= nowMs };
}

function fromObject(o: Json, nowMs: number, format?: ParsedTokenImport['format']): ParsedTokenImport {
  if (o.kind === 'di' || o.kind === 'oauth1') {
    const access = str(o, 'accessToken');
    if (!access || typeof o.accessExpiresAt !== 'number') throw bad('a token set needs accessToken and accessExpiresAt.');
    return result(o as unknown as GarminTokenSet, 'token-set', nowMs);
  }
  if ('di_token' in o || 'di_refresh_token' in o) {
    const refresh = str(o, 'di_refresh_token');
    if (!refresh) throw bad('garmin_tokens.json needs di_refresh_token.');
    return result(diSet(str(o, 'di_token'), refresh, str(o, 'di_client_id'), nowMs), 'python-garminconnect', nowMs);
  }
  const o1 = o.oauth1 ?? o['oauth1_token.json'] ?? o.oauth1_token;
  if (o1 !== undefined) return result(garthSet(o1, o.oauth2 ?? o['oauth2_token.json'] ?? o.oauth2_token, nowMs), format ?? 'garth', nowMs);
  if ('oauth_token' in o) return result(garthSet(o, null, nowMs), format ?? 'garth', nowMs);
  const refresh = str(o, 'refreshToken', 'refresh_token');
  if (refresh) {
    return result(diSet(str(o, 'accessToken', 'access_token'), refresh, str(o, 'clientId', 'client_id'), nowMs), 'di-pair', nowMs);
  }
  throw bad('unrecognised token format (expected a DI pair, garth token files or garmin_tokens.json).');
}

/**
 * Recognises the supported token formats and returns a token set (access token possibly empty
 * or expired: then `needsRefresh`). Throws VALIDATION_FAILED for anything else.
 */
export function parseTokenImport(input: unknown, nowMs: number): ParsedTokenImport {
  if (Array.isArray(input)) {
    if (input.length !== 2) throw bad('a garth token array has two elements [oauth1, oauth2].');
    return result(garthSet(input[0], input[1], nowMs), 'garth', nowMs);
  }
  if (isObject(input)) return fromObject(input, nowMs);
  if (typeof input === 'string') {
    const trimmed = input.trim();
    if (trimmed === '') throw bad('the input is empty.');
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseTokenImport(parseJsonMaybe(trimmed, 'the input'), nowMs);
    if (/^[A-Za-z0-9+/=_-]+$/.test(trimmed)) {
      const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
      if (decoded.startsWith('[') || decoded.startsWith('{')) {
        let value: unknown;
        try {
          value = JSON.parse(decoded);
        } catch {
          value = undefined;
        }
        if (Array.isArray(value) && value.length === 2) return { ...result(garthSet(value[0], value[1], nowMs), 'garth-base64', nowMs) };
        if (isObject(value)) return { ...fromObject(value, nowMs) };
      }
    }
    // Anything else that is one token-like word is taken as a bare DI refresh token.
    if (/^\S+$/.test(trimmed)) return result(diSet(null, trimmed, null, nowMs), 'di-refresh-token', nowMs);
  }
  throw bad('unrecognised token format.');
}
