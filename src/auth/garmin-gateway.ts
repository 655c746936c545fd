import { AppError, isAppError, type Logger } from '../core/index.js';
import type { GarminAccountsRepository } from '../store/index.js';
import type { GarminTokenSet } from './garmin.port.js';
import type { GarminTokenVault } from './garmin-token-vault.js';

/** What the gateway hands the Connect-client factory for one user. */
export interface ConnectFactoryArgs {
  userId: string;
  /** Loads/saves that user's tokens, encrypted; a rotated refresh token is persisted here. */
  tokenStore: { load(): Promise<GarminTokenSet | null>; save(tokens: GarminTokenSet): Promise<void> };
}

export interface GarminGatewayOptions<C extends object> {
  vault: GarminTokenVault;
  accounts: GarminAccountsRepository;
  /** Builds a Garmin Connect client (the composition root passes `new GarminConnect(...)`). */
  createConnect: (args: ConnectFactoryArgs) => C;
  logger: Logger;
}

/**
 * The sync room's way to Garmin (its GarminGateway port): one Connect client per user, built
 * over that user's encrypted tokens. Never a credential login — when the tokens cannot be
 * refreshed the client throws GARMIN_REAUTH_REQUIRED, the account is marked `reauth_required`
 * (shown in GET /auth/session) and the error carries the catalogue's "login required" sentence for the job.
 *
 * One client per user and process is cached so that all jobs of an account share its
 * single-flight refresh (two clients refreshing one rotating DI token would kill it). A new login
 * (token_version changed by someone else) replaces the cached client.
 */
export class AuthGarminGateway<C extends object> {
  private readonly cache = new Map<string, { version: number; client: C }>();

  constructor(private readonly o: GarminGatewayOptions<C>) {}

  async forUser(userId: string): Promise<C> {
    const entry = await this.entryFor(userId);
    return this.guard(userId, entry);
  }

  /** The cached client of a user, or a new one over their current tokens. */
  private async entryFor(userId: string): Promise<Entry<C>> {
    const row = await this.o.accounts.get(userId);
    if (!row?.tokens_enc || row.status !== 'connected') {
      throw new AppError('GARMIN_REAUTH_REQUIRED', undefined, { user_id: userId });
    }
    const cached = this.cache.get(userId);
    if (cached && cached.version === row.token_version) return cached;
    const entry: Entry<C> = { version: row.token_version, client: undefined as unknown as C };
    const tokenStore: ConnectFactoryArgs['tokenStore'] = {
      load: () => this.o.vault.load(userId),
      save: async (tokens) => {
        await this.o.vault.save(userId, tokens);
        // Our own rotation bumped token_version: keep the cached client.
        const after = await this.o.accounts.get(userId);
        if (after) entry.version = after.token_version;
      },
    };
    entry.client = this.o.createConnect({ userId, tokenStore });
    this.cache.set(userId, entry);
    return entry;
  }

  /** Forgets cached clients (tests, shutdown). */
  clear(): void {
    this.cache.clear();
  }

  /**
   * Wraps every method so that a terminal refresh failure marks the account `reauth_required`
   * and reads "login required". Exception: when the stored tokens changed since this client
   * loaded them (another process or a new login rotated them), the failure is the stale client's,
   * not the account's: the call is retried once on a fresh client instead.
   */
  private guard(userId: string, entry: Entry<C>): C {
    const call = async (prop: string | symbol, args: unknown[], attempt: number): Promise<unknown> => {
      const current = attempt === 0 ? entry : await this.entryFor(userId);
      try {
        return await (Reflect.get(current.client, prop) as (...a: unknown[]) => unknown).apply(current.client, args);
      } catch (e) {
        if (!isAppError(e, 'GARMIN_REAUTH_REQUIRED')) throw e;
        this.cache.delete(userId);
        const row = await this.o.accounts.get(userId);
        if (attempt === 0 && row?.status === 'connected' && row.tokens_enc && row.token_version !== current.version) {
          this.o.logger.info({ user_id: userId }, 'Garmin tokens were rotated elsewhere; retrying with the stored ones');
          return call(prop, args, 1);
        }
        await this.o.vault.markReauthRequired(userId, e.message).catch((err: unknown) => {
          this.o.logger.error({ err, user_id: userId }, 'could not mark the Garmin account reauth_required');
        });
        this.o.logger.warn({ user_id: userId }, 'Garmin tokens cannot be refreshed; account marked reauth_required');
        throw new AppError('GARMIN_REAUTH_REQUIRED', undefined, { user_id: userId }, { cause: e });
      }
    };
    return new Proxy(entry.client, {
      get(target, prop, receiver) {
        const v: unknown = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => call(prop, args, 0);
      },
    });
  }
}

interface Entry<C> {
  version: number;
  client: C;
}
