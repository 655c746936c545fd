/**
 * GarminAuth: logins through the strategy chain, resumable MFA, token refresh and import.
 * Every token it hands out has been accepted by one socialProfile call.
 */
import { AppError, isAppError, silentLogger } from '../core/index.js';
import type { Clock, ErrorCode, Logger, Random } from '../core/index.js';
import { fetchSocialProfile } from './api-request.js';
import { DI_CLIENT_IDS, refreshDiToken } from './di-token.js';
import type { GarminEndpoints } from './endpoints.js';
import { defaultHttpDeps, type HttpDeps } from './http.js';
import type { TransportFetch } from '../transport/index.js';
import { DEFAULT_CONSUMER, exchangeOAuth1 } from './oauth1-exchange.js';
import { SsoSession } from './sso-session.js';
import { DEFAULT_STRATEGIES, STRATEGIES } from './strategies.js';
import type { LoginStrategy, StrategyContext } from './strategies.js';
import { parseTokenImport } from './token-import.js';
import type { GarminProfile, GarminTokenSet, LoginOutcome, MfaState } from './types.js';
import { isObject } from './validate.js';

export interface GarminAuthOptions {
  endpoints: GarminEndpoints;
  fetch?: TransportFetch;
  clock: Clock;
  random?: Random;
  logger?: Logger;
  /** OAuth1 consumer (defaults = the emulator's documented defaults). */
  consumer?: { key: string; secret: string };
  /** Strategy names, in order; default the chain of garmin-protocol.md. */
  strategies?: string[];
  /**
   * DI OAuth client ids tried in order on the ticket exchange (default DI_CLIENT_IDS; the service's
   * `--garmin-di-client-ids`). A refresh always uses the id its tokens were issued with.
   */
  diClientIds?: readonly string[];
  timeoutMs?: number;
}

/** Errors that end the chain: trying another strategy would repeat the same mistake (or spam MFA codes). */
const STOPS_CHAIN: readonly ErrorCode[] = [
  'GARMIN_INVALID_CREDENTIALS',
  'GARMIN_ACCOUNT_LOCKED',
  'GARMIN_CAPTCHA_REQUIRED',
  'ABORTED',
  'VALIDATION_FAILED',
];

/** Retries of the validating socialProfile GET (idempotent; a 5xx there should not cost a new login). */
const VALIDATION_RETRIES = 2;

export class GarminAuth {
  private readonly http: HttpDeps;
  private readonly ctx: StrategyContext;
  private readonly chain: LoginStrategy[];
  private readonly logger: Logger;

  constructor(private readonly opts: GarminAuthOptions) {
    this.logger = (opts.logger ?? silentLogger).child({ component: 'garmin-auth' });
    this.http = defaultHttpDeps(opts, this.logger);
    const diClientIds = opts.diClientIds ?? DI_CLIENT_IDS;
    if (diClientIds.length === 0) throw new AppError('CONFIG_INVALID', 'Give at least one DI client id.', { setting: 'diClientIds' });
    this.ctx = { http: this.http, endpoints: opts.endpoints, consumer: opts.consumer ?? DEFAULT_CONSUMER, diClientIds };
    this.chain = (opts.strategies ?? DEFAULT_STRATEGIES).map((name) => {
      const s = STRATEGIES[name];
      if (!s)
        throw new AppError('CONFIG_INVALID', `Unknown Garmin login strategy "${name}".`, {
          strategy: name,
          known: Object.keys(STRATEGIES),
        });
      return s;
    });
  }

  /**
   * Runs the strategy chain. Credential problems and MFA requests stop it; rate limits, Cloudflare
   * pages, 5xx and rejected tokens move to the next strategy, each strategy tried once.
   * Throws AppError GARMIN_INVALID_CREDENTIALS | GARMIN_ACCOUNT_LOCKED | GARMIN_CAPTCHA_REQUIRED |
   * GARMIN_RATE_LIMITED (details.retry_after_ms) | GARMIN_TOKEN_REJECTED | GARMIN_UNAVAILABLE.
   */
  async startLogin(creds: { username: string; password: string }, signal?: AbortSignal): Promise<LoginOutcome> {
    const failures: { strategy: string; code: ErrorCode; retry_after_ms?: number }[] = [];
    for (const strategy of this.chain) {
      const session = SsoSession.fresh(this.http);
      try {
        const step = await strategy.login(this.ctx, session, creds, signal);
        if (step.kind === 'mfa') {
          const state: MfaState = {
            v: 1,
            strategy: strategy.name,
            method: step.method,
            serviceUrl: step.serviceUrl,
            cookies: await session.serialize(),
            createdAt: this.http.clock.now(),
            ...step.extra,
          };
          this.logger.info({ strategy: strategy.name, method: step.method }, 'garmin login: MFA required');
          return { status: 'mfa_required', state, method: step.method };
        }
        const tokens = await strategy.tokens(this.ctx, session, step, signal);
        const profile = await this.validate(tokens, signal);
        this.logger.info({ strategy: strategy.name, kind: tokens.kind }, 'garmin login: authenticated');
        return { status: 'authenticated', tokens, profile };
      } catch (e) {
        if (!isAppError(e) || STOPS_CHAIN.includes(e.code)) throw e;
        failures.push({
          strategy: strategy.name,
          code: e.code,
          ...(e.retryAfterMs !== undefined ? { retry_after_ms: e.retryAfterMs } : {}),
        });
        this.logger.warn(
          { strategy: strategy.name, code: e.code, details: e.details },
          'garmin login: strategy failed, trying the next one',
        );
      }
    }
    throw chainFailure(failures);
  }

