import type { Kysely } from 'kysely';
import { authDb } from './auth-db.js';
import type { AuthTables } from './auth.tables.js';
import { AuthLimitsRepository } from './auth-limits.repository.js';
import { AuthTokensRepository } from './auth-tokens.repository.js';
import { GarminAccountsRepository } from './garmin-accounts.repository.js';
import { MfaChallengesRepository } from './mfa-challenges.repository.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository } from './users.repository.js';

/** Every auth repository over one database handle. */
export interface AuthRepositories {
  users: UsersRepository;
  garminAccounts: GarminAccountsRepository;
  sessions: SessionsRepository;
  authTokens: AuthTokensRepository;
  mfaChallenges: MfaChallengesRepository;
  limits: AuthLimitsRepository;
}

/**
 * Builds the auth repositories over the store's Kysely handle (any schema containing the auth
 * tables, i.e. the store's `Database`).
 */
export function createAuthRepositories<DB extends AuthTables>(db: Kysely<DB>): AuthRepositories {
  const a = authDb(db);
  return {
    users: new UsersRepository(a),
    garminAccounts: new GarminAccountsRepository(a),
    sessions: new SessionsRepository(a),
    authTokens: new AuthTokensRepository(a),
    mfaChallenges: new MfaChallengesRepository(a),
    limits: new AuthLimitsRepository(a),
  };
}
