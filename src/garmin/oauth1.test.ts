import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { baseStringUri, hmacSha1Signature, oauth1AuthorizationHeader, oauthPercentEncode, signatureBaseString } from './oauth1.js';

describe('OAuth1 signing (RFC 5849)', () => {
  it('percent-encodes exactly the reserved characters (§3.6)', () => {
    expect(oauthPercentEncode('Ladies + Gentlemen')).toBe('Ladies%20%2B%20Gentlemen');
    expect(oauthPercentEncode("An encoded string!*'()")).toBe('An%20encoded%20string%21%2A%27%28%29');
    expect(oauthPercentEncode('-._~AZaz09')).toBe('-._~AZaz09');
    expect(oauthPercentEncode('☃')).toBe('%E2%98%83');
  });

  it('builds the base string URI of §3.4.1.2', () => {
    expect(baseStringUri('HTTP://EXAMPLE.COM:80/r%20v/X?id=123')).toBe('http://example.com/r%20v/X');
    expect(baseStringUri('https://www.example.net:8080/?q=1')).toBe('https://www.example.net:8080/');
    expect(baseStringUri('https://example.net:443/a')).toBe('https://example.net/a');
  });

  it('reproduces the signature base string of §3.4.1.1', () => {
    const base = signatureBaseString('POST', 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b', [
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
      ['c2', ''],
      ['a3', '2 q'],
    ]);
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('signs the §1.2 photo request like the RFC', () => {
    const header = oauth1AuthorizationHeader(
      { consumerKey: 'dpf43f3p2l4k3l03', consumerSecret: 'kd94hf93k423kf44', token: 'nnch734d00sl2jdk', tokenSecret: 'pfkkdhi9sl3r4s00' },
      {
        method: 'GET',
        url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
        nonce: 'chapoH',
        timestamp: '137131202',
        includeVersion: false,
      },
    );
    expect(header).toContain('oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"');
  });

  it('matches an independent HMAC-SHA1 over the base string, key = enc(cs)&enc(ts)', () => {
    const base = 'GET&https%3A%2F%2Fx%2Fy&a%3D1';
    const expected = createHmac('sha1', 'c%26s&t%20s').update(base).digest('base64');
    expect(hmacSha1Signature(base, 'c&s', 't s')).toBe(expected);
  });

  it('signs Garmin preauthorized with the un-encoded login-url and header order of garth', () => {
    const url =
      'https://connectapi.garmin.com/oauth-service/oauth/preauthorized?ticket=ST-1-x-sso&login-url=https://mobile.integration.garmin.com/gcm/android&accepts-mfa-tokens=true';
    const header = oauth1AuthorizationHeader(
      { consumerKey: 'ck', consumerSecret: 'cs' },
      { method: 'GET', url, nonce: '123', timestamp: '1700000000' },
    );
    const names = [...header.matchAll(/(\w+)="/g)].map((m) => m[1]);
    expect(names).toEqual([
      'oauth_nonce',
      'oauth_timestamp',
      'oauth_version',
      'oauth_signature_method',
      'oauth_consumer_key',
      'oauth_signature',
    ]);
    const base = signatureBaseString('GET', url, [
      ['oauth_nonce', '123'],
      ['oauth_timestamp', '1700000000'],
      ['oauth_version', '1.0'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_consumer_key', 'ck'],
    ]);
    expect(base).toContain('login-url%3Dhttps%253A%252F%252Fmobile.integration.garmin.com%252Fgcm%252Fandroid');
    const sig = decodeURIComponent(/oauth_signature="([^"]+)"/.exec(header)![1]!);
    expect(sig).toBe(hmacSha1Signature(base, 'cs'));
  });
});
