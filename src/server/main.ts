/**
 * Composition root of the sync service (`garminsync server`): the one place that reads the
 * environment, wires the Garmin client into auth and sync, listens, and handles signals.
 */
import { join } from 'node:path';
import envPaths from 'env-paths';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { createAuth, loadOrCreateKeyFile, parseKey, verifyKeyFingerprints, type AuthModule } from '../auth/index.js';
import { cryptoRandom, isAppError, systemClock, type Clock, type Logger, type Random } from '../core/index.js';
import { GarminAuth, GarminConnect, endpointsForBaseUrl, endpointsForDomain } from '../garmin/index.js';
import {
  createBlobStore,
  KeyFingerprintRepository,
  prepareDataDir,
  PgNotifications,
  RateBudgetRepository,
  SyncStore,
  openDatabase,
  resolveLocation,
  type Database,
} from '../store/index.js';
import {
  AccountLimiters,
  ClusterJobEventBus,
  InProcessJobEventBus,
  SharedAccountLimiters,
  ArchiveImportService,
  CoverageService,
  HealthDataService,
  ScheduleRunner,
  ScheduleService,
  SyncService,
  SyncedDataService,
  WorkerPool,
  type AccountLimiterRegistry,
  type JobEventBus,
} from '../sync/index.js';
import { buildApp } from './app.js';
import { LOG_REDACTION } from './log-redaction.js';
import { parseServerConfig, serverHelp, type ServerConfig } from './config.js';

export { LOG_REDACT, LOG_REDACTION } from './log-redaction.js';

export interface StartOptions {
  logger: Logger & pino.Logger;
  clock?: Clock;
  random?: Random;
  fetch?: typeof fetch;
}

export interface RunningService {
  /** http://host:port of the API (null in workers-only mode). */
  url: string | null;
  app: FastifyInstance | null;
  db: Kysely<Database>;
  auth: AuthModule;
  /** Stops accepting requests, lets workers release their leases, closes the database. */
  close(): Promise<void>;
}

