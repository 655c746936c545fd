import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/index.js';
import { startEmulator, type RunningEmulator } from '../index.js';
import { oauthSignature } from '../testing/oauth1-signer.js';
import { bearerProbe } from '../testing/probe-route.js';
import { ANDROID_SERVICE, mobileTicket, oauth1Token, signedFetch, readJson } from '../testing/sso-client.js';
import { decodeJwtPayload } from './jwt.js';
import { hmacSha1Signature, signatureBaseString } from './oauth1-signature.js';

const RFC = {
  consumerKey: 'dpf43f3p2l4k3l03',
  consumerSecret: 'kd94hf93k423kf44',
  token: 'nnch734d00sl2jdk',
  tokenSecret: 'pfkkdhi9sl3r4s00',
};
const PHOTOS = 'http://photos.example.net/photos?file=vacation.jpg&size=original';

describe('the test OAuth1 signer and the emulator primitives agree with the published vectors', () => {
  it('RFC 5849 §1.2 (no oauth_version)', () => {
    const s = oauthSignature({ ...RFC, method: 'GET', url: PHOTOS, nonce: 'chapoH', timestamp: '137131202', version: false });
    expect(s.signature).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
    const params: [string, string][] = [
      ['file', 'vacation.jpg'],
      ['size', 'original'],
      ['oauth_consumer_key', RFC.consumerKey],
      ['oauth_token', RFC.token],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131202'],
      ['oauth_nonce', 'chapoH'],
    ];
    const base = signatureBaseString('GET', 'http://photos.example.net/photos', params);
    expect(base).toBe(s.baseString);
    expect(hmacSha1Signature(base, RFC.consumerSecret, RFC.tokenSecret)).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
  });

  it('OAuth Core 1.0 Appendix A (with oauth_version)', () => {
    const s = oauthSignature({ ...RFC, method: 'GET', url: PHOTOS, nonce: 'kllo9940pd9333jh', timestamp: '1191242096' });
    expect(s.baseString).toBe(
      'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal',
    );
    expect(s.signature).toBe('tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
    expect(hmacSha1Signature(s.baseString, RFC.consumerSecret, RFC.tokenSecret)).toBe('tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
  });
});

describe('OAuth1 preauthorized and exchange', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ activities: 2, days: 2, workouts: 1, extraRoutes: [bearerProbe] });
  });
  afterAll(() => emu.close());

  const preauth = (ticket: string, loginUrl = ANDROID_SERVICE, opts = {}) =>
    signedFetch(emu, 'GET', `/oauth-service/oauth/preauthorized?ticket=${ticket}&login-url=${loginUrl}&accepts-mfa-tokens=true`, opts);

  it('turns a ticket into a form-encoded OAuth1 token (no mfa_token without MFA)', async () => {
    const res = await preauth(await mobileTicket(emu, 'nomfa@example.com'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain;charset=utf-8');
    const fields = Object.fromEntries(new URLSearchParams(await res.text()));
    expect(Object.keys(fields)).toEqual(['oauth_token', 'oauth_token_secret']);
  });

  it('adds mfa_token and a one-year expiry for logins that went through MFA', async () => {
    const fields = await oauth1Token(emu, 'demo@example.com');
    expect(fields.mfa_token).toMatch(/^MFA-\d+-[A-Za-z0-9]+-cas$/);
    expect(fields.mfa_expiration_timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
    const expiry = Date.parse(fields.mfa_expiration_timestamp!.replace(' ', 'T') + 'Z');
    expect(expiry - Date.now()).toBeGreaterThan(364 * 86_400_000);
  });

  it('rejects a bad signature, a foreign consumer and a stale timestamp with 401', async () => {
    expect((await preauth(await mobileTicket(emu, 'nomfa@example.com'), ANDROID_SERVICE, { consumerSecret: 'wrong' })).status).toBe(401);
    expect(
      (await preauth(await mobileTicket(emu, 'nomfa@example.com'), ANDROID_SERVICE, { nowSec: Math.floor(Date.now() / 1000) - 3600 }))
        .status,
    ).toBe(401);
    const unsigned = await fetch(`${emu.url}/oauth-service/oauth/preauthorized?ticket=x&login-url=${ANDROID_SERVICE}`);
    expect(unsigned.status).toBe(401);
  });

  it('rejects a reused ticket and a ticket for another service', async () => {
    const ticket = await mobileTicket(emu, 'nomfa@example.com');
    expect((await preauth(ticket)).status).toBe(200);
    expect((await preauth(ticket)).status).toBe(401);
    const other = await mobileTicket(emu, 'nomfa@example.com');
    expect((await preauth(other, 'https://mobile.integration.garmin.com/gcm/ios')).status).toBe(401);
    // A mismatch burns the ticket, as CAS does.
    expect((await preauth(other)).status).toBe(401);
  });

  it('exchanges OAuth1 for OAuth2 with the documented JSON; audience only on the first exchange', async () => {
    const o1 = await oauth1Token(emu, 'demo@example.com');
    const creds = { token: o1.oauth_token!, tokenSecret: o1.oauth_token_secret! };
    const first = await signedFetch(emu, 'POST', '/oauth-service/oauth/exchange/user/2.0', {
      ...creds,
      form: { audience: 'GARMIN_CONNECT_MOBILE_ANDROID_DI', mfa_token: o1.mfa_token! },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-cache, no-store, private');
    const body = await readJson(first);
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'expires_in',
      'jti',
      'refresh_token',
      'refresh_token_expires_in',
      'scope',
      'token_type',
    ]);
    expect(body.token_type).toBe('bearer');
    expect(Number.isInteger(body.expires_in)).toBe(true);
    expect(body.refresh_token_expires_in).toBe(2_591_999);
    expect(body.scope).toContain('CONNECT_READ');
    const claims = decodeJwtPayload(body.access_token);
    expect(claims.iss).toBe('https://diauth.garmin.com');
    expect(claims.jti).toBe(body.jti);

    const probe = await fetch(`${emu.url}/test-probe/whoami`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(probe.status).toBe(200);

    const again = await signedFetch(emu, 'POST', '/oauth-service/oauth/exchange/user/2.0', {
      ...creds,
      form: { audience: 'GARMIN_CONNECT_MOBILE_ANDROID_DI' },
    });
    expect(again.status).toBe(403);
    expect(await readJson(again)).toEqual({ error: 'Client app validation failed' });
    const refresh = await signedFetch(emu, 'POST', '/oauth-service/oauth/exchange/user/2.0', {
      ...creds,
      form: { mfa_token: o1.mfa_token! },
    });
    expect(refresh.status).toBe(200);
    const empty = await signedFetch(emu, 'POST', '/oauth-service/oauth/exchange/user/2.0', creds);
    expect(empty.status).toBe(200);
  });

  it('refuses an exchange with a wrong token secret, and after revocation', async () => {
    const o1 = await oauth1Token(emu, 'nomfa@example.com');
    const bad = await signedFetch(emu, 'POST', '/oauth-service/oauth/exchange/user/2.0', { token: o1.oauth_token!, tokenSecret: 'nope' });
    expect(bad.status).toBe(401);
    emu.revokeRefreshTokens('nomfa@example.com');
    const revoked = await signedFetch(emu, 'POST', '/oauth-service/oauth/exchange/user/2.0', {
      token: o1.oauth_token!,
      tokenSecret: o1.oauth_token_secret!,
    });
    expect(revoked.status).toBe(401);
  });
});

describe('ticket lifetime', () => {
  it('refuses a ticket redeemed after two minutes', async () => {
    const clock = new FakeClock(Date.now());
    const emu = await startEmulator({ clock, activities: 1, days: 1, workouts: 0 });
    try {
      const ticket = await mobileTicket(emu, 'nomfa@example.com');
      clock.advance(121_000);
      const res = await signedFetch(
        emu,
        'GET',
        `/oauth-service/oauth/preauthorized?ticket=${ticket}&login-url=${ANDROID_SERVICE}&accepts-mfa-tokens=true`,
        {
          nowSec: Math.floor(clock.now() / 1000),
        },
      );
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('expired');
    } finally {
      await emu.close();
    }
  });
});
