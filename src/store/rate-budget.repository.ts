import { sql } from 'kysely';
import type { Db } from './schema.js';

/** The bucket's shape: sustained rate and burst size. */
export interface BudgetPolicy {
  ratePerSec: number;
  burst: number;
}

/** What one `take` decided. */
export interface BudgetTake {
  /** Epoch ms until which the account is paused; when > now no token was taken. */
  pausedUntil: number;
  /** Tokens left after this take; negative = this caller must wait for the refill first. */
  tokens: number;
}

/**
 * The per-Garmin-account request budget shared by every process (issue 6): a token bucket and
 * the 429 pause in one row per account, changed only by single `INSERT … ON CONFLICT DO UPDATE …
 * RETURNING` statements, so concurrent takers on several processes (PostgreSQL row lock, SQLite's
 * single writer) never lose an update. The SQL is the same on both dialects.
 *
 * A take always reserves a token, even when the bucket is empty: the balance goes negative and
 * the caller waits `-tokens / rate` seconds, which hands out slots in arrival order with one
 * statement and no retry loop (a reservation a caller abandons is simply not used: the budget
 * errs on the safe side). While the account is paused nothing is taken.
 *
 * Times come from the callers' clocks: processes on several machines need synchronised clocks
 * (NTP). A clock behind the stored refill time neither refills nor moves the refill time back.
 */
export class RateBudgetRepository {
  constructor(private readonly db: Db) {}

  /**
   * Takes (reserves) one token of `accountKey`'s bucket at `now`, unless the account is paused.
   * A new account starts with a full bucket.
   */
  async take(accountKey: string, now: number, policy: BudgetPolicy): Promise<BudgetTake> {
    const nowV = sql`cast(${now} as bigint)`;
    const burst = sql`cast(${policy.burst} as double precision)`;
    const perMs = sql`cast(${policy.ratePerSec / 1000} as double precision)`;
    const b = sql.ref('garmin_rate_budgets');
    const paused = sql`${b}.paused_until > ${nowV}`;
    const elapsed = sql`(case when ${nowV} > ${b}.refilled_at then ${nowV} - ${b}.refilled_at else 0 end)`;
    const refilled = sql`(${b}.tokens + ${elapsed} * ${perMs})`;
    const capped = sql`(case when ${refilled} > ${burst} then ${burst} else ${refilled} end)`;
    const { rows } = await sql<{ tokens: number; paused_until: number }>`
      insert into garmin_rate_budgets (account_key, tokens, refilled_at, paused_until)
      values (${accountKey}, ${burst} - 1, ${nowV}, 0)
      on conflict (account_key) do update set
        tokens = case when ${paused} then ${b}.tokens else ${capped} - 1 end,
        refilled_at = case when ${paused} or ${b}.refilled_at > ${nowV} then ${b}.refilled_at else ${nowV} end
      returning tokens, paused_until`.execute(this.db);
    const row = rows[0]!;
    return { tokens: Number(row.tokens), pausedUntil: Number(row.paused_until) };
  }

  /** Pauses the account until `until` (epoch ms); a later existing pause wins. */
  async pause(accountKey: string, until: number, now: number, policy: BudgetPolicy): Promise<number> {
    const untilV = sql`cast(${until} as bigint)`;
    const b = sql.ref('garmin_rate_budgets');
    const { rows } = await sql<{ paused_until: number }>`
      insert into garmin_rate_budgets (account_key, tokens, refilled_at, paused_until)
      values (${accountKey}, cast(${policy.burst} as double precision), cast(${now} as bigint), ${untilV})
      on conflict (account_key) do update set
        paused_until = case when ${b}.paused_until > ${untilV} then ${b}.paused_until else ${untilV} end
      returning paused_until`.execute(this.db);
    return Number(rows[0]!.paused_until);
  }

  /** Epoch ms until which the account is paused (0 when it never was). */
  async pausedUntil(accountKey: string): Promise<number> {
    const row = await this.db
      .selectFrom('garmin_rate_budgets')
      .select('paused_until')
      .where('account_key', '=', accountKey)
      .executeTakeFirst();
    return row ? Number(row.paused_until) : 0;
  }
}
