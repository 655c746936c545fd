import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { API_PREFIX, Problem } from '../contract/index.js';
import { systemClock, type Clock } from '../core/index.js';
import { OneLinePerRequest } from './request-log.js';
import { clientErrorHandler, frameworkErrorHandler, installErrorHandling, refuseNulStrings } from './errors.js';
import type { AuthApi, CoverageApi, DataApi, HealthApi, ImportsApi, SchedulesApi, SyncApi } from './ports.js';
import { activitiesRoutes } from './routes/activities.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { coverageRoutes } from './routes/coverage.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { importsRoutes } from './routes/imports.routes.js';
import { probeRoutes } from './routes/probe.routes.js';
import { schedulesRoutes } from './routes/schedules.routes.js';
import { syncRoutes } from './routes/sync.routes.js';
import { workoutsRoutes } from './routes/workouts.routes.js';

export interface AppDeps {
  auth: AuthApi;
  sync: SyncApi;
  data: DataApi;
  health: HealthApi;
  /** Archive uploads (issue 16); without it the /imports routes are absent. */
  imports?: ImportsApi;
  /** Health coverage (issue 15); without it GET /coverage is absent. */
  coverage?: CoverageApi;
  /** Sync schedules (issue 15); without it the /sync/schedules routes are absent. */
  schedules?: SchedulesApi;
  /** Throws when the service cannot serve (database unreachable). */
  ready: () => Promise<void>;
  clock?: Clock;
  /** Fastify logger: a pino instance or options; false in tests. */
  logger?: FastifyServerOptions['loggerInstance'] | false;
  /** Largest accepted request body in bytes (default 64 KiB: our bodies are tiny). */
  bodyLimit?: number;
  sseHeartbeatMs?: number;
  /** Job-event streams send at most one progress event per this many ms (default 250; 0 = every change). */
  sseMinIntervalMs?: number;
  version?: string;
  /** Fastify trustProxy: which proxies may set X-Forwarded-For (request.ip keys the login limits). */
  trustProxy?: string[] | null;
}

/**
 * Builds the HTTP API (design.md §4) without listening: routes under /api/v1 with TypeBox schemas
 * from src/contract, one error handler (problem+json), OpenAPI 3.1 at /openapi.json.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    logController: new OneLinePerRequest(),
    bodyLimit: deps.bodyLimit ?? 64 * 1024,
    // Deeply nested or huge JSON is refused before it is parsed into objects.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    // A client that never finishes sending its request (slowloris) loses the socket after 30 s.
    // This bounds receiving the request only; long SSE responses are not affected.
    requestTimeout: 30_000,
    ...(deps.trustProxy?.length ? { trustProxy: deps.trustProxy } : {}),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    // Router errors (bad URL encoding, over-long path parameters) are problem+json too.
    frameworkErrors: frameworkErrorHandler,
    // Parser-level errors (bad method, bad headers, 431, CL+TE) are problem+json too.
    clientErrorHandler,
  });
  app.decorateRequest('principal', null);
  installErrorHandling(app);
  refuseNulStrings(app);
  app.addSchema(Problem);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'FitTrack GarminSync API',
        version: deps.version ?? '0.1.0',
        description: 'Sync service: sessions with Garmin MFA, background sync jobs, synced data. Errors are RFC 9457 problem+json.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: '/' }],
      tags: [
        { name: 'auth', description: 'Login with Garmin (MFA), our tokens and sessions' },
        { name: 'sync', description: 'Sync jobs' },
        { name: 'data', description: 'What was synced' },
        { name: 'probes', description: 'Liveness, readiness and the contract' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    // Shared schemas keep their $id as their component name ("Problem", not "def-0").
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });

  const openapi = async () => app.swagger();
  // Probes and the contract at the root and under /api/v1 (documented once).
  for (const prefix of ['', API_PREFIX]) {
    await app.register(probeRoutes, { prefix, ready: deps.ready, hide: prefix !== '' });
    app.get(`${prefix}/openapi.json`, { schema: { hide: true } }, openapi);
  }
  // Open SSE streams end when the app closes; otherwise app.close() would wait for them.
  const streams = new Set<AbortController>();
  app.addHook('preClose', async () => {
    for (const s of streams) s.abort();
    // Fastify closes the keep-alive connections that are idle when close starts; one whose
    // response was still in flight turns idle later and would hold close() open for the
    // keep-alive timeout (72 s), so shutdown overran its deadline (seen in the crash test).
    const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
    app.server.once('close', () => clearInterval(sweep));
  });
  await app.register(
    async (api) => {
      await api.register(authRoutes, { auth: deps.auth });
      await api.register(syncRoutes, {
        auth: deps.auth,
        sync: deps.sync,
        clock,
        streams,
        ...(deps.sseHeartbeatMs ? { sseHeartbeatMs: deps.sseHeartbeatMs } : {}),
        ...(deps.sseMinIntervalMs !== undefined ? { sseMinIntervalMs: deps.sseMinIntervalMs } : {}),
      });
      await api.register(activitiesRoutes, { auth: deps.auth, data: deps.data.synced });
      await api.register(workoutsRoutes, { auth: deps.auth, data: deps.data.synced });
      await api.register(healthRoutes, { auth: deps.auth, health: deps.health });
      if (deps.schedules) await api.register(schedulesRoutes, { auth: deps.auth, schedules: deps.schedules });
      if (deps.imports) await api.register(importsRoutes, { auth: deps.auth, imports: deps.imports });
      if (deps.coverage) await api.register(coverageRoutes, { auth: deps.auth, coverage: deps.coverage });
    },
    { prefix: API_PREFIX },
  );
  await app.ready();
  return app;
}

/** A listening API: its base URL and how to stop it. */
export interface RunningApp {
  app: FastifyInstance;
  /** http://host:port (the real port when 0 was asked for). */
  url: string;
}

/** Builds the API and listens on host:port; on a listen failure the app is closed before the error is rethrown. */
export async function createApp(deps: AppDeps, at: { host: string; port: number }): Promise<RunningApp> {
  const app = await buildApp(deps);
  try {
    await app.listen({ host: at.host, port: at.port });
  } catch (e) {
    await app.close().catch(() => {});
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : at.port;
  return { app, url: `http://${at.host.includes(':') ? `[${at.host}]` : at.host}:${port}` };
}
