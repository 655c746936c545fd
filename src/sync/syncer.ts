import { AppError, SYNC_TYPES, type SyncType } from '../core/index.js';
import type { SyncStore } from '../store/index.js';
import type { JobContext } from './job-context.js';

/** What a syncer leaves to do when the job completes: e.g. advance the watermark. */
export type CompletionStep = (tx: SyncStore) => Promise<void>;

/** One syncer per sync type: lists what to sync, then works through items with the context. */
export interface Syncer {
  readonly type: SyncType;
  run(ctx: JobContext): Promise<CompletionStep | void>;
}

/**
 * The registry fails at construction when a type has no syncer or two (like immich's job
 * registry), so a missing handler is a start-up error, not a stuck job.
 */
export class SyncerRegistry {
  private readonly byType = new Map<SyncType, Syncer>();

  constructor(syncers: readonly Syncer[]) {
    for (const s of syncers) {
      if (this.byType.has(s.type)) throw new AppError('INTERNAL', `Two syncers for "${s.type}".`);
      this.byType.set(s.type, s);
    }
    for (const t of SYNC_TYPES) if (!this.byType.has(t)) throw new AppError('INTERNAL', `No syncer for "${t}".`);
  }

  get(type: SyncType): Syncer {
    return this.byType.get(type)!;
  }
}
