/**
 * Composition root of the sync service (`garminsync server`): the one place that reads the
 * environment, wires the Garmin client into auth and sync, listens, and handles signals.
 * `startService` reads like a table of contents: one factory per room, in start-up order.
 */
import { join } from 'node:path';
import envPaths from 'env-paths';
import type pino from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { createAuth, loadOrCreateKeyFile, parseKey, verifyKeyFingerprints, type AuthModule } from '../auth/index.js';
import { cryptoRandom, isAppError, systemClock, type Clock, type Logger, type Random } from '../core/index.js';
import { GarminAuth, GarminConnect, endpointsForBaseUrl, endpointsForDomain } from '../garmin/index.js';
import { createStore, prepareDataDir, type BlobFs, type Database, type StoreModule } from '../store/index.js';
import { createSyncEngine, type AccountLimiterRegistry, type SyncEngine } from '../sync/index.js';
import { createApp, type RunningApp } from './app.js';
import { createServiceLogger, stderrDestination } from './log-output.js';
import { parseServerConfig, serverHelp, type ServerConfig } from './config.js';
import { startStep } from './start-failure.js';

export { LOG_REDACT, LOG_REDACTION } from './log-redaction.js';

export interface StartOptions {
  logger: Logger & pino.Logger;
  clock?: Clock;
  random?: Random;
  fetch?: typeof fetch;
  /** The store's file operations (tests inject a full disk); default node:fs. */
  fs?: BlobFs;
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

type Step = (what: string, fn: () => Promise<unknown>) => Promise<void>;

/** What was opened so far, closed in reverse order: by `close()`, or when a later start-up step fails. */
function openedParts(logger: Logger) {
  const parts: { what: string; close: (step: Step) => Promise<unknown> }[] = [];
  // Each step is logged so that a shutdown that overruns its timeout shows where it hung.
  const step: Step = async (what, fn) => {
    logger.debug({ step: what }, 'shutdown step');
    await fn().catch((err: unknown) => logger.error({ err, step: what }, 'a shutdown step failed'));
  };
  let closing: Promise<void> | null = null;
  return {
    add: (what: string, close: (step: Step) => Promise<unknown>) => void parts.push({ what, close }),
    closeAll: () =>
      (closing ??= (async () => {
        for (const p of parts.reverse()) await step(p.what, () => p.close(step));
        logger.debug({}, 'shutdown complete');
      })()),
  };
}

async function loadKeys(cfg: ServerConfig, random: Random) {
  const key = async (setting: 'GARMINSYNC_JWT_KEY' | 'GARMINSYNC_ENCRYPTION_KEY', value: string | null, file: string) => {
    const path = join(cfg.dataDir, file);
    return value ? parseKey(value, setting) : startStep({ step: 'key', setting, path }, () => loadOrCreateKeyFile(path, random, setting));
  };
  return {
    jwtKey: await key('GARMINSYNC_JWT_KEY', cfg.jwtKey, 'jwt.key'),
    encryptionKey: await key('GARMINSYNC_ENCRYPTION_KEY', cfg.encryptionKey, 'encryption.key'),
  };
}

/** The Garmin client of this process: one login client, one Connect client per user (with its account's budget). */
function createGarmin(cfg: ServerConfig, o: StartOptions & { clock: Clock; random: Random }) {
  const endpoints =
    cfg.garmin.kind === 'url' ? endpointsForBaseUrl(cfg.garmin.url, cfg.garmin.domain) : endpointsForDomain(cfg.garmin.domain);
  const base = {
    endpoints,
    clock: o.clock,
    random: o.random,
    logger: o.logger.child({ room: 'garmin' }),
    ...(o.fetch ? { fetch: o.fetch } : {}),
  };
  const auth = new GarminAuth({ ...base, diClientIds: cfg.garminDiClientIds });
  const connectFor =
    (limiters: () => AccountLimiterRegistry) =>
    ({ userId, tokenStore }: { userId: string; tokenStore: ConstructorParameters<typeof GarminConnect>[0]['tokenStore'] }) =>
      new GarminConnect({
        ...base,
        auth,
        tokenStore,
        limiter: limiters().forAccount(userId),
        retry: { transientRetries: cfg.garminRetries, rateLimitRetries: cfg.garminRateLimitRetries },
      });
  return { auth, connectFor };
}

/** Starts the service described by `cfg` (API and/or workers); a failed start leaves nothing running. */
export async function startService(cfg: ServerConfig, o: StartOptions): Promise<RunningService> {
  const clock = o.clock ?? systemClock;
  const random = o.random ?? cryptoRandom;
  const logger = o.logger;
  const parts = openedParts(logger);
  try {
    await startStep({ step: 'data-dir', dir: cfg.dataDir }, () => prepareDataDir(cfg.dataDir, logger));
    const keys = await loadKeys(cfg, random);

    const store: StoreModule = await startStep({ step: 'database', database: cfg.database }, () =>
      createStore({
        database: cfg.database,
        poolSize: cfg.dbPoolSize,
        dataDir: cfg.dataDir,
        minFreeBytes: cfg.minFreeBytes,
        clock,
        logger: logger.child({ room: 'store' }),
        ...(o.fs ? { fs: o.fs } : {}),
      }),
    );
    parts.add('database', () => store.close());
    // Every process of a deployment must hold the same keys (issue 12.12): refuse to start otherwise.
    await verifyKeyFingerprints(
      store.keyFingerprints,
      { GARMINSYNC_ENCRYPTION_KEY: keys.encryptionKey, GARMINSYNC_JWT_KEY: keys.jwtKey },
      clock.now(),
    );

    const garmin = createGarmin(cfg, { ...o, clock, random });
    const auth = createAuth<Database>({
      db: store.db,
      garmin: garmin.auth,
      // Clients are made on first use, after the engine (and its per-account budgets) exists.
      createConnect: garmin.connectFor(() => engine.limiters),
      ...keys,
      clock,
      random,
      logger: logger.child({ room: 'auth' }),
      allowedUsers: cfg.allowUsers ? new Set(cfg.allowUsers) : null,
      lifetime: { idleMs: cfg.sessionIdleMs, maxMs: cfg.sessionMaxMs, graceMs: cfg.refreshGraceMs },
      accessTtlSeconds: Math.round(cfg.accessTtlMs / 1000),
    });
    parts.add('garmin clients', async () => auth.gateway.clear());
    const engine: SyncEngine = await createSyncEngine({
      store: store.sync,
      blobs: store.blobs,
      budgets: store.budgets,
      gateway: auth.gateway,
      transport: store.notifications,
      // More than one process may call Garmin for an account: PostgreSQL, or split processes on one SQLite file.
      sharedBudget: store.notifications !== null || cfg.mode !== 'both',
      clock,
      random,
      logger,
      settings: {
        garminRatePerSec: cfg.garminRatePerSec,
        garminBurst: cfg.garminBurst,
        maxJobsPerUser: cfg.maxJobsPerUser,
        archiveMaxBytes: cfg.archiveMaxBytes,
        itemConcurrency: cfg.concurrency,
        maxJobs: cfg.maxJobs,
        leaseMs: cfg.leaseMs,
        heartbeatMs: cfg.heartbeatMs,
        pollMs: cfg.pollMs,
        maxJobAttempts: cfg.maxJobAttempts,
        activityRecheckDays: cfg.recheckDays,
        scheduleMinIntervalMs: cfg.scheduleMinIntervalMs,
        scratchDir: join(cfg.dataDir, 'tmp'),
      },
    });
    parts.add('engine', (step) => engine.close(step));

    let api: RunningApp | null = null;
    if (cfg.mode !== 'workers') {
      const deps = {
        auth: auth.service,
        sync: engine.sync,
        data: { synced: engine.synced },
        health: engine.health,
        coverage: engine.coverage,
        schedules: engine.schedules,
        imports: engine.imports,
        ready: store.ready,
        clock,
        logger,
        trustProxy: cfg.trustProxy,
        sseHeartbeatMs: cfg.sseHeartbeatMs,
        sseMinIntervalMs: cfg.sseMinIntervalMs,
      };
      api = await startStep({ step: 'listen', host: cfg.host, port: cfg.port }, () => createApp(deps, cfg));
      // Stop taking requests first (SSE streams end), then the workers release their leases.
      parts.add('api', () => api!.app.close());
    }
    // Workers start only once the API listens (issue 12.1): a start that fails claims no job.
    if (cfg.mode !== 'api') engine.startWorkers();
    return { url: api?.url ?? null, app: api?.app ?? null, db: store.db, auth, close: parts.closeAll };
  } catch (e) {
    await parts.closeAll();
    throw e;
  }
}

/** Where `run` writes: stdout for the URL, stderr for sentences and (unless given) the log. */
export interface ServerIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stderrIsTTY: boolean;
  /** Where log lines go (default: `stderr`). */
  logs?: pino.DestinationStream;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  io?: ServerIO;
  /** Stops the service like SIGTERM (tests); the process signals are always honoured too. */
  stop?: AbortSignal;
  /** The data dir when none is set (default: env-paths' data dir). */
  defaultDataDir?: string;
}

