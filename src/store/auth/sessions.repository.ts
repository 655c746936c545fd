import type { AuthDb } from './auth-db.js';
import type { SessionsTable } from './auth.tables.js';

export type SessionRow = SessionsTable;

/** The outcome of presenting a refresh token for rotation. */
export type RotateResult =
  | { kind: 'rotated'; session: SessionRow }
  /** The token was valid once but has been rotated away: a replay (RFC 9700 reuse detection). */
  | { kind: 'reused'; sessionId: string }
  /** The token is the current one, but its session is revoked or past its absolute expiry. */
  | { kind: 'inactive'; session: SessionRow }
  | { kind: 'unknown' };

/** The seed's User Sessions with their refresh-token hashes (never the raw token). */
export class SessionsRepository {
  constructor(private readonly db: AuthDb) {}

  /** Inserts a new session. */
  async create(row: Omit<SessionRow, 'last_used_at' | 'revoked_at' | 'revoke_reason'>): Promise<SessionRow> {
    const full: SessionRow = { ...row, last_used_at: null, revoked_at: null, revoke_reason: null };
    await this.db.insertInto('sessions').values(full).execute();
    return full;
  }

  /** A session by id, or undefined. */
  async findById(sessionId: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
  }

  /**
   * Swaps the session's refresh-token hash from `oldHash` to `newHash` atomically. The UPDATE is
   * guarded by `refresh_token_hash = oldHash`, so of two concurrent refreshes with the same token
   * exactly one wins; the loser finds the old hash among the rotated ones and reports `reused`.
   * Revoked or expired sessions are not rotated (`inactive`).
   */
  async rotate(oldHash: string, newHash: string, now: number): Promise<RotateResult> {
    return this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('sessions')
        .selectAll()
        .where('refresh_token_hash', '=', oldHash)
        .executeTakeFirst();
      if (!current) {
        const old = await trx
          .selectFrom('rotated_refresh_tokens')
          .select('session_id')
          .where('token_hash', '=', oldHash)
          .executeTakeFirst();
        return old ? { kind: 'reused', sessionId: old.session_id } : { kind: 'unknown' };
      }
      if (current.revoked_at !== null || current.expires_at <= now) return { kind: 'inactive', session: current };
      const res = await trx
        .updateTable('sessions')
        .set({ refresh_token_hash: newHash, last_used_at: now })
        .where('session_id', '=', current.session_id)
        .where('refresh_token_hash', '=', oldHash)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return { kind: 'reused', sessionId: current.session_id };
      await trx
        .insertInto('rotated_refresh_tokens')
        .values({ token_hash: oldHash, session_id: current.session_id, rotated_at: now })
        .execute();
      return { kind: 'rotated', session: { ...current, refresh_token_hash: newHash, last_used_at: now } };
    });
  }

  /** Revokes a session (idempotent: the first revocation time and reason are kept). */
  async revoke(sessionId: string, reason: string, now: number): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: now, revoke_reason: reason })
      .where('session_id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Records activity on the session. */
  async touch(sessionId: string, now: number): Promise<void> {
    await this.db.updateTable('sessions').set({ last_used_at: now }).where('session_id', '=', sessionId).execute();
  }
}
