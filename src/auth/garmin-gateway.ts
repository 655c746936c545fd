import { AppError, isAppError, type Logger } from '../core/index.js';
import type { GarminAccountsRepository } from '../store/index.js';
import type { GarminConnectPort, GarminTokenSet } from './garmin.port.js';
import { GuardedConnect } from './guarded-connect.js';
import type { GarminTokenVault } from './garmin-token-vault.js';

/** What the gateway hands the Connect-client factory for one user. */
export interface ConnectFactoryArgs {
  userId: string;
  /** Loads/saves that user's tokens, encrypted; a rotated refresh token is persisted here. */
  tokenStore: {
    load(): Promise<GarminTokenSet | null>;
    save(tokens: GarminTokenSet): Promise<void>;
    /** The account's cross-process refresh lock (store: withAccountLock). */
    exclusive<T>(fn: () => Promise<T>): Promise<T>;
  };
}

export interface GarminGatewayOptions {
  vault: GarminTokenVault;
  accounts: GarminAccountsRepository;
  /** Builds a Garmin Connect client (the composition root passes `new GarminConnect(...)`). */
  createConnect: (args: ConnectFactoryArgs) => GarminConnectPort;
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
export class AuthGarminGateway {
  private readonly cache = new Map<string, Entry>();

  constructor(private readonly o: GarminGatewayOptions) {}

  async forUser(userId: string): Promise<GarminConnectPort> {
    const entry = await this.entryFor(userId);
    return this.guard(userId, entry);
  }

  /** The cached client of a user, or a new one over their current tokens. */
  private async entryFor(userId: string): Promise<Entry> {
    const row = await this.o.accounts.get(userId);
    if (!row?.tokens_enc || row.status !== 'connected') {
      throw new AppError('GARMIN_REAUTH_REQUIRED', undefined, { user_id: userId });
    }
    const cached = this.cache.get(userId);
    if (cached && cached.version === row.token_version) return cached;
    const tokenStore: ConnectFactoryArgs['tokenStore'] = {
      load: () => this.o.vault.load(userId),
      exclusive: (fn) => this.o.accounts.withAccountLock(userId, fn),
      save: async (tokens) => {
        await this.o.vault.save(userId, tokens);
        // Our own rotation bumped token_version: keep the cached client.
        const after = await this.o.accounts.get(userId);
        if (after && entry) entry.version = after.token_version;
      },
    };
    const entry: Entry = { version: row.token_version, client: this.o.createConnect({ userId, tokenStore }) };
    this.cache.set(userId, entry);
    return entry;
  }

  /** Forgets cached clients (tests, shutdown). */
  clear(): void {
    this.cache.clear();
  }

  /**
   * The user's client behind an explicit decorator (GuardedConnect): a terminal refresh failure
   * marks the account `reauth_required` and reads "login required". Exception: when the stored
   * tokens changed since this client loaded them (another process or a new login rotated them),
   * the failure is the stale client's, not the account's: the call is retried once on a fresh client.
   */
  private guard(userId: string, first: Entry): GarminConnectPort {
    const run = async <T>(call: (client: GarminConnectPort) => Promise<T>, attempt = 0): Promise<T> => {
      const current = attempt === 0 ? first : await this.entryFor(userId);
      try {
        return await call(current.client);
      } catch (e) {
        if (!isAppError(e, 'GARMIN_REAUTH_REQUIRED')) throw e;
        this.cache.delete(userId);
        const row = await this.o.accounts.get(userId);
        if (attempt === 0 && row?.status === 'connected' && row.tokens_enc && row.token_version !== current.version) {
          this.o.logger.info({ user_id: userId }, 'Garmin tokens were rotated elsewhere; retrying with the stored ones');
          return run(call, 1);
        }
        await this.o.vault.markReauthRequired(userId, e.message).catch((err: unknown) => {
          this.o.logger.error({ err, user_id: userId }, 'could not mark the Garmin account reauth_required');
        });
        this.o.logger.warn({ user_id: userId }, 'Garmin tokens cannot be refreshed; account marked reauth_required');
        throw new AppError('GARMIN_REAUTH_REQUIRED', undefined, { user_id: userId }, { cause: e });
      }
    };
    return new GuardedConnect((call) => run(call));
  }
}

interface Entry {
  version: number;
  client: GarminConnectPort;
}
