import type { AuthDb } from './auth-db.js';
import type { MfaChallengesTable } from './auth.tables.js';

export type MfaChallengeRow = MfaChallengesTable;

/** Pending Garmin logins waiting for their MFA code (state encrypted by the caller). */
export class MfaChallengesRepository {
  constructor(private readonly db: AuthDb) {}

  /** Stores a new challenge. */
  async create(row: Omit<MfaChallengeRow, 'consumed_at'>): Promise<void> {
    await this.db
      .insertInto('mfa_challenges')
      .values({ ...row, consumed_at: null })
      .execute();
  }

  /** A challenge by id, or undefined. */
  async findById(challengeId: string): Promise<MfaChallengeRow | undefined> {
    return this.db.selectFrom('mfa_challenges').selectAll().where('challenge_id', '=', challengeId).executeTakeFirst();
  }

  /**
   * Takes one attempt atomically (`attempts_left - 1` guarded by `attempts_left > 0`), so
   * concurrent submissions on several processes can never exceed the budget.
   * Returns the attempts left after this one, or null when none was left (or it was consumed).
   */
  async takeAttempt(challengeId: string): Promise<number | null> {
    const res = await this.db
      .updateTable('mfa_challenges')
      .set((eb) => ({ attempts_left: eb('attempts_left', '-', 1) }))
      .where('challenge_id', '=', challengeId)
      .where('attempts_left', '>', 0)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return null;
    const row = await this.findById(challengeId);
    return row ? row.attempts_left : null;
  }

  /** Replaces the stored (encrypted) Garmin login state, e.g. after a wrong code. */
  async updateState(challengeId: string, stateEnc: string): Promise<void> {
    await this.db.updateTable('mfa_challenges').set({ state_enc: stateEnc }).where('challenge_id', '=', challengeId).execute();
  }

  /** Marks the challenge used; true only for the one caller that consumed it. */
  async consume(challengeId: string, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('mfa_challenges')
      .set({ consumed_at: now })
      .where('challenge_id', '=', challengeId)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Ends a challenge for good (no attempts left); used when Garmin says the code expired. */
  async kill(challengeId: string): Promise<void> {
    await this.db.updateTable('mfa_challenges').set({ attempts_left: 0 }).where('challenge_id', '=', challengeId).execute();
  }

  /** Deletes challenges that expired before `now` (housekeeping). Returns how many. */
  async deleteExpired(now: number): Promise<number> {
    const res = await this.db.deleteFrom('mfa_challenges').where('expires_at', '<', now).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
