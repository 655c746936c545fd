import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthGarminGateway,
  GarminTokenVault,
  SecretBox,
  type ConnectFactoryArgs,
  type GarminConnectPort,
  type GarminTokenSet,
} from '../../src/auth/index.js';
import { AppError, ERROR_CODES, FakeClock, cryptoRandom, isAppError, silentLogger } from '../../src/core/index.js';
import { createAuthRepositories } from '../../src/store/index.js';
import { testDialects, type TestDatabase } from '../../src/store/testing/dialects.js';

const tokens = (accessToken: string): GarminTokenSet => ({
  kind: 'di',
  accessToken,
  accessExpiresAt: 1e13,
  refreshToken: `r-${accessToken}`,
  refreshExpiresAt: null,
});

/** A stand-in Connect client: its tokens are those stored when it was built; "dead" ones cannot refresh. */
class FakeConnect {
  static built = 0;
  private readonly loaded: Promise<GarminTokenSet | null>;
  constructor(args: ConnectFactoryArgs) {
    FakeConnect.built++;
    this.loaded = args.tokenStore.load();
  }
  async getSocialProfile(): Promise<{ displayName: string }> {
    return { displayName: await this.live() };
  }
  readonly health = {
    getRespiration: async (date: string) => ({ calendarDate: date, token: await this.live() }),
  };
  private async live(): Promise<string> {
    const t = await this.loaded;
    if (!t || t.accessToken === 'dead') throw new AppError('GARMIN_REAUTH_REQUIRED', 'invalid_grant');
    return t.accessToken;
  }
}

describe.each(testDialects())('AuthGarminGateway on $name', ({ open }) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function setup() {
    t = await open();
    const repos = createAuthRepositories(t.db);
    const clock = new FakeClock();
    const vault = new GarminTokenVault(repos.garminAccounts, new SecretBox(cryptoRandom.bytes(32), cryptoRandom), clock);
    await repos.users.upsert({ newId: 'u1', username: 'a@example.com', displayName: null, profileId: null }, clock.now());
    const gateway = new AuthGarminGateway({
      vault,
      accounts: repos.garminAccounts,
      // Only the methods above are called; the decorator forwards each call to them.
      createConnect: (a) => new FakeConnect(a) as unknown as GarminConnectPort,
      logger: silentLogger,
    });
    return { repos, vault, gateway };
  }

  it('shares one client per user and marks the account reauth_required when refresh is dead', async () => {
    const { repos, vault, gateway } = await setup();
    await vault.save('u1', tokens('dead'));
    const before = FakeConnect.built;
    const a = await gateway.forUser('u1');
    await gateway.forUser('u1');
    expect(FakeConnect.built - before).toBe(1);
    const err = await a.getSocialProfile().catch((e: unknown) => e);
    expect(isAppError(err, 'GARMIN_REAUTH_REQUIRED')).toBe(true);
    expect((err as Error).message).toBe(ERROR_CODES.GARMIN_REAUTH_REQUIRED);
    expect((await repos.garminAccounts.get('u1'))?.status).toBe('reauth_required');
    // Never a client for an account that needs a login.
    await expect(gateway.forUser('u1')).rejects.toThrow(/login required/);
  });

  it('retries on the stored tokens when another process rotated them meanwhile (no false reauth_required)', async () => {
    const { repos, vault, gateway } = await setup();
    await vault.save('u1', tokens('dead'));
    const client = await gateway.forUser('u1');
    await vault.save('u1', tokens('fresh')); // another process (or a new login) rotated the tokens
    await expect(client.getSocialProfile()).resolves.toEqual({ displayName: 'fresh' });
    expect((await repos.garminAccounts.get('u1'))?.status).toBe('connected');
  });

  it('guards the health methods too (the Proxy it replaces handed `health` out undecorated)', async () => {
    const { repos, vault, gateway } = await setup();
    await vault.save('u1', tokens('fresh'));
    const client = await gateway.forUser('u1');
    await expect(client.health.getRespiration('2026-11-27')).resolves.toEqual({ calendarDate: '2026-11-27', token: 'fresh' });
    await vault.save('u1', tokens('dead'));
    const stale = await gateway.forUser('u1');
    const err = await stale.health.getRespiration('2026-11-27').catch((e: unknown) => e);
    expect(isAppError(err, 'GARMIN_REAUTH_REQUIRED')).toBe(true);
    expect((err as Error).message).toBe(ERROR_CODES.GARMIN_REAUTH_REQUIRED);
    expect((await repos.garminAccounts.get('u1'))?.status).toBe('reauth_required');
  });

  it('refuses users who never connected Garmin', async () => {
    const { gateway } = await setup();
    await expect(gateway.forUser('u1')).rejects.toThrow(/login required/);
  });
});
