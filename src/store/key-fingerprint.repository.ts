import type { Db } from './schema.js';

/** The recorded key fingerprints (table key_fingerprints, migration 012). */
export class KeyFingerprintRepository {
  constructor(private readonly db: Db) {}

  /**
   * Records `fingerprint` for `name` unless one is recorded already, and returns the recorded
   * one: the first process to start wins, every later process compares against it. One
   * `INSERT … ON CONFLICT DO NOTHING`, so processes starting together agree.
   */
  async claim(name: string, fingerprint: string, now: number): Promise<string> {
    await this.db
      .insertInto('key_fingerprints')
      .values({ name, fingerprint, created_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.db.selectFrom('key_fingerprints').select('fingerprint').where('name', '=', name).executeTakeFirstOrThrow();
    return row.fingerprint;
  }
}
