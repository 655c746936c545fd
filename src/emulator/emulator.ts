import { AppError, silentLogger, systemClock } from '../core/index.js';
import { AccountRegistry, DEMO_PASSWORD } from './accounts.js';
import { createConnectRoutes } from './connect/index.js';
import { controlRoutes, type EmulatorControls } from './control/control.routes.js';
import { defaultFaults, DEFAULT_TOKEN_LIFETIME_SEC, mergeFaults } from './faults/knobs.js';
import { startEmuServer } from './http/server.js';
import { generateTlsMaterial } from './http/tls.js';
import { diRoutes } from './oauth/di.routes.js';
import { oauth1Routes } from './oauth/oauth1.routes.js';
import { TokenRegistry } from './oauth/token-registry.js';
import { createRandom, deriveSeed } from './random.js';
import { jsonSsoRoutes } from './sso/json-sso.routes.js';
import { SsoSessions } from './sso/sessions.js';
import { TicketStore } from './sso/tickets.js';
import { widgetRoutes } from './sso/widget.routes.js';
import { DEFAULT_CONSUMER, DEFAULT_DI_CLIENT_IDS, emptyStats, type EmuState } from './state.js';
import type { EmulatorOptions, FaultKnobs, RunningEmulator } from './types.js';

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function checkOptions(o: EmulatorOptions): void {
  const int = (name: string, v: number | undefined, min: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) {
      throw new AppError('CONFIG_INVALID', `Emulator option "${name}" must be an integer ≥ ${min}.`, { setting: name });
    }
  };
  int('port', o.port, 0);
  int('seed', o.seed, 0);
  int('activities', o.activities, 0);
  int('days', o.days, 1);
  int('workouts', o.workouts, 0);
  if (o.endDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.endDate)) {
    throw new AppError('CONFIG_INVALID', 'Emulator option "endDate" must be YYYY-MM-DD.', { setting: 'endDate' });
  }
  if (o.tls && o.domain !== undefined && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(o.domain)) {
    throw new AppError('CONFIG_INVALID', 'Emulator option "domain" must be a DNS name such as garmin.test.', { setting: 'domain' });
  }
}

