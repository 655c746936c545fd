import { describe, expect, it } from 'vitest';
import type { FakeClock } from '../../src/core/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { GarminTokenSet } from '../../src/garmin/index.js';
import { loginNoMfa, makeAuth, makeConnect, MemoryTokenStore, NOMFA, rejectionOf, useEmu } from './helpers.js';

let emu: RunningEmulator;
let clock: FakeClock;

useEmu((e) => ({ emu, clock } = e));

const count = (name: string) => emu.stats().byEndpoint[name] ?? 0;

/** A token store that writes into a shared event log, next to the requests a fetch wrapper logs. */
class LoggingStore extends MemoryTokenStore {
  constructor(
    tokens: GarminTokenSet,
    private readonly events: string[],
  ) {
    super(tokens);
  }
  override async save(tokens: GarminTokenSet): Promise<void> {
    this.events.push(`save ${tokens.accessToken}`);
    await super.save(tokens);
  }
}

function loggingFetch(events: string[]): typeof fetch {
  return async (input, init) => {
    const auth = new Headers(init?.headers).get('authorization') ?? '';
    const url = new URL(String(input));
    events.push(`${init?.method ?? 'GET'} ${url.pathname} ${auth.startsWith('Bearer ') ? auth.slice(7) : ''}`.trim());
    return fetch(input, init);
  };
}

describe('DI refresh', () => {
  it('refreshes proactively before expiry, rotates the refresh token and saves it before using the new access token', async () => {
    const { tokens } = await loginNoMfa(emu, clock, ['mobile-di']);
    const events: string[] = [];
    const store = new LoggingStore(tokens, events);
    const api = makeConnect(emu, clock, makeAuth(emu, clock, { fetch: loggingFetch(events) }), store, {
      fetch: loggingFetch(events),
      refreshMarginMs: 15 * 60_000,
    });
    await api.getSocialProfile();
    expect(store.saves).toHaveLength(0);
    // 10 minutes before expiry is inside the 15-minute margin.
    clock.set(tokens.accessExpiresAt - 10 * 60_000);
    const refreshesBefore = count('di.token');
    await api.getSocialProfile();
    expect(count('di.token') - refreshesBefore).toBe(1);
    expect(store.saves).toHaveLength(1);
    const next = store.saves[0]!;
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect(next.accessToken).not.toBe(tokens.accessToken);
    const saveAt = events.indexOf(`save ${next.accessToken}`);
    const firstUse = events.findIndex((e) => e.endsWith(next.accessToken) && !e.startsWith('save'));
    expect(saveAt).toBeGreaterThan(-1);
    expect(firstUse).toBeGreaterThan(saveAt);
    // The old refresh token is spent: using it again is invalid_grant.
    expect((await rejectionOf(makeAuth(emu, clock).refresh(tokens))).code).toBe('GARMIN_REAUTH_REQUIRED');
  });

  it('short-lived tokens are refreshed at half their lifetime, not on every call', async () => {
    emu.setFaults({ tokenLifetimeSec: 60 });
    try {
      const { tokens } = await loginNoMfa(emu, clock, ['mobile-di']);
      const store = new MemoryTokenStore(tokens);
      const api = makeConnect(emu, clock, makeAuth(emu, clock), store); // default margin: 15 min
      const before = count('di.token');
      for (let i = 0; i < 3; i++) await api.getSocialProfile();
      expect(count('di.token')).toBe(before);
      clock.advance(31_000);
      await api.getSocialProfile();
      expect(count('di.token') - before).toBe(1);
      expect(store.saves).toHaveLength(1);
    } finally {
      emu.setFaults({ tokenLifetimeSec: 86_400 });
    }
  });

  it('refreshes once after a 401 and repeats the call', async () => {
    const { tokens } = await loginNoMfa(emu, clock, ['mobile-di']);
    const store = new MemoryTokenStore(tokens);
    const api = makeConnect(emu, clock, makeAuth(emu, clock), store);
    emu.expireTokens(NOMFA.username);
    const p = await api.getSocialProfile();
    expect(p.userName).toBeTruthy();
    expect(store.saves).toHaveLength(1);
  });

  it('concurrent calls share one refresh (single-flight)', async () => {
    const { tokens } = await loginNoMfa(emu, clock, ['mobile-di']);
    const store = new MemoryTokenStore(tokens);
    const api = makeConnect(emu, clock, makeAuth(emu, clock), store);
    await api.getSocialProfile();
    emu.expireTokens(NOMFA.username);
    const before = count('di.token');
    const results = await Promise.all(Array.from({ length: 6 }, () => api.getUserSettings()));
    expect(results).toHaveLength(6);
    expect(count('di.token') - before).toBe(1);
    expect(store.saves).toHaveLength(1);
  });

  it('invalid_grant → GARMIN_REAUTH_REQUIRED, never a credential login', async () => {
    const { tokens } = await loginNoMfa(emu, clock, ['mobile-di']);
    const api = makeConnect(emu, clock, makeAuth(emu, clock), new MemoryTokenStore(tokens));
    emu.revokeRefreshTokens(NOMFA.username);
    emu.expireTokens(NOMFA.username);
    const logins = emu.stats().logins;
    const e = await rejectionOf(api.listActivities({ start: 0, limit: 5 }));
    expect(e.code).toBe('GARMIN_REAUTH_REQUIRED');
    expect(e.details.error).toBe('invalid_grant');
    expect(emu.stats().logins).toBe(logins);
  });

  it('no stored tokens → GARMIN_REAUTH_REQUIRED', async () => {
    const api = makeConnect(emu, clock, makeAuth(emu, clock), new MemoryTokenStore(null));
    expect((await rejectionOf(api.getSocialProfile())).code).toBe('GARMIN_REAUTH_REQUIRED');
  });
});

