import type { AuthDb } from './auth-db.js';
import type { SessionsTable } from './auth.tables.js';

export type SessionRow = SessionsTable;

/** The outcome of presenting a refresh token for rotation. */
export type RotateResult =
  /** `grace`: the token was the one rotated away last, presented again within the grace window. */
  | { kind: 'rotated'; session: SessionRow; grace: boolean }
  /** The token was valid once but has been rotated away: a replay (RFC 9700 reuse detection). */
  | { kind: 'reused'; sessionId: string }
  /** The token is the current one, but its session is revoked or past its end. */
  | { kind: 'inactive'; session: SessionRow }
  | { kind: 'unknown' };

/** How a rotation moves the session (issue 15: sliding sessions; issue 12.4: grace window). */
export interface RotatePolicy {
  /** Each rotation moves `expires_at` to now + idleMs (never past `absolute_expires_at`). */
  idleMs: number;
  /** How long the token rotated away last may be presented again without counting as reuse. */
  graceMs: number;
}

/** The seed's User Sessions with their refresh-token hashes (never the raw token). */
export class SessionsRepository {
  constructor(private readonly db: AuthDb) {}

  /** Inserts a new session. */
  async create(
    row: Omit<
      SessionRow,
      'last_used_at' | 'revoked_at' | 'revoke_reason' | 'absolute_expires_at' | 'previous_token_hash' | 'rotated_at'
    > & {
      absolute_expires_at?: number;
    },
  ): Promise<SessionRow> {
    const full: SessionRow = {
      ...row,
      absolute_expires_at: row.absolute_expires_at ?? row.expires_at,
      previous_token_hash: null,
      rotated_at: null,
      last_used_at: null,
      revoked_at: null,
      revoke_reason: null,
    };
    await this.db.insertInto('sessions').values(full).execute();
    return full;
  }

  /** A session by id, or undefined. */
  async findById(sessionId: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
  }

  /**
   * Swaps the session's refresh-token hash to `newHash` atomically and slides `expires_at`.
   * `oldHash` is either the current hash (a normal rotation) or the hash rotated away last while
   * the grace window is open (`grace: true`: the client lost the previous answer; the current
   * hash is rotated away instead and the grace clock is not restarted, so the window stays
   * bounded). The UPDATE is guarded by the hash read, so of two concurrent refreshes exactly one
   * moves a given hash; the loser reads again. Any other rotated-away hash is `reused`.
   * Revoked or expired sessions are not rotated (`inactive`).
   */
  async rotate(oldHash: string, newHash: string, now: number, policy: RotatePolicy): Promise<RotateResult> {
    // A lost race means another refresh moved the hash between our read and write: read again
    // (the hash is now the previous one, inside the grace window). Three losses in a row: give up.
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = await this.tryRotate(oldHash, newHash, now, policy);
      if (r !== 'lost-race') return r;
    }
    return { kind: 'unknown' };
  }

  private async tryRotate(oldHash: string, newHash: string, now: number, policy: RotatePolicy): Promise<RotateResult | 'lost-race'> {
    return this.db.transaction().execute(async (trx) => {
      let current = await trx.selectFrom('sessions').selectAll().where('refresh_token_hash', '=', oldHash).executeTakeFirst();
      let grace = false;
      if (!current) {
        const prev = await trx.selectFrom('sessions').selectAll().where('previous_token_hash', '=', oldHash).executeTakeFirst();
        if (prev && prev.rotated_at !== null && now - prev.rotated_at < policy.graceMs) {
          current = prev;
          grace = true;
        } else {
          const old = await trx
            .selectFrom('rotated_refresh_tokens')
            .select('session_id')
            .where('token_hash', '=', oldHash)
            .executeTakeFirst();
          return old ? { kind: 'reused', sessionId: old.session_id } : { kind: 'unknown' };
        }
      }
      if (current.revoked_at !== null || current.expires_at <= now) return { kind: 'inactive', session: current };
      const fromHash = current.refresh_token_hash;
      const expiresAt = Math.min(now + policy.idleMs, current.absolute_expires_at);
      const previous = grace
        ? { previous_token_hash: current.previous_token_hash, rotated_at: current.rotated_at }
        : { previous_token_hash: oldHash, rotated_at: now };
      const res = await trx
        .updateTable('sessions')
        .set({ refresh_token_hash: newHash, last_used_at: now, expires_at: expiresAt, ...previous })
        .where('session_id', '=', current.session_id)
        .where('refresh_token_hash', '=', fromHash)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return 'lost-race';
      await trx
        .insertInto('rotated_refresh_tokens')
        .values({ token_hash: fromHash, session_id: current.session_id, rotated_at: now })
        .execute();
      return {
        kind: 'rotated',
        grace,
        session: { ...current, refresh_token_hash: newHash, last_used_at: now, expires_at: expiresAt, ...previous },
      };
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
