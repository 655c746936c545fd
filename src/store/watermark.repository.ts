import type { SyncType } from '../core/index.js';
import type { Db } from './schema.js';

/** Per-user, per-type incremental sync positions. The value's shape belongs to its syncer. */
export class WatermarkRepository {
  constructor(private readonly db: Db) {}

  /** The stored watermark, or undefined before the first completed sync. */
  async get<T>(userId: string, syncType: SyncType): Promise<T | undefined> {
    const row = await this.db
      .selectFrom('sync_watermarks')
      .select('value')
      .where('user_id', '=', userId)
      .where('sync_type', '=', syncType)
      .executeTakeFirst();
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  /** Stores (upserts) the watermark. */
  async set(userId: string, syncType: SyncType, value: unknown, now: number): Promise<void> {
    const text = JSON.stringify(value);
    await this.db
      .insertInto('sync_watermarks')
      .values({ user_id: userId, sync_type: syncType, value: text, updated_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'sync_type']).doUpdateSet({ value: text, updated_at: now }))
      .execute();
  }
}