describe('OAuth1 tokens', () => {
  it('re-exchange on expiry; a dead OAuth1 token → GARMIN_REAUTH_REQUIRED', async () => {
    const { tokens } = await loginNoMfa(emu, clock, ['mobile-oauth1']);
    expect(tokens.kind).toBe('oauth1');
    const store = new MemoryTokenStore(tokens);
    const api = makeConnect(emu, clock, makeAuth(emu, clock), store);
    clock.set(tokens.accessExpiresAt + 1000);
    const before = count('oauth1.exchange');
    await api.getSocialProfile();
    expect(count('oauth1.exchange') - before).toBe(1);
    expect(store.saves[0]?.oauth1?.token).toBe(tokens.oauth1?.token);
    emu.revokeRefreshTokens(NOMFA.username);
    emu.expireTokens(NOMFA.username);
    expect((await rejectionOf(api.getSocialProfile())).code).toBe('GARMIN_REAUTH_REQUIRED');
  });
});

describe('"Token is not active"', () => {
  it('login: every strategy gets a token the API refuses → GARMIN_TOKEN_REJECTED, each strategy once', async () => {
    emu.setFaults({ tokenNotActive: true });
    try {
      const logins = emu.stats().logins;
      const e = await rejectionOf(makeAuth(emu, clock).startLogin(NOMFA));
      expect(e.code).toBe('GARMIN_TOKEN_REJECTED');
      expect((e.details.attempts as { code: string }[]).map((a) => a.code)).toEqual(Array(4).fill('GARMIN_TOKEN_REJECTED'));
      expect(emu.stats().logins - logins).toBe(4);
    } finally {
      emu.setFaults({ tokenNotActive: false });
    }
  });

  it("API: one refresh, then GARMIN_TOKEN_REJECTED with Garmin's description", async () => {
    const { tokens } = await loginNoMfa(emu, clock, ['mobile-di']);
    const store = new MemoryTokenStore(tokens);
    const api = makeConnect(emu, clock, makeAuth(emu, clock), store);
    emu.setFaults({ tokenNotActive: true });
    try {
      const e = await rejectionOf(api.getSocialProfile());
      expect(e.code).toBe('GARMIN_TOKEN_REJECTED');
      expect(e.details.www_authenticate_error).toBe('Token is not active');
      expect(store.saves).toHaveLength(1);
    } finally {
      emu.setFaults({ tokenNotActive: false });
    }
  });
});

describe('token import', () => {
  it('garth-style token files (oauth1_token.json + oauth2_token.json, and the base64 dumps string)', async () => {
    const { tokens } = await loginNoMfa(emu, clock, ['mobile-oauth1']);
    const o = tokens.oauth1!;
    const oauth1File = JSON.stringify(
      {
        oauth_token: o.token,
        oauth_token_secret: o.secret,
        mfa_token: o.mfaToken ?? null,
        mfa_expiration_timestamp: o.mfaExpiresAt ?? null,
        domain: 'garmin.com',
      },
      null,
      4,
    );
    const now = Math.floor(clock.now() / 1000);
    const oauth2File = JSON.stringify(
      {
        scope: 'CONNECT_READ',
        jti: 'x',
        token_type: 'bearer',
        access_token: tokens.accessToken,
        refresh_token: tokens.refreshToken,
        expires_in: 3600,
        expires_at: Math.floor(tokens.accessExpiresAt / 1000),
        refresh_token_expires_in: 2591999,
        refresh_token_expires_at: now + 2591999,
      },
      null,
      4,
    );
    const auth = makeAuth(emu, clock);
    const imported = await auth.importTokens({ 'oauth1_token.json': oauth1File, 'oauth2_token.json': oauth2File });
    expect(imported.tokens.kind).toBe('oauth1');
    expect(imported.profile.userName).toBeTruthy();
    // garth's dumps(): base64 of [oauth1, oauth2]; with an expired OAuth2 part it is re-exchanged first.
    const expired = { ...JSON.parse(oauth2File), expires_at: now - 10 };
    const dumps = Buffer.from(JSON.stringify([JSON.parse(oauth1File), expired])).toString('base64');
    const before = count('oauth1.exchange');
    const fromDumps = await auth.importTokens(dumps);
    expect(count('oauth1.exchange') - before).toBe(1);
    expect(fromDumps.tokens.accessToken).not.toBe(tokens.accessToken);
  });

  it('python-garminconnect garmin_tokens.json, and a bare DI refresh token', async () => {
    const { tokens } = await loginNoMfa(emu, clock, ['mobile-di']);
    const file = JSON.stringify({ di_token: tokens.accessToken, di_refresh_token: tokens.refreshToken, di_client_id: tokens.clientId });
    const auth = makeAuth(emu, clock);
    const imported = await auth.importTokens(file);
    expect(imported.tokens).toMatchObject({ kind: 'di', accessToken: tokens.accessToken, clientId: tokens.clientId });
    expect(imported.profile.displayName).toBeTruthy();
    const bare = await auth.importTokens(tokens.refreshToken);
    expect(bare.tokens.refreshToken).not.toBe(tokens.refreshToken);
    expect(bare.profile.displayName).toBe(imported.profile.displayName);
  });

  it('refuses dead imports with a typed error', async () => {
    const auth = makeAuth(emu, clock);
    expect((await rejectionOf(auth.importTokens({ di_token: 'x.y.z', di_refresh_token: 'nope' }))).code).toBe('GARMIN_REAUTH_REQUIRED');
    expect((await rejectionOf(auth.importTokens({ whatever: true }))).code).toBe('VALIDATION_FAILED');
  });
});
