import type { SyncJobRecord } from '../store/index.js';

/** `progress` while a job moves (claimed, counters, cancel requested); `end` with its terminal state. */
export interface JobEvent {
  type: 'progress' | 'end';
  job: SyncJobRecord;
}

export type Unsubscribe = () => void;

/**
 * How job changes travel from workers to watchers (SSE) and how workers learn that a job is
 * waiting. `InProcessJobEventBus` serves one process (SQLite default); `ClusterJobEventBus`
 * carries the same events between processes over PostgreSQL LISTEN/NOTIFY.
 */
export interface JobEventBus {
  publish(event: JobEvent): void;
  subscribe(jobId: string, listener: (event: JobEvent) => void): Unsubscribe;
  /** A job became claimable (created, or released by a stopping worker). */
  notifyClaimable(): void;
  onClaimable(listener: () => void): Unsubscribe;
}

/** The single-process bus: listeners are called synchronously; a throwing listener is isolated. */
export class InProcessJobEventBus implements JobEventBus {
  private readonly byJob = new Map<string, Set<(e: JobEvent) => void>>();
  private readonly claimable = new Set<() => void>();

  publish(event: JobEvent): void {
    for (const l of [...(this.byJob.get(event.job.job_id) ?? [])]) safe(() => l(event));
  }

  subscribe(jobId: string, listener: (event: JobEvent) => void): Unsubscribe {
    let set = this.byJob.get(jobId);
    if (!set) this.byJob.set(jobId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byJob.delete(jobId);
    };
  }

  notifyClaimable(): void {
    for (const l of [...this.claimable]) safe(l);
  }

  onClaimable(listener: () => void): Unsubscribe {
    this.claimable.add(listener);
    return () => this.claimable.delete(listener);
  }
}

function safe(fn: () => void): void {
  try {
    fn();
  } catch {
    // A broken watcher must not break the worker that published.
  }
}
