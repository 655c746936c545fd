import type { AuthDb } from './auth-db.js';
import type { UsersTable } from './auth.tables.js';

export type UserRow = UsersTable;

/** Users of the service, keyed by their lower-cased Garmin e-mail. */
export class UsersRepository {
  constructor(private readonly db: AuthDb) {}

  /** Finds a user by id, or undefined. */
  async findById(userId: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  /** Finds a user by Garmin e-mail (compared lower-cased), or undefined. */
  async findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('garmin_username', '=', username.toLowerCase()).executeTakeFirst();
  }

  /**
   * Creates the user on first login or refreshes their Garmin profile fields; returns the row.
   * `newId` is used only when the user does not exist yet. Idempotent under concurrent logins of
   * the same account thanks to the unique garmin_username and ON CONFLICT.
   */
  async upsert(
    input: { newId: string; username: string; displayName: string | null; profileId: number | null },
    now: number,
  ): Promise<UserRow> {
    const username = input.username.toLowerCase();
    await this.db
      .insertInto('users')
      .values({
        user_id: input.newId,
        garmin_username: username,
        display_name: input.displayName,
        garmin_profile_id: input.profileId,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('garmin_username').doUpdateSet({
          display_name: input.displayName,
          garmin_profile_id: input.profileId,
          updated_at: now,
        }),
      )
      .execute();
    const row = await this.findByUsername(username);
    if (!row) throw new Error('user upsert did not persist');
    return row;
  }
}
