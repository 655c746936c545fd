import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { cryptoRandom, silentLogger, type Clock } from '../../src/core/index.js';
import { DEMO_PASSWORD, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { GarminAuth, GarminConnect, endpointsForBaseUrl, type GarminTokenSet } from '../../src/garmin/index.js';
import { FileBlobStore, SyncStore, type Database, type SyncJobRecord } from '../../src/store/index.js';
import { testDialects, type TestDialect } from '../../src/store/testing/dialects.js';
import { FakeGarmin } from './fake-garmin.js';
import {
  AccountLimiters,
  InProcessJobEventBus,
  SyncService,
  WorkerPool,
  type GarminGateway,
  type WorkerPoolOptions,
} from '../../src/sync/index.js';
import { OffsetClock } from '../support/offset-clock.js';
import { until } from '../support/until.js';

export const USER = 'user-nomfa';
export const SESSION = 'session-1';
export const EMAIL = 'nomfa@example.com';

/** Where Garmin lives in a test: the real emulator (final) or the in-test fake of the sync port. */
export interface Backend {
  name: 'emulator' | 'fake';
  gateway: GarminGateway;
  /** Garmin-facing requests since the last reset. */
  requests(): number;
  resetRequests(): void;
  /** Credential logins since start (a job must never make one). */
  logins(): number;
  /** 429 answers since the last reset. */
  rateLimited(): number;
  addActivities(count: number): number[];
  activityIds(): Promise<number[]>;
  downloadFit(activityId: number): Promise<Buffer>;
  setLatency(ms: number): void;
  /** Starts answering 429 (Retry-After `retryAfterSec`, default 1) to bursts; `false` stops. */
  setRateLimit(on: boolean, retryAfterSec?: number): void;
  corruptFits(ids: number[]): void;
  /** Renames an activity upstream (an edit in Garmin Connect: its lastUpdateDate moves). */
  renameActivity(id: number, name: string): void;
  /** An edit the list summaries do not show (a description): only the detail's last-update time moves. */
  describeActivity(id: number, description: string): void;
  /** Upstream fault storm: 10% 5xx, 5% connection resets, 5% truncated bodies. */
  setStorm(on: boolean): void;
  /** Access token expired and refresh token revoked: the next call needs a credential login. */
  killTokens(): void;
  close(): Promise<void>;
}

export interface Harness {
  backend: Backend;
  db: Kysely<Database>;
  store: SyncStore;
  blobs: FileBlobStore;
  bus: InProcessJobEventBus;
  service: SyncService;
  limiters: AccountLimiters;
  /** Real time that the test moves forward explicitly (leases, pauses) instead of waiting. */
  clock: OffsetClock;
  /** A worker pool over the harness (stopped by close()). */
  pool(over?: Partial<WorkerPoolOptions>): WorkerPool;
  /** Polls the job until `until` holds (or fails after `timeoutMs`). */
  waitFor(jobId: string, until: (j: SyncJobRecord) => boolean, timeoutMs?: number): Promise<SyncJobRecord>;
  /** Polls until the job is terminal. */
  settled(jobId: string, timeoutMs?: number): Promise<SyncJobRecord>;
  close(): Promise<void>;
}

export interface Seed {
  activities: number;
  days: number;
  workouts: number;
}

/** Which backend the sync tests run on: the real emulator; GARMINSYNC_SYNC_TEST_BACKEND=fake for the in-test fake (debugging). */
export const BACKEND: Backend['name'] = (process.env.GARMINSYNC_SYNC_TEST_BACKEND as Backend['name'] | undefined) ?? 'emulator';

async function emulatorBackend(seed: Seed, limiters: AccountLimiters, clock: Clock): Promise<Backend> {
  const emu: RunningEmulator = await startEmulator({ seed: 7, ...seed });
  const endpoints = endpointsForBaseUrl(emu.url);
  const auth = new GarminAuth({ endpoints, clock });
  const outcome = await auth.startLogin({ username: EMAIL, password: DEMO_PASSWORD });
  if (outcome.status !== 'authenticated') throw new Error('the no-MFA demo account asked for MFA');
  let tokens: GarminTokenSet = outcome.tokens;
  const connect = new GarminConnect({
    endpoints,
    auth,
    clock,
    tokenStore: { load: async () => tokens, save: async (t) => void (tokens = t) },
    limiter: limiters.forAccount(USER),
    // The storm test faults ~20% of requests: a deeper, faster retry budget than production's (the
    // policy is a setting; nothing above the client retries).
    retry: { transientRetries: 6, baseMs: 50, capMs: 500 },
  });
  // Logins made by the harness's own login do not count; resetStats() zeroes the emulator's count.
  let base = emu.stats().logins;
  let carried = 0;
  return {
    name: 'emulator',
    gateway: { forUser: async () => connect },
    requests: () => emu.stats().total,
    resetRequests: () => {
      carried += emu.stats().logins - base;
      base = 0;
      emu.resetStats();
    },
    logins: () => carried + emu.stats().logins - base,
    rateLimited: () => emu.stats().byStatus['429'] ?? 0,
    addActivities: (n) => emu.addActivities(EMAIL, n),
    activityIds: async () => (await connect.listActivities({ start: 0, limit: 1000 })).map((a) => a.activityId),
    downloadFit: (id) => connect.downloadActivityFit(id),
    setLatency: (ms) => emu.setFaults({ latencyMs: ms }),
    setRateLimit: (on, retryAfterSec = 1) =>
      emu.setFaults(on ? { rateLimitRps: 8, retryAfterSec, rateLimitStyle: 'json' } : { rateLimitRps: null }),
    corruptFits: (ids) => emu.setFaults({ corruptFitIds: ids }),
    renameActivity: (id, name) => void emu.editActivity(EMAIL, id, { name }),
    describeActivity: (id, description) => void emu.editActivity(EMAIL, id, { description }),
    setStorm: (on) =>
      emu.setFaults(on ? { fault5xx: 0.1, faultReset: 0.05, faultTruncate: 0.05 } : { fault5xx: 0, faultReset: 0, faultTruncate: 0 }),
    killTokens: () => {
      emu.expireTokens(EMAIL);
      emu.revokeRefreshTokens(EMAIL);
      tokens = { ...tokens, accessExpiresAt: 0 };
    },
    close: () => emu.close(),
  };
}

function fakeBackend(seed: Seed, clock: Clock): Backend {
  const fake = new FakeGarmin(seed.activities, new Date(clock.now()).toISOString().slice(0, 10), seed.days, seed.workouts);
  let limitedAt = 0;
  return {
    name: 'fake',
    gateway: { forUser: async () => fake },
    requests: () => fake.requests,
    resetRequests: () => {
      fake.requests = 0;
      limitedAt = fake.rateLimitHits;
    },
    logins: () => 0,
    rateLimited: () => fake.rateLimitHits - limitedAt,
    addActivities: (n) => fake.add(n),
    activityIds: async () => fake.activityIds(),
    downloadFit: (id) => fake.downloadActivityFit(id),
    setLatency: (ms) => void (fake.latencyMs = ms),
    setRateLimit: (on, retryAfterSec = 0.2) => {
      fake.rateLimitedRequests = on ? 5 : 0;
      fake.retryAfterMs = retryAfterSec * 1000;
    },
    corruptFits: (ids) => void (fake.corruptFitIds = new Set(ids)),
    renameActivity: (id, name) => fake.rename(id, name, clock.now() + 60_000),
    describeActivity: (id) => fake.touch(id, clock.now() + 60_000),
    setStorm: (on) => void (fake.unavailableEvery = on ? 7 : 0),
    killTokens: () => void (fake.revoked = true),
    close: async () => {},
  };
}

/**
 * The real thing end to end: Garmin (the emulator on a loopback port with the real Garmin client
 * logged in to its no-MFA account — or the in-test fake), a temp SQLite database and blob dir,
 * the sync service and workers.
 */
export async function startHarness(
  seed: Seed = { activities: 24, days: 10, workouts: 5 },
  opts: { dialect?: TestDialect } = {},
): Promise<Harness> {
  const clock = new OffsetClock();
  const limiters = new AccountLimiters({ clock, ratePerSec: 2000, burst: 2000 });
  const backend = BACKEND === 'emulator' ? await emulatorBackend(seed, limiters, clock) : fakeBackend(seed, clock);
  const gateway = backend.gateway;
  const t = await (opts.dialect ?? testDialects()[0]!).open();
  const { db, dir } = t;
  const store = new SyncStore(db);
  const blobs = new FileBlobStore(join(dir, 'blobs'));
  await blobs.init(clock.now()); // as the service's start-up does: a blob write no longer creates the store's dirs
  const bus = new InProcessJobEventBus();
  const service = new SyncService({ store, bus, clock, random: cryptoRandom, watchPollMs: 50 });
  const pools: WorkerPool[] = [];

  const waitFor = (jobId: string, reached: (j: SyncJobRecord) => boolean, timeoutMs = 20_000) =>
    until(
      `job ${jobId} to reach the condition`,
      async () => {
        const j = await store.jobs.get(jobId);
        return j && reached(j) ? j : undefined;
      },
      { timeoutMs, everyMs: 15 },
    );

  return {
    backend,
    db,
    store,
    blobs,
    bus,
    service,
    limiters,
    clock,
    pool: (over = {}) => {
      const p = new WorkerPool({
        store,
        blobs,
        gateway,
        limiters,
        bus,
        clock,
        random: cryptoRandom,
        logger: silentLogger,
        pollMs: 50,
        healthInitialDays: seed.days,
        ...over,
      });
      pools.push(p);
      return p;
    },
    waitFor,
    settled: (jobId, timeoutMs) => waitFor(jobId, (j) => ['completed', 'failed', 'cancelled'].includes(j.status), timeoutMs),
    close: async () => {
      await Promise.all(pools.map((p) => p.stop()));
      await t.close();
      await backend.close();
    },
  };
}
