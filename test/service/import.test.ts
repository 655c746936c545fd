import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/index.js';
import { GarminAuth, endpointsForBaseUrl, type GarminTokenSet } from '../../src/garmin/index.js';
import { loginNoMfa, startHarness, type Harness } from './harness.js';

/** python-garminconnect's garmin_tokens.json, as another tool would have saved it. */
const asGarminconnectFile = (t: GarminTokenSet) => ({
  di_token: t.accessToken,
  di_refresh_token: t.refreshToken,
  di_client_id: t.clientId,
});

describe('POST /auth/import (Garmin tokens saved by another tool)', () => {
  let h: Harness;
  let garmin: GarminAuth;
  const tokensOf = async (username: string): Promise<GarminTokenSet> => {
    const out = await garmin.startLogin({ username, password: 'demo-password' });
    if (out.status === 'authenticated') return out.tokens;
    return (await garmin.completeMfa(out.state, h.emu.lastMfaCode(username)!)).tokens;
  };
  beforeAll(async () => {
    h = await startHarness({ args: ['--api-only'] });
    garmin = new GarminAuth({ endpoints: endpointsForBaseUrl(h.emu.url), clock: systemClock });
  });
  afterAll(async () => {
    await h.close();
  });

  it('without a session: validates the tokens and answers a new session, with no credential login', async () => {
    const file = asGarminconnectFile(await tokensOf('nomfa@example.com'));
    const logins = h.emu.stats().logins;
    const r = await h.api('POST', '/auth/import', { body: { format: 'garminconnect', username: 'nomfa@example.com', tokens: file } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'authenticated', token_type: 'Bearer', mfa_verified: false });
    expect(h.emu.stats().logins).toBe(logins);
    const s = await h.api('GET', '/auth/session', { token: r.body.access_token });
    expect(s.body.session.garmin.status).toBe('connected');
  });

  it("with a session: replaces the caller's Garmin tokens; another account's tokens are refused", async () => {
    const t = await loginNoMfa(h);
    const own = await h.api('POST', '/auth/import', {
      token: t.access_token,
      body: { tokens: asGarminconnectFile(await tokensOf('nomfa@example.com')) },
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ status: 'imported', user_id: t.user_id });
    const foreign = await h.api('POST', '/auth/import', {
      token: t.access_token,
      body: { tokens: asGarminconnectFile(await tokensOf('demo@example.com')) },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('FORBIDDEN');
  });

  it('refuses garbage tokens and a missing username (problem+json, no 5xx)', async () => {
    const noName = await h.api('POST', '/auth/import', { body: { tokens: { di_token: 'x' } } });
    expect(noName.status).toBe(400);
    const garbage = await h.api('POST', '/auth/import', { body: { username: 'nomfa@example.com', tokens: { nothing: true } } });
    expect(garbage.status).toBeGreaterThanOrEqual(400);
    expect(garbage.status).toBeLessThan(500);
    expect(garbage.headers.get('content-type')).toContain('application/problem+json');
  });
});