/**
 * Starts a Garmin Connect emulator: SSO (generations A, B, C), OAuth1 and DI token endpoints,
 * the Connect API over seeded data, fault knobs and the /__emulator control API. Resolves once
 * it listens; `close()` stops it.
 */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  checkOptions(opts);
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const seed = opts.seed ?? 1;
  const tls = opts.tls ?? false;
  const domain = tls ? (opts.domain ?? 'garmin.com') : 'garmin.com';
  const host = opts.host ?? '127.0.0.1';

  let faults: FaultKnobs = mergeFaults(defaultFaults(), {
    latencyMs: opts.latencyMs ?? 0,
    rateLimitRps: opts.rateLimitRps ?? null,
    fault5xx: opts.fault5xx ?? 0,
    faultReset: opts.faultReset ?? 0,
    tokenLifetimeSec: opts.tokenLifetimeSec ?? DEFAULT_TOKEN_LIFETIME_SEC,
  });

  const random = createRandom(deriveSeed(seed, 'protocol'));
  const accounts = new AccountRegistry(seed, {
    activities: opts.activities ?? 300,
    days: opts.days ?? 90,
    workouts: opts.workouts ?? 12,
    endDate: opts.endDate ?? isoDay(clock.now()),
    // With the default end date (today), no activity may lie in the future.
    ...(opts.endDate === undefined ? { notAfterMs: clock.now() } : {}),
  });
  const state: EmuState = {
    config: {
      domain,
      tls,
      consumerKey: opts.consumerKey ?? DEFAULT_CONSUMER.key,
      consumerSecret: opts.consumerSecret ?? DEFAULT_CONSUMER.secret,
      diClientIds: opts.diClientIds ?? [...DEFAULT_DI_CLIENT_IDS],
      legacyWidget: opts.legacyWidget ?? true,
    },
    clock,
    logger,
    random,
    accounts,
    tickets: new TicketStore(clock, random),
    sessions: new SsoSessions(clock, random),
    tokens: new TokenRegistry(clock, random, Buffer.from(createRandom(deriveSeed(seed, 'jwt')).hex(64), 'hex'), `https://diauth.${domain}`),
    get faults() {
      return faults;
    },
    stats: emptyStats(),
  };

  const accountIdOf = (email: string): string => {
    const a = accounts.byEmail(email);
    if (!a) throw new AppError('NOT_FOUND', `No emulator account ${email}.`);
    return a.identity.accountId;
  };
  let resetRateWindow = (): void => {};
  const controls: EmulatorControls = {
    lastMfaCode: (email) => state.sessions.lastCode(email),
    stats: () => structuredClone(state.stats),
    resetStats: () => {
      state.stats = emptyStats();
      resetRateWindow();
    },
    faults: () => structuredClone(faults),
    setFaults: (patch) => {
      faults = mergeFaults(faults, patch);
      if (faults.rateLimitRps === null) resetRateWindow();
    },
    addActivities: (email, count) => {
      const account = email === undefined ? accounts.byEmail('demo@example.com')! : accounts.byEmail(email);
      if (!account) throw new AppError('NOT_FOUND', `No emulator account ${email}.`);
      return account.data.addActivities(count);
    },
    editActivity: (email, id, patch) => {
      const account = email === undefined ? accounts.byEmail('demo@example.com')! : accounts.byEmail(email);
      if (!account) throw new AppError('NOT_FOUND', `No emulator account ${email}.`);
      return account.data.editActivity(id, patch, clock.now());
    },
    expireTokens: (email) => state.tokens.expireAccess(email === undefined ? undefined : accountIdOf(email)),
    revokeRefreshTokens: (email) => state.tokens.revokeRefresh(email === undefined ? undefined : accountIdOf(email)),
    accounts: () =>
      accounts.list().map((a) => ({
        email: a.identity.email,
        password: DEMO_PASSWORD,
        mfa: a.mfa,
        locked: a.locked,
        displayName: a.identity.displayName,
      })),
    consumer: () => ({ consumer_key: state.config.consumerKey, consumer_secret: state.config.consumerSecret }),
  };

  const routes = [
    ...jsonSsoRoutes(state),
    ...(state.config.legacyWidget ? widgetRoutes(state) : []),
    ...oauth1Routes(state),
    ...diRoutes(state),
    ...createConnectRoutes((accountId) => accounts.byId(accountId)?.data),
    ...controlRoutes(controls),
    ...(opts.extraRoutes ?? []),
  ];
  const material = tls ? await generateTlsMaterial(domain, new Date(clock.now())) : undefined;
  const server = await startEmuServer({
    state,
    routes,
    host,
    port: opts.port ?? 0,
    dice: createRandom(deriveSeed(seed, 'faults')),
    ...(material ? { tls: { cert: material.cert, key: material.key } } : {}),
  });
  resetRateWindow = server.resetRateWindow;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  logger.info({ port: server.port, tls, domain }, 'emulator listening');

  return {
    url: `${tls ? 'https' : 'http'}://${urlHost}:${server.port}`,
    domain,
    port: server.port,
    ...(material ? { caPath: material.caPath } : {}),
    accounts: accounts.list().map((a) => ({ email: a.identity.email, password: DEMO_PASSWORD, mfa: a.mfa })),
    lastMfaCode: controls.lastMfaCode,
    stats: controls.stats,
    resetStats: controls.resetStats,
    faults: controls.faults,
    setFaults: (f) => controls.setFaults(f),
    addActivities: (email, count) => controls.addActivities(email, count),
    editActivity: (email, id, patch) => controls.editActivity(email, id, patch),
    expireTokens: controls.expireTokens,
    revokeRefreshTokens: controls.revokeRefreshTokens,
    close: async () => {
      await server.close();
      await material?.cleanup();
    },
  };
}
