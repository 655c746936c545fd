import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/index.js';
import { DI_SERVICE_TICKET_GRANT, startEmulator, type RunningEmulator } from '../index.js';
import { bearerProbe } from '../testing/probe-route.js';
import { ANDROID_SERVICE, mobileTicket, readJson } from '../testing/sso-client.js';
import { decodeJwtPayload } from './jwt.js';

const CLIENT = 'GARMIN_CONNECT_MOBILE_ANDROID_DI_2025Q2';

function basic(clientId: string): string {
  return `Basic ${Buffer.from(`${clientId}:`).toString('base64')}`;
}

describe('DI OAuth2 token endpoint', () => {
  const clock = new FakeClock(Date.UTC(2026, 10, 27, 12));
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ clock, activities: 2, days: 2, workouts: 1, tokenLifetimeSec: 3600, extraRoutes: [bearerProbe] });
  });
  afterAll(() => emu.close());

  const token = (form: Record<string, string>, clientId = CLIENT) =>
    fetch(`${emu.url}/di-oauth2-service/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(clientId), 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-cache' },
      body: new URLSearchParams(form).toString(),
    });
  const ticketGrant = (ticket: string, clientId = CLIENT, serviceUrl = ANDROID_SERVICE) =>
    token({ client_id: clientId, service_ticket: ticket, grant_type: DI_SERVICE_TICKET_GRANT, service_url: serviceUrl }, clientId);
  const probe = (access: string) => fetch(`${emu.url}/test-probe/whoami`, { headers: { authorization: `Bearer ${access}` } });

  it('exchanges a service ticket for a JWT access token and a refresh token', async () => {
    const res = await ticketGrant(await mobileTicket(emu, 'demo@example.com'));
    expect(res.status).toBe(200);
    const body = await readJson(res);
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBe(3600);
    expect(typeof body.refresh_token).toBe('string');
    const claims = decodeJwtPayload(body.access_token);
    expect(claims.client_id).toBe(CLIENT);
    expect(claims.iss).toBe('https://diauth.garmin.com');
    expect(claims.exp).toBe(Math.floor(clock.now() / 1000) + 3600);
    const who = await probe(body.access_token);
    expect(who.status).toBe(200);
    expect((await readJson(who)).accountId).toMatch(/^\d+$/);
  });

  it('refuses a retired or unknown client id with 401 invalid_client', async () => {
    const res = await ticketGrant(await mobileTicket(emu, 'nomfa@example.com'), 'GARMIN_CONNECT_MOBILE_ANDROID_DI_2024Q4');
    expect(res.status).toBe(401);
    expect((await readJson(res)).error).toBe('invalid_client');
    const none = await fetch(`${emu.url}/di-oauth2-service/oauth/token`, { method: 'POST', body: 'grant_type=refresh_token' });
    expect(none.status).toBe(401);
  });

  it('accepts the older ids a client falls back to', async () => {
    for (const id of ['GARMIN_CONNECT_MOBILE_ANDROID_DI', 'GARMIN_CONNECT_MOBILE_IOS_DI']) {
      expect((await ticketGrant(await mobileTicket(emu, 'nomfa@example.com'), id)).status).toBe(200);
    }
  });

  it('refuses a reused ticket, a service mismatch and a wrong grant identifier', async () => {
    const ticket = await mobileTicket(emu, 'nomfa@example.com');
    expect((await ticketGrant(ticket)).status).toBe(200);
    const reuse = await ticketGrant(ticket);
    expect(reuse.status).toBe(400);
    expect((await readJson(reuse)).error).toBe('invalid_grant');
    const mismatch = await ticketGrant(await mobileTicket(emu, 'nomfa@example.com'), CLIENT, 'https://connect.garmin.com/app');
    expect(mismatch.status).toBe(400);
    expect((await readJson(mismatch)).error_description).toContain('does not match supplied service');
    const grant = await token({
      client_id: CLIENT,
      service_ticket: await mobileTicket(emu, 'nomfa@example.com'),
      grant_type: 'service_ticket',
      service_url: ANDROID_SERVICE,
    });
    expect(grant.status).toBe(400);
    expect((await readJson(grant)).error).toBe('unsupported_grant_type');
  });

  it('refuses an expired ticket', async () => {
    const ticket = await mobileTicket(emu, 'nomfa@example.com');
    clock.advance(121_000);
    const res = await ticketGrant(ticket);
    expect(res.status).toBe(400);
    expect((await readJson(res)).error).toBe('invalid_grant');
  });

  it('rotates refresh tokens: the new one works, the old one is invalid_grant', async () => {
    const first = await readJson(await ticketGrant(await mobileTicket(emu, 'demo@example.com')));
    const refresh = (rt: string, clientId = CLIENT) =>
      token({ grant_type: 'refresh_token', client_id: clientId, refresh_token: rt }, clientId);
    const r1 = await refresh(first.refresh_token);
    expect(r1.status).toBe(200);
    const second = await readJson(r1);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    const replay = await refresh(first.refresh_token);
    expect(replay.status).toBe(400);
    const err = await readJson(replay);
    expect(err.error).toBe('invalid_grant');
    expect(err.error_description).toMatch(/^Invalid refresh token: /);
    expect((await refresh(second.refresh_token)).status).toBe(200);
  });

  it('expires access tokens (401 "Token is not active") and revokes refresh tokens on request', async () => {
    const body = await readJson(await ticketGrant(await mobileTicket(emu, 'nomfa@example.com')));
    expect((await probe(body.access_token)).status).toBe(200);
    emu.expireTokens('nomfa@example.com');
    const expired = await probe(body.access_token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="Token is not active"');
    emu.revokeRefreshTokens('nomfa@example.com');
    const res = await token({ grant_type: 'refresh_token', client_id: CLIENT, refresh_token: body.refresh_token });
    expect(res.status).toBe(400);
    expect((await readJson(res)).error).toBe('invalid_grant');
  });

  it('answers "Token is not active" to every Bearer call while the fault is on', async () => {
    const body = await readJson(await ticketGrant(await mobileTicket(emu, 'demo@example.com')));
    emu.setFaults({ tokenNotActive: true });
    try {
      const res = await probe(body.access_token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error_description="Token is not active"');
    } finally {
      emu.setFaults({ tokenNotActive: false });
    }
    expect((await probe(body.access_token)).status).toBe(200);
  });

  it('lets access tokens lapse with the clock', async () => {
    const body = await readJson(await ticketGrant(await mobileTicket(emu, 'demo@example.com')));
    clock.advance(3600_000);
    expect((await probe(body.access_token)).status).toBe(401);
  });

  it('answers 401 to missing, malformed and unknown Bearer tokens', async () => {
    const missing = await fetch(`${emu.url}/test-probe/whoami`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await probe('not-a-token')).status).toBe(401);
  });
});
