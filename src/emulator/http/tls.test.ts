import { access, readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import * as x509 from '@peculiar/x509';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONSUMER, DI_SERVICE_TICKET_GRANT, startEmulator, type RunningEmulator } from '../index.js';
import { decodeJwtPayload } from '../oauth/jwt.js';
import { oauthHeader } from '../testing/oauth1-signer.js';
import { ANDROID_SERVICE, LOGIN_QUERY, loginBody } from '../testing/sso-client.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('TLS mode: a generated CA and routing by Host', () => {
  let emu: RunningEmulator;
  let ca: string;
  beforeAll(async () => {
    emu = await startEmulator({ tls: true, domain: 'garmin.test', activities: 1, days: 1, workouts: 0 });
    ca = await readFile(emu.caPath!, 'utf8');
  });
  afterAll(async () => {
    await emu.close();
    // The throw-away CA goes with the emulator.
    await expect(access(emu.caPath!)).rejects.toThrow();
  });

  /** Connects to 127.0.0.1 but speaks to `<sub>.garmin.test` (SNI + Host), verifying the chain. */
  const call = (sub: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<Reply>((resolve, reject) => {
      const name = `${sub}.garmin.test`;
      const req = request(
        { host: '127.0.0.1', port: emu.port, method, path, servername: name, ca, headers: { host: `${name}:${emu.port}`, ...headers } },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (data += d));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it('writes the CA PEM and serves sso.<domain> with a certificate it signed', async () => {
    expect(ca).toContain('BEGIN CERTIFICATE');
    expect(emu.url.startsWith('https://')).toBe(true);
    const page = await call('sso', 'GET', '/mobile/sso/en/sign-in?clientId=GCM_ANDROID_DARK');
    expect(page.status).toBe(200);
    const cookies = page.headers['set-cookie'] as string[];
    expect(cookies.find((c) => c.startsWith('SESSION='))).toContain('Secure');
    expect(cookies.find((c) => c.startsWith('_cfuvid='))).toContain('Domain=garmin.test');
  });

  it('issues a chain strict verifiers accept (key identifiers, SANs, CA constraints)', async () => {
    const peer = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: emu.port, path: '/__emulator/stats', servername: 'diauth.garmin.test', ca }, (res) => {
        const cert = (res.socket as TLSSocket).getPeerX509Certificate()!;
        res.resume();
        resolve(cert.toString());
      });
      req.on('error', reject);
      req.end();
    });
    const server = new x509.X509Certificate(peer);
    const root = new x509.X509Certificate(ca);
    expect(server.getExtension(x509.SubjectKeyIdentifierExtension)).not.toBeNull();
    const aki = server.getExtension(x509.AuthorityKeyIdentifierExtension);
    expect(aki?.keyId).toBe(root.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
    expect(root.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    expect(new X509Certificate(peer).subjectAltName).toContain('DNS:connectapi.garmin.test');
    expect(new X509Certificate(peer).checkIssued(new X509Certificate(ca))).toBe(true);
  });

  it('answers 501 when a path is asked of the wrong host', async () => {
    const res = await call('connectapi', 'GET', '/mobile/sso/en/sign-in');
    expect(res.status).toBe(501);
    expect(emu.stats().violations.at(-1)).toEqual({
      method: 'GET',
      path: '/mobile/sso/en/sign-in',
      reason: 'no such endpoint on connectapi',
    });
  });

  it('runs login → preauthorized (signed for https://connectapi.<domain>:port) → DI token', async () => {
    const login = await call(
      'sso',
      'POST',
      `/mobile/api/login?${LOGIN_QUERY}`,
      { 'content-type': 'application/json' },
      loginBody('nomfa@example.com'),
    );
    expect(login.status).toBe(200);
    const ticket = JSON.parse(login.body).serviceTicketId as string;

    const path = `/oauth-service/oauth/preauthorized?ticket=${ticket}&login-url=${ANDROID_SERVICE}&accepts-mfa-tokens=true`;
    const authorization = oauthHeader({
      method: 'GET',
      url: `https://connectapi.garmin.test:${emu.port}${path}`,
      consumerKey: DEFAULT_CONSUMER.key,
      consumerSecret: DEFAULT_CONSUMER.secret,
      nonce: '1234567890',
      timestamp: String(Math.floor(Date.now() / 1000)),
    });
    const pre = await call('connectapi', 'GET', path, { authorization });
    expect(pre.status).toBe(200);
    expect(pre.body).toMatch(/^oauth_token=[^&]+&oauth_token_secret=[^&]+$/);

    const second = await call(
      'sso',
      'POST',
      `/mobile/api/login?${LOGIN_QUERY}`,
      { 'content-type': 'application/json' },
      loginBody('nomfa@example.com'),
    );
    const form = new URLSearchParams({
      client_id: 'GARMIN_CONNECT_MOBILE_ANDROID_DI',
      service_ticket: JSON.parse(second.body).serviceTicketId,
      grant_type: DI_SERVICE_TICKET_GRANT,
      service_url: ANDROID_SERVICE,
    }).toString();
    const di = await call(
      'diauth',
      'POST',
      '/di-oauth2-service/oauth/token',
      {
        authorization: `Basic ${Buffer.from('GARMIN_CONNECT_MOBILE_ANDROID_DI:').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      form,
    );
    expect(di.status).toBe(200);
    expect(decodeJwtPayload(JSON.parse(di.body).access_token).iss).toBe('https://diauth.garmin.test');
  });
});
