import type { AuthDb } from './auth-db.js';
import type { GarminAccountsTable } from './auth.tables.js';

export type GarminAccountRow = GarminAccountsTable;
export type GarminAccountStatus = 'connected' | 'reauth_required';

/** A user's encrypted Garmin tokens and whether they still work. */
export class GarminAccountsRepository {
  constructor(private readonly db: AuthDb) {}

  /** The account row of a user, or undefined when they never logged in. */
  async get(userId: string): Promise<GarminAccountRow | undefined> {
    return this.db.selectFrom('garmin_accounts').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  /**
   * Stores freshly obtained or rotated tokens (already encrypted by the caller) and marks the
   * account connected. Bumps token_version so concurrent refreshers can tell a rotation happened.
   */
  async saveTokens(userId: string, t: { tokensEnc: string; kind: string; accessExpiresAt: number | null }, now: number): Promise<void> {
    await this.db
      .insertInto('garmin_accounts')
      .values({
        user_id: userId,
        tokens_enc: t.tokensEnc,
        token_kind: t.kind,
        access_expires_at: t.accessExpiresAt,
        status: 'connected',
        last_error: null,
        token_version: 1,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet((eb) => ({
          tokens_enc: t.tokensEnc,
          token_kind: t.kind,
          access_expires_at: t.accessExpiresAt,
          status: 'connected',
          last_error: null,
          token_version: eb('garmin_accounts.token_version', '+', 1),
          updated_at: now,
        })),
      )
      .execute();
  }

  /**
   * Marks the account `reauth_required` (Garmin refused the refresh: only a new `auth login` helps);
   * keeps the row. Schedules of the user wait until saveTokens marks it connected again.
   */
  async markReauthRequired(userId: string, error: string, now: number): Promise<void> {
    await this.db
      .updateTable('garmin_accounts')
      .set({ status: 'reauth_required', last_error: error, updated_at: now })
      .where('user_id', '=', userId)
      .execute();
  }
}
