import { AppError, SYNC_TYPES, formatDuration, type Clock, type Logger, type Random, type SyncType } from '../../core/index.js';
import type { ScheduleRecord, SyncStore } from '../../store/index.js';
import { fraction, maxJitterMs } from './schedule-times.js';

/** The longest interval a schedule may have. */
export const MAX_SCHEDULE_INTERVAL_MS = 365 * 86_400_000;

export interface ScheduleServiceOptions {
  store: Pick<SyncStore, 'schedules'>;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** The shortest interval the service accepts (`--schedule-min-interval`). */
  minIntervalMs: number;
}

/** What `set` changes: one type or all of them, every `every_ms`. */
export interface SetScheduleInput {
  sync_type: SyncType | 'all';
  every_ms: number;
}

/**
 * The API side of schedules (issue 15): a user's standing orders to sync, stored per user and
 * type in the database and run by the workers (ScheduleRunner). Each schedule gets a fixed random
 * offset (its jitter, up to a tenth of the interval) so that many users' schedules do not fire
 * together; its first run is due that jitter after it is set.
 */
export class ScheduleService {
  constructor(private readonly o: ScheduleServiceOptions) {}

  get minIntervalMs(): number {
    return this.o.minIntervalMs;
  }

  /** Creates or replaces the schedules; VALIDATION_FAILED when the interval is out of bounds. */
  async set(userId: string, sessionId: string, input: SetScheduleInput): Promise<ScheduleRecord[]> {
    const every = input.every_ms;
    if (!Number.isSafeInteger(every) || every < this.o.minIntervalMs) {
      throw new AppError('VALIDATION_FAILED', `The interval must be at least ${formatDuration(this.o.minIntervalMs)} on this service.`, {
        errors: [{ path: '/every_seconds', message: `below the minimum of ${this.o.minIntervalMs / 1000} s` }],
        min_interval_seconds: this.o.minIntervalMs / 1000,
      });
    }
    if (every > MAX_SCHEDULE_INTERVAL_MS) {
      throw new AppError('VALIDATION_FAILED', 'The interval must be at most 365d.', {
        errors: [{ path: '/every_seconds', message: 'above 365 days' }],
      });
    }
    const now = this.o.clock.now();
    const types = input.sync_type === 'all' ? [...SYNC_TYPES] : [input.sync_type];
    const writes = types.map((sync_type) => {
      const jitter = Math.floor(fraction(this.o.random.bytes(4)) * maxJitterMs(every));
      return { sync_type, every_ms: every, jitter_ms: jitter, next_run_at: now + jitter };
    });
    await this.o.store.schedules.set(userId, sessionId, writes, now);
    this.o.logger.info({ user_id: userId, types, every_ms: every }, 'sync schedule set');
    return this.list(userId);
  }

  /** The user's schedules, by type. */
  list(userId: string): Promise<ScheduleRecord[]> {
    return this.o.store.schedules.list(userId);
  }

  /** Removes the schedules of one type or all; returns what is left. */
  async clear(userId: string, syncType: SyncType | 'all'): Promise<ScheduleRecord[]> {
    const removed = await this.o.store.schedules.clear(userId, syncType === 'all' ? undefined : [syncType]);
    this.o.logger.info({ user_id: userId, sync_type: syncType, removed }, 'sync schedule cleared');
    return this.list(userId);
  }
}