  /**
   * Finishes a login from its serialised state (works in a new process/instance). Wrong code →
   * GARMIN_MFA_CODE_INVALID (the same state stays usable); expired/too many → GARMIN_MFA_EXPIRED.
   */
  async completeMfa(state: MfaState, code: string, signal?: AbortSignal): Promise<{ tokens: GarminTokenSet; profile: GarminProfile }> {
    if (!isObject(state) || state.v !== 1 || typeof state.strategy !== 'string' || typeof state.method !== 'string') {
      throw new AppError('GARMIN_MFA_EXPIRED', 'The saved login state is not readable; start the login again.');
    }
    const strategy = STRATEGIES[state.strategy];
    if (!strategy) throw new AppError('GARMIN_MFA_EXPIRED', 'The saved login state names an unknown strategy; start the login again.');
    if (!/^\s*\S{4,12}\s*$/.test(code)) throw new AppError('GARMIN_MFA_CODE_INVALID', 'The MFA code has the wrong format.');
    const session = await SsoSession.restore(this.http, state.cookies);
    const ticket = await strategy.verifyMfa(this.ctx, session, state.method, state, code, signal);
    const tokens = await strategy.tokens(this.ctx, session, ticket, signal);
    const profile = await this.validate(tokens, signal);
    this.logger.info({ strategy: strategy.name, kind: tokens.kind }, 'garmin login: authenticated after MFA');
    return { tokens, profile };
  }

  /**
   * DI refresh (rotation) or OAuth1 re-exchange. invalid_grant / dead OAuth1 →
   * GARMIN_REAUTH_REQUIRED (terminal; never a credential login). The caller persists the result.
   */
  async refresh(tokens: GarminTokenSet, signal?: AbortSignal): Promise<GarminTokenSet> {
    if (tokens.kind === 'di') return refreshDiToken(this.http, this.opts.endpoints, tokens, signal);
    if (!tokens.oauth1) throw new AppError('GARMIN_REAUTH_REQUIRED', 'The OAuth1 token is missing.', { reason: 'no oauth1 token' });
    // garth re-runs the exchange without the audience (with it Garmin answered 403 on refresh).
    return exchangeOAuth1(this.http, this.opts.endpoints, this.ctx.consumer, tokens.oauth1, {}, signal);
  }

  /**
   * Token import: a DI pair, a garth dir's two JSON files' contents ({oauth1, oauth2} or
   * [oauth1, oauth2]), garth's base64 dumps() string, or python-garminconnect garmin_tokens.json
   * content. Refreshes first when the access token is missing or expired; validates with socialProfile.
   */
  async importTokens(input: unknown, signal?: AbortSignal): Promise<{ tokens: GarminTokenSet; profile: GarminProfile }> {
    const parsed = parseTokenImport(input, this.http.clock.now());
    let tokens = parsed.tokens;
    let refreshed = false;
    if (parsed.needsRefresh) {
      tokens = await this.refresh(tokens, signal);
      refreshed = true;
    }
    try {
      return { tokens, profile: await this.validate(tokens, signal) };
    } catch (e) {
      if (refreshed || !isAppError(e, 'GARMIN_TOKEN_REJECTED')) throw e;
      // The access token was revoked early; one refresh decides whether the import is alive.
      tokens = await this.refresh(tokens, signal);
      return { tokens, profile: await this.validate(tokens, signal) };
    }
  }

  private async validate(tokens: GarminTokenSet, signal?: AbortSignal): Promise<GarminProfile> {
    const p = await fetchSocialProfile(
      this.http,
      this.opts.endpoints,
      tokens.accessToken,
      { transientRetries: VALIDATION_RETRIES },
      signal,
    );
    return { displayName: p.displayName, profileId: p.profileId, userName: p.userName, fullName: p.fullName, garminGUID: p.garminGUID };
  }
}

function chainFailure(failures: { strategy: string; code: ErrorCode; retry_after_ms?: number }[]): AppError {
  const limited = failures.filter((f) => f.code === 'GARMIN_RATE_LIMITED');
  if (limited.length > 0) {
    const retryAfter = Math.max(...limited.map((f) => f.retry_after_ms ?? 0));
    return new AppError('GARMIN_RATE_LIMITED', 'Every Garmin login strategy was rate limited.', {
      retry_after_ms: retryAfter,
      attempts: failures,
    });
  }
  if (failures.some((f) => f.code === 'GARMIN_TOKEN_REJECTED')) {
    return new AppError('GARMIN_TOKEN_REJECTED', 'Garmin rejected the tokens of every login strategy.', { attempts: failures });
  }
  return new AppError('GARMIN_UNAVAILABLE', 'No Garmin login strategy worked.', { attempts: failures });
}
