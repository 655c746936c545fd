import type { AuthDb } from './auth-db.js';
import type { AuthTokensTable } from './auth.tables.js';

export type AuthTokenRow = AuthTokensTable;

/** The seed's Authentication Tokens: one row per issued access token, keyed by its `jti`. */
export class AuthTokensRepository {
  constructor(private readonly db: AuthDb) {}

  /** Records an issued access token. */
  async insert(row: Omit<AuthTokenRow, 'last_used_at'>): Promise<AuthTokenRow> {
    const full: AuthTokenRow = { ...row, last_used_at: null };
    await this.db.insertInto('auth_tokens').values(full).execute();
    return full;
  }

  /** A token row by its id (`jti`), or undefined. */
  async findById(tokenId: string): Promise<AuthTokenRow | undefined> {
    return this.db.selectFrom('auth_tokens').selectAll().where('token_id', '=', tokenId).executeTakeFirst();
  }

  /** Records that the token was just used. */
  async touch(tokenId: string, now: number): Promise<void> {
    await this.db.updateTable('auth_tokens').set({ last_used_at: now }).where('token_id', '=', tokenId).execute();
  }
}
