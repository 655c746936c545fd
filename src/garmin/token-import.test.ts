import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/index.js';
import { parseTokenImport } from './token-import.js';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims: object) => `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}.c2ln`;

const garthOAuth1 = {
  oauth_token: 'ot-1',
  oauth_token_secret: 'os-1',
  mfa_token: 'MFA-1578-abc-cas',
  mfa_expiration_timestamp: '2027-03-18T05:33:02',
  domain: 'garmin.com',
};
const garthOAuth2 = {
  scope: 'CONNECT_READ CONNECT_WRITE',
  jti: 'j',
  token_type: 'Bearer',
  access_token: 'at-1',
  refresh_token: 'rt-1',
  expires_in: 93255,
  expires_at: NOW / 1000 + 3600,
  refresh_token_expires_in: 2591999,
  refresh_token_expires_at: NOW / 1000 + 2591999,
};

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isAppError(e) ? e.code : 'not an AppError';
  }
  return undefined;
}

describe('parseTokenImport', () => {
  it('reads garth token files (objects or JSON strings, keyed by name or as an array)', () => {
    for (const input of [
      { oauth1: garthOAuth1, oauth2: garthOAuth2 },
      { 'oauth1_token.json': JSON.stringify(garthOAuth1, null, 4), 'oauth2_token.json': JSON.stringify(garthOAuth2, null, 4) },
      [garthOAuth1, garthOAuth2],
    ]) {
      const p = parseTokenImport(input, NOW);
      expect(p.format).toBe('garth');
      expect(p.needsRefresh).toBe(false);
      expect(p.tokens).toEqual({
        kind: 'oauth1',
        accessToken: 'at-1',
        accessExpiresAt: NOW + 3_600_000,
        refreshToken: 'rt-1',
        refreshExpiresAt: NOW + 2_591_999_000,
        oauth1: { token: 'ot-1', secret: 'os-1', mfaToken: 'MFA-1578-abc-cas', mfaExpiresAt: '2027-03-18T05:33:02' },
      });
    }
  });

  it("reads garth's base64 dumps() string", () => {
    const dumps = Buffer.from(JSON.stringify([garthOAuth1, garthOAuth2])).toString('base64');
    const p = parseTokenImport(dumps, NOW);
    expect(p.format).toBe('garth-base64');
    expect(p.tokens.oauth1?.token).toBe('ot-1');
  });

  it('an expired garth OAuth2 token or an OAuth1 file alone needs a re-exchange', () => {
    expect(parseTokenImport([garthOAuth1, { ...garthOAuth2, expires_at: NOW / 1000 - 1 }], NOW).needsRefresh).toBe(true);
    const only1 = parseTokenImport(garthOAuth1, NOW);
    expect(only1.needsRefresh).toBe(true);
    expect(only1.tokens.kind).toBe('oauth1');
  });

  it('reads python-garminconnect garmin_tokens.json (object or text), expiry and client id from the JWT', () => {
    const access = jwt({ client_id: 'GARMIN_CONNECT_MOBILE_ANDROID_DI', exp: NOW / 1000 + 7200, iss: 'https://diauth.garmin.com' });
    const file = { di_token: access, di_refresh_token: 'drt', di_client_id: 'GARMIN_CONNECT_MOBILE_ANDROID_DI' };
    for (const input of [file, JSON.stringify(file)]) {
      const p = parseTokenImport(input, NOW);
      expect(p.format).toBe('python-garminconnect');
      expect(p.needsRefresh).toBe(false);
      expect(p.tokens).toMatchObject({
        kind: 'di',
        accessToken: access,
        accessExpiresAt: NOW + 7_200_000,
        refreshToken: 'drt',
        clientId: 'GARMIN_CONNECT_MOBILE_ANDROID_DI',
      });
    }
    const noClient = parseTokenImport({ di_token: access, di_refresh_token: 'drt' }, NOW);
    expect(noClient.tokens.clientId).toBe('GARMIN_CONNECT_MOBILE_ANDROID_DI');
  });

  it('reads a DI pair and a bare refresh token (which needs a refresh first)', () => {
    const pair = parseTokenImport({ accessToken: jwt({ exp: NOW / 1000 - 5 }), refreshToken: 'r', clientId: 'C' }, NOW);
    expect(pair.format).toBe('di-pair');
    expect(pair.needsRefresh).toBe(true);
    expect(pair.tokens.clientId).toBe('C');
    const bare = parseTokenImport('  some-refresh-token.value  ', NOW);
    expect(bare.format).toBe('di-refresh-token');
    expect(bare.tokens).toMatchObject({ kind: 'di', accessToken: '', refreshToken: 'some-refresh-token.value' });
    expect(bare.needsRefresh).toBe(true);
  });

  it('refuses what it does not recognise with VALIDATION_FAILED', () => {
    expect(code(() => parseTokenImport({ hello: 1 }, NOW))).toBe('VALIDATION_FAILED');
    expect(code(() => parseTokenImport('', NOW))).toBe('VALIDATION_FAILED');
    expect(code(() => parseTokenImport(42, NOW))).toBe('VALIDATION_FAILED');
    expect(code(() => parseTokenImport({ oauth1: { oauth_token: 'x' } }, NOW))).toBe('VALIDATION_FAILED');
    expect(code(() => parseTokenImport({ di_token: 'x' }, NOW))).toBe('VALIDATION_FAILED');
    expect(code(() => parseTokenImport('{not json', NOW))).toBe('VALIDATION_FAILED');
  });
});