/** Starts the service described by `cfg` (API and/or workers). */
export async function startService(cfg: ServerConfig, o: StartOptions): Promise<RunningService> {
  const clock = o.clock ?? systemClock;
  const random = o.random ?? cryptoRandom;
  const logger = o.logger;
  await prepareDataDir(cfg.dataDir, logger);
  const jwtKey = cfg.jwtKey
    ? parseKey(cfg.jwtKey, 'GARMINSYNC_JWT_KEY')
    : await loadOrCreateKeyFile(join(cfg.dataDir, 'jwt.key'), random, 'GARMINSYNC_JWT_KEY');
  const encryptionKey = cfg.encryptionKey
    ? parseKey(cfg.encryptionKey, 'GARMINSYNC_ENCRYPTION_KEY')
    : await loadOrCreateKeyFile(join(cfg.dataDir, 'encryption.key'), random, 'GARMINSYNC_ENCRYPTION_KEY');

  const location = resolveLocation({ url: cfg.database });
  const db = await openDatabase({
    url: cfg.database,
    poolSize: cfg.dbPoolSize,
    onPoolError: (err) => logger.warn({ err }, 'an idle database connection was lost; it is replaced on the next query'),
  });
  // Scale mode (issue 6): on PostgreSQL several processes share the work, so job events travel by
  // LISTEN/NOTIFY; the Garmin budget lives in the database whenever more than one process may
  // call Garmin for an account (PostgreSQL, or split API/worker processes on one SQLite file).
  let notifications: PgNotifications | null = null;
  try {
    const keys = { GARMINSYNC_ENCRYPTION_KEY: encryptionKey, GARMINSYNC_JWT_KEY: jwtKey };
    await verifyKeyFingerprints(new KeyFingerprintRepository(db), keys, clock.now());
    const endpoints =
      cfg.garmin.kind === 'url' ? endpointsForBaseUrl(cfg.garmin.url, cfg.garmin.domain) : endpointsForDomain(cfg.garmin.domain);
    const garminLog = logger.child({ room: 'garmin' });
    const garminAuth = new GarminAuth({ endpoints, clock, random, logger: garminLog, ...(o.fetch ? { fetch: o.fetch } : {}) });
    const budget = {
      clock,
      ratePerSec: cfg.garminRatePerSec,
      burst: cfg.garminBurst,
    };
    const limiters: AccountLimiterRegistry =
      location.dialect === 'postgres' || cfg.mode !== 'both'
        ? new SharedAccountLimiters({ ...budget, budgets: new RateBudgetRepository(db), logger: logger.child({ room: 'sync' }) })
        : new AccountLimiters(budget);
    const auth = createAuth<Database>({
      db,
      garmin: garminAuth,
      createConnect: ({ userId, tokenStore }) =>
        new GarminConnect({
          endpoints,
          auth: garminAuth,
          tokenStore,
          clock,
          random,
          logger: garminLog,
          limiter: limiters.forAccount(userId),
          retry: { transientRetries: cfg.garminRetries, rateLimitRetries: cfg.garminRateLimitRetries },
          ...(o.fetch ? { fetch: o.fetch } : {}),
        }),
      jwtKey,
      encryptionKey,
      clock,
      random,
      logger: logger.child({ room: 'auth' }),
      allowedUsers: cfg.allowUsers ? new Set(cfg.allowUsers) : null,
      lifetime: { idleMs: cfg.sessionIdleMs, maxMs: cfg.sessionMaxMs, graceMs: cfg.refreshGraceMs },
      accessTtlSeconds: Math.round(cfg.accessTtlMs / 1000),
    });
    const store = new SyncStore(db);
    const blobs = await createBlobStore({
      db,
      dir: join(cfg.dataDir, 'blobs'),
      logger: logger.child({ room: 'store' }),
      now: () => clock.now(),
    });
    // Uploads that never finished (a crash mid-upload) are removed; their clients got no answer.
    await store.imports.discardStaleUploads(clock.now() - 3_600_000);
    let cluster: ClusterJobEventBus | null = null;
    if (location.dialect === 'postgres') {
      notifications = new PgNotifications({ url: location.target, db, clock, logger: logger.child({ room: 'store' }) });
      await notifications.start();
      cluster = new ClusterJobEventBus({
        transport: notifications,
        getJob: (id) => store.jobs.get(id),
        random,
        logger: logger.child({ room: 'sync' }),
      });
    }
    const bus: JobEventBus = cluster ?? new InProcessJobEventBus();
    const sync = new SyncService({
      store,
      bus,
      clock,
      random,
      logger: logger.child({ room: 'sync' }),
      maxActiveJobsPerUser: cfg.maxJobsPerUser,
    });

    let pool: WorkerPool | null = null;
    let scheduler: ScheduleRunner | null = null;
    if (cfg.mode !== 'api') {
      pool = new WorkerPool({
        store,
        blobs,
        bus,
        gateway: auth.gateway,
        limiters,
        clock,
        random,
        logger: logger.child({ room: 'worker' }),
        itemConcurrency: cfg.concurrency,
        maxJobs: cfg.maxJobs,
        leaseMs: cfg.leaseMs,
        maxAttempts: cfg.maxJobAttempts,
        heartbeatMs: cfg.heartbeatMs,
        pollMs: cfg.pollMs,
        scratchDir: join(cfg.dataDir, 'tmp'),
        activityRecheckDays: cfg.recheckDays,
      });
      pool.start();
      scheduler = new ScheduleRunner({
        store,
        bus,
        clock,
        random,
        logger: logger.child({ room: 'sync' }),
        tickMs: Math.min(1000, Math.max(100, Math.floor(cfg.scheduleMinIntervalMs / 4))),
      });
      scheduler.start();
    }

    let app: FastifyInstance | null = null;
    let url: string | null = null;
    if (cfg.mode !== 'workers') {
      app = await buildApp({
        auth: auth.service,
        sync,
        data: { synced: new SyncedDataService({ activities: store.activities, workouts: store.workouts, blobs, gateway: auth.gateway }) },
        health: new HealthDataService(store.healthMetrics),
        coverage: new CoverageService({ healthMetrics: store.healthMetrics, failures: store.failures, clock }),
        schedules: new ScheduleService({
          store,
          clock,
          random,
          logger: logger.child({ room: 'sync' }),
          minIntervalMs: cfg.scheduleMinIntervalMs,
        }),
        imports: new ArchiveImportService({
          store,
          clock,
          random,
          logger: logger.child({ room: 'sync' }),
          maxBytes: cfg.archiveMaxBytes,
          notifyClaimable: () => bus.notifyClaimable(),
        }),
        ready: async () => {
          await db.selectFrom('users').select('user_id').limit(1).execute();
        },
        clock,
        logger,
        trustProxy: cfg.trustProxy,
        sseHeartbeatMs: cfg.sseHeartbeatMs,
      });
      await app.listen({ host: cfg.host, port: cfg.port });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
      url = `http://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${port}`;
    }

    let closing: Promise<void> | null = null;
    const close = () =>
      (closing ??= (async () => {
        // Each step is logged so that a shutdown that overruns its timeout shows where it hung.
        const step = async (what: string, fn: () => Promise<unknown>) => {
          logger.debug({ step: what }, 'shutdown step');
          await fn().catch((err: unknown) => logger.error({ err, step: what }, 'a shutdown step failed'));
        };
        // Stop taking requests first (SSE streams end), then let workers release their leases.
        if (app) await step('api', () => app!.close());
        if (scheduler) await step('schedules', () => scheduler!.stop());
        if (pool) await step('workers', () => pool!.stop());
        // The last events (a released lease, a final state) still go out before we stop listening.
        if (cluster) await step('job events', () => cluster!.close());
        if (notifications) await step('notifications', () => notifications!.close());
        auth.gateway.clear();
        await step('database', () => db.destroy());
        logger.debug({}, 'shutdown complete');
      })());
    return { url, app, db, auth, close };
  } catch (e) {
    await notifications?.close().catch(() => {});
    await db.destroy().catch(() => {});
    throw e;
  }
}

