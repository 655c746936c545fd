import type { AuthDb } from './auth-db.js';
import type { GarminCircuitsTable } from './auth.tables.js';

export type GarminCircuitRow = GarminCircuitsTable;

/**
 * Counters for login/MFA rate limits and the per-account Garmin circuit breaker. Kept in the
 * database (not in process memory) so that limits hold across API processes (issue 6).
 */
export class AuthLimitsRepository {
  constructor(private readonly db: AuthDb) {}

  /**
   * Counts one hit on a fixed window of `windowMs` and returns the count in the current window
   * and when that window started. A single INSERT … ON CONFLICT DO UPDATE … RETURNING statement
   * (same syntax in SQLite ≥3.35 and PostgreSQL) keeps the increment atomic across processes.
   */
  async hit(key: string, windowMs: number, now: number): Promise<{ count: number; windowStart: number }> {
    const expired = now - windowMs;
    const row = await this.db
      .insertInto('auth_rate_counters')
      .values({ counter_key: key, window_start: now, count: 1 })
      .onConflict((oc) =>
        oc.column('counter_key').doUpdateSet((eb) => ({
          count: eb
            .case()
            .when('auth_rate_counters.window_start', '<=', expired)
            .then(1)
            .else(eb('auth_rate_counters.count', '+', 1))
            .end(),
          window_start: eb
            .case()
            .when('auth_rate_counters.window_start', '<=', expired)
            .then(now)
            .else(eb.ref('auth_rate_counters.window_start'))
            .end(),
        })),
      )
      .returning(['count', 'window_start'])
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), windowStart: Number(row.window_start) };
  }

  /**
   * Gives one hit back (an attempt that turned out not to be a failure), never below zero.
   * One UPDATE, so concurrent releases and hits on several processes stay exact.
   */
  async release(key: string): Promise<void> {
    await this.db
      .updateTable('auth_rate_counters')
      .set((eb) => ({ count: eb('count', '-', 1) }))
      .where('counter_key', '=', key)
      .where('count', '>', 0)
      .execute();
  }

  /** Forgets a counter (e.g. after a successful login). */
  async reset(key: string): Promise<void> {
    await this.db.deleteFrom('auth_rate_counters').where('counter_key', '=', key).execute();
  }

  /** The circuit state of a Garmin account, or undefined when it never tripped. */
  async getCircuit(username: string): Promise<GarminCircuitRow | undefined> {
    return this.db.selectFrom('garmin_circuits').selectAll().where('garmin_username', '=', username.toLowerCase()).executeTakeFirst();
  }

  /**
   * Records a Garmin 429 for the account: failures += 1 and the circuit opens until
   * `openUntil(failures)` (the caller's growing cool-down). The increment is one atomic
   * INSERT … ON CONFLICT DO UPDATE … RETURNING, so concurrent 429s on several processes each
   * count. Returns the new row.
   */
  async tripCircuit(username: string, openUntil: (failures: number) => number, now: number): Promise<GarminCircuitRow> {
    const key = username.toLowerCase();
    const { failures } = await this.db
      .insertInto('garmin_circuits')
      .values({ garmin_username: key, failures: 1, open_until: null, last_failure_at: now })
      .onConflict((oc) =>
        oc.column('garmin_username').doUpdateSet((eb) => ({ failures: eb('garmin_circuits.failures', '+', 1), last_failure_at: now })),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    const until = openUntil(Number(failures));
    await this.db.updateTable('garmin_circuits').set({ open_until: until }).where('garmin_username', '=', key).execute();
    return { garmin_username: key, failures: Number(failures), open_until: until, last_failure_at: now };
  }

  /** Closes the circuit after a successful Garmin login. */
  async resetCircuit(username: string): Promise<void> {
    await this.db.deleteFrom('garmin_circuits').where('garmin_username', '=', username.toLowerCase()).execute();
  }
}