const processIO = (): ServerIO => ({
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  stderrIsTTY: process.stderr.isTTY === true,
  logs: stderrDestination(),
});

/** Resolves when SIGINT/SIGTERM arrives or `stop` aborts; the listeners are removed afterwards. */
function stopRequested(stop?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      stop?.removeEventListener('abort', onAbort);
      resolve(why);
    };
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    const onAbort = () => done('stop');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    if (stop?.aborted) done('stop');
    else stop?.addEventListener('abort', onAbort);
  });
}

/** `garminsync server …`: runs until SIGINT/SIGTERM (or `o.stop`); resolves to the exit code. */
export async function run(argv: string[], o: RunOptions = {}): Promise<number> {
  if (argv[0] === 'migrate-blobs') return (await import('./migrate-blobs.js')).runMigrateBlobs(argv.slice(1));
  const io = o.io ?? processIO();
  const env = o.env ?? process.env;
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(serverHelp());
    return 0;
  }
  let cfg: ServerConfig;
  try {
    cfg = parseServerConfig(argv, env, o.defaultDataDir ?? envPaths('garminsync', { suffix: '' }).data);
  } catch (e) {
    io.stderr(`garminsync server: ${(e as Error).message}\n`);
    return 2;
  }
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const logger = createServiceLogger({ level: cfg.logLevel, format: cfg.logFormat, noColor, pid: process.pid }, io);
  let service: RunningService;
  try {
    service = await startService(cfg, { logger });
  } catch (e) {
    // An expected failure is one sentence; only an unexpected one is logged with its stack.
    if (!isAppError(e)) logger.error({ err: e }, 'start-up failed');
    io.stderr(`garminsync server: ${isAppError(e) ? e.message : 'the service could not start (see the log above).'}\n`);
    return isAppError(e, 'CONFIG_INVALID') ? 2 : 1;
  }
  io.stdout(service.url ? `garminsync server listening on ${service.url}\n` : 'garminsync server: workers running\n');
  logger.info({ url: service.url, mode: cfg.mode, garmin: cfg.garmin.kind === 'url' ? cfg.garmin.url : cfg.garmin.domain }, 'started');

  const signal = await stopRequested(o.stop);
  logger.info({ signal }, 'shutting down');
  const timer = setTimeout(() => {
    logger.error({}, 'shutdown took too long; exiting');
    process.exit(1);
  }, cfg.shutdownTimeoutMs);
  timer.unref();
  await service.close();
  clearTimeout(timer);
  // The log is written asynchronously: its last lines are out before the exit code is.
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  // A requested stop that released every lease is a clean exit.
  return 0;
}
