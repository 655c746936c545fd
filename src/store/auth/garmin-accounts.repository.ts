import { sql } from 'kysely';
import { capabilitiesOf } from '../dialect.js';
import type { AuthDb } from './auth-db.js';
import type { GarminAccountsTable } from './auth.tables.js';

export type GarminAccountRow = GarminAccountsTable;
export type GarminAccountStatus = 'connected' | 'reauth_required';

/** In-process holders of the SQLite account locks, per database handle. */
const localLocks = new WeakMap<object, Map<string, Promise<unknown>>>();

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

  /**
   * Runs `fn` as the one holder of the account's token lock (issue 12.12: one Garmin refresh per
   * account across all processes, or two would spend the same rotating DI refresh token).
   * PostgreSQL: a transaction holding `pg_advisory_xact_lock` on a key derived from the user id,
   * across every process on the database; `fn` runs its own queries outside that transaction (it
   * re-reads the tokens there, so a refresh another holder just saved is seen). Without advisory
   * locks (SQLite, crossProcessLock 'database-write-lock'): one lock
   * per user in this process — the embedded mode is one process; a write lock (BEGIN IMMEDIATE)
   * held across Garmin's answer would stall every other writer of the file.
   */
  async withAccountLock<T>(userId: string, fn: () => Promise<T>): Promise<T> {
    if (capabilitiesOf(this.db).crossProcessLock === 'advisory') {
      return this.db.transaction().execute(async (tx) => {
        await sql`select pg_advisory_xact_lock(hashtextextended(${`garmin_tokens:${userId}`}, 0))`.execute(tx);
        return fn();
      });
    }
    let held = localLocks.get(this.db);
    if (!held) localLocks.set(this.db, (held = new Map()));
    const before = held.get(userId) ?? Promise.resolve();
    const mine = before.then(fn, fn);
    const tail = mine.catch(() => undefined);
    held.set(userId, tail);
    void tail.then(() => {
      if (held.get(userId) === tail) held.delete(userId);
    });
    return mine;
  }
}