/** `garminsync server …`: runs until SIGINT/SIGTERM; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  if (argv[0] === 'migrate-blobs') return (await import('./migrate-blobs.js')).runMigrateBlobs(argv.slice(1));
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(serverHelp());
    return 0;
  }
  let cfg: ServerConfig;
  try {
    cfg = parseServerConfig(argv, process.env, envPaths('garminsync', { suffix: '' }).data);
  } catch (e) {
    process.stderr.write(`garminsync server: ${(e as Error).message}\n`);
    return 2;
  }
  const logger = pino(
    { level: cfg.logLevel, redact: LOG_REDACTION, base: { pid: process.pid } },
    pino.destination({ dest: 2, sync: true }),
  );
  let service: RunningService;
  try {
    service = await startService(cfg, { logger });
  } catch (e) {
    const msg = isAppError(e) ? e.message : 'the service could not start';
    logger.error({ err: e }, 'start-up failed');
    process.stderr.write(`garminsync server: ${msg}\n`);
    return isAppError(e, 'CONFIG_INVALID') ? 2 : 1;
  }
  if (service.url) process.stdout.write(`garminsync server listening on ${service.url}\n`);
  else process.stdout.write('garminsync server: workers running\n');
  logger.info({ url: service.url, mode: cfg.mode, garmin: cfg.garmin.kind === 'url' ? cfg.garmin.url : cfg.garmin.domain }, 'started');

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  logger.info({ signal }, 'shutting down');
  const timer = setTimeout(() => {
    logger.error({}, 'shutdown took too long; exiting');
    process.exit(1);
  }, cfg.shutdownTimeoutMs);
  timer.unref();
  await service.close();
  clearTimeout(timer);
  // A requested stop that released every lease is a clean exit.
  return 0;
}
