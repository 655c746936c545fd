/**
 * Issue 12.12: two processes refreshing the same Garmin account at the same moment spend its
 * rotating DI refresh token once. On PostgreSQL the two "processes" are two separate connection
 * pools with their own gateway, vault and Garmin client; on SQLite (one process by design) two
 * gateways over one database handle. The emulator counts the DI token requests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { AuthGarminGateway, GarminTokenVault, SecretBox } from '../../src/auth/index.js';
import { cryptoRandom, FakeClock, silentLogger } from '../../src/core/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { endpointsForBaseUrl, GarminAuth, GarminConnect } from '../../src/garmin/index.js';
import { createAuthRepositories, openDatabase, type Database } from '../../src/store/index.js';
import { testDialects, type TestDatabase } from '../../src/store/testing/dialects.js';

const KEY = cryptoRandom.bytes(32);

describe.each(testDialects())('one Garmin refresh per account across processes on $name', ({ name, open }) => {
  let t: TestDatabase | undefined;
  let second: Kysely<Database> | undefined;
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await second?.destroy();
    await t?.close();
    await emu?.close();
    second = t = emu = undefined;
  });

  function process(db: Kysely<Database>, clock: FakeClock, endpoints: ReturnType<typeof endpointsForBaseUrl>) {
    const repos = createAuthRepositories(db);
    const vault = new GarminTokenVault(repos.garminAccounts, new SecretBox(KEY, cryptoRandom), clock);
    const auth = new GarminAuth({ endpoints, clock });
    const gateway = new AuthGarminGateway({
      vault,
      accounts: repos.garminAccounts,
      createConnect: ({ tokenStore }) => new GarminConnect({ endpoints, auth, tokenStore, clock }),
      logger: silentLogger,
    });
    return { repos, vault, auth, gateway };
  }

  it('two processes hit a rejected access token together: exactly one DI refresh, both keep the connection', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 27, 12));
    emu = await startEmulator({ seed: 5, activities: 5, days: 3, workouts: 1, endDate: '2026-11-27', clock });
    const endpoints = endpointsForBaseUrl(emu.url);
    t = await open();
    second = name === 'postgres' ? await openDatabase({ url: t.url!, poolSize: 4, migrate: false }) : t.db;
    const a = process(t.db, clock, endpoints);
    const b = process(second, clock, endpoints);
    await a.repos.users.upsert({ newId: 'u1', username: 'nomfa@example.com', displayName: null, profileId: null }, clock.now());
    const login = await a.auth.startLogin({ username: 'nomfa@example.com', password: 'demo-password' });
    if (login.status !== 'authenticated') throw new Error('expected a login without MFA');
    await a.vault.save('u1', login.tokens);
    const [ca, cb] = await Promise.all([a.gateway.forUser('u1'), b.gateway.forUser('u1')]);
    await Promise.all([ca.getSocialProfile(), cb.getSocialProfile()]);

    emu.expireTokens(); // both clients' access token is now refused: both must refresh
    const before = emu.stats().byEndpoint['di.token'] ?? 0;
    const [pa, pb] = await Promise.all([ca.getSocialProfile(), cb.getSocialProfile()]);
    expect(pa.displayName).toBe(pb.displayName);
    expect((emu.stats().byEndpoint['di.token'] ?? 0) - before).toBe(1);
    const row = await b.repos.garminAccounts.get('u1');
    expect(row?.status).toBe('connected');
    // The stored refresh token is the live one: a third client refreshes with it.
    emu.expireTokens();
    const c = process(second, clock, endpoints);
    await expect((await c.gateway.forUser('u1')).listWorkouts({ start: 0, limit: 1 })).resolves.toHaveLength(1);
    expect((emu.stats().byEndpoint['di.token'] ?? 0) - before).toBe(2);
    expect(emu.stats().byStatus['400'] ?? 0).toBe(0);
  });
});
