import {
  AppError,
  isTerminal,
  parseHealthMetrics,
  silentLogger,
  syncDateProblem,
  type Clock,
  type Logger,
  type Random,
  type SyncType,
} from '../core/index.js';
import type { JobFailureRecord, ListJobsFilter, Page, SyncJobRecord, SyncStore } from '../store/index.js';
import type { JobEvent, JobEventBus, Unsubscribe } from './job-event-bus.js';

export interface CreateJobInput {
  sync_type: SyncType;
  from?: string | null;
  to?: string | null;
  full?: boolean;
  /** Only the items that failed in this earlier job of the user (`sync retry --failed`), over its range. */
  retry_failed_of?: string;
  /** Health only: the families to fetch (core HEALTH_METRICS names or `all`; default: the default set). */
  metrics?: readonly string[];
  /** Health only: fetch only what coverage shows missing, failed or partial in from–to. */
  missing?: boolean;
}

export interface SyncServiceOptions {
  store: SyncStore;
  bus: JobEventBus;
  clock: Clock;
  random: Random;
  logger?: Logger;
  /**
   * How often `watch` re-reads the job as a fallback when no event arrives (default 1000 ms):
   * the bus carries events across processes on PostgreSQL (LISTEN/NOTIFY), but a notification
   * lost while a connection is replaced must not leave a watcher waiting forever.
   */
  watchPollMs?: number;
  /** Pending + running jobs one user may have (TOO_MANY_ACTIVE_JOBS beyond); undefined = no limit. */
  maxActiveJobsPerUser?: number;
}

/**
 * The API side of the sync engine: create (with dedupe), list, get (scoped to the user: other
 * users' jobs are NOT_FOUND), cancel, and watch. Workers do the work (WorkerPool).
 */
export class SyncService {
  private readonly logger: Logger;

  constructor(private readonly o: SyncServiceOptions) {
    this.logger = o.logger ?? silentLogger;
  }

  /**
   * Creates a pending job, or returns the user's identical pending/running job
   * (`deduplicated: true`). Dates must be days from 2000-01-01 to tomorrow with from ≤ to
   * (core's `syncDateProblem`, the rule the CLI applies too; VALIDATION_FAILED).
   * A user at `maxActiveJobsPerUser` gets TOO_MANY_ACTIVE_JOBS (an identical job is still returned).
   */
  async create(userId: string, sessionId: string, input: CreateJobInput): Promise<{ job: SyncJobRecord; deduplicated: boolean }> {
    if (input.retry_failed_of) return this.createFailedRetry(userId, sessionId, input.sync_type, input);
    const from = input.from ?? null;
    const to = input.to ?? null;
    const now = this.o.clock.now();
    for (const [name, v] of [
      ['from', from],
      ['to', to],
    ] as const) {
      const problem = v === null ? null : syncDateProblem(v, now);
      if (problem) throw new AppError('VALIDATION_FAILED', `${name} ${problem}.`, { errors: [{ path: `/${name}`, message: problem }] });
    }
    if (from && to && from > to) {
      throw new AppError('VALIDATION_FAILED', 'from must not be after to.', { errors: [{ path: '/from', message: 'after to' }] });
    }
    if (input.sync_type !== 'health' && (input.metrics !== undefined || input.missing)) {
      throw new AppError('VALIDATION_FAILED', 'metrics and missing apply to health syncs only.', {
        errors: [{ path: input.metrics !== undefined ? '/metrics' : '/missing', message: 'health only' }],
      });
    }
    if (input.missing && input.full) {
      throw new AppError('VALIDATION_FAILED', 'missing and full cannot be combined.', {
        errors: [{ path: '/missing', message: 'with full' }],
      });
    }
    const metrics = input.metrics === undefined ? undefined : parseHealthMetrics(input.metrics);
    const res = await this.o.store.jobs.createOrGetActive(
      {
        job_id: this.o.random.uuid(),
        user_id: userId,
        session_id: sessionId,
        sync_type: input.sync_type,
        params: { from, to, full: Boolean(input.full), ...(metrics ? { metrics } : {}), ...(input.missing ? { missing: true } : {}) },
      },
      now,
      this.o.maxActiveJobsPerUser,
    );
    return this.created(res, userId);
  }

  /**
   * A job that works again only the items that failed permanently in an ended job of the same
   * type, over that job's range (the engine leaves every other item out of scope). Refused when
   * the job is still going (CONFLICT), had no failed items (CONFLICT), is of another type or a
   * range is given as well (VALIDATION_FAILED).
   */
  private async createFailedRetry(
    userId: string,
    sessionId: string,
    syncType: SyncType,
    input: CreateJobInput,
  ): Promise<{ job: SyncJobRecord; deduplicated: boolean }> {
    const old = await this.get(userId, input.retry_failed_of!);
    const refuse = (code: 'CONFLICT' | 'VALIDATION_FAILED', message: string) => new AppError(code, message, { job_id: old.job_id });
    if (input.from || input.to || input.full)
      throw refuse('VALIDATION_FAILED', 'A retry of failed items takes the range of its job; leave out from, to and full.');
    if (old.sync_type !== syncType) throw refuse('VALIDATION_FAILED', `Job ${old.job_id} is a ${old.sync_type} job, not ${syncType}.`);
    if (!isTerminal(old.status))
      throw refuse('CONFLICT', `Job ${old.job_id} is still ${old.status}; retry its failed items once it has ended.`);
    if (old.failed_items === 0) throw refuse('CONFLICT', `Job ${old.job_id} has no failed items to retry.`);
    const res = await this.o.store.jobs.createOrGetActive(
      {
        job_id: this.o.random.uuid(),
        user_id: userId,
        session_id: sessionId,
        sync_type: syncType,
        params: {
          from: old.params.from,
          to: old.params.to,
          full: old.params.full,
          retry_failed_of: old.job_id,
          ...(old.params.metrics ? { metrics: old.params.metrics } : {}),
          ...(old.params.missing ? { missing: true } : {}),
        },
      },
      this.o.clock.now(),
      this.o.maxActiveJobsPerUser,
    );
    return this.created(res, userId);
  }

  private created(res: { job: SyncJobRecord; deduplicated: boolean }, userId: string): { job: SyncJobRecord; deduplicated: boolean } {
    if (!res.deduplicated) {
      this.logger.info({ job_id: res.job.job_id, user_id: userId, sync_type: res.job.sync_type }, 'sync job created');
      this.o.bus.notifyClaimable();
    }
    return res;
  }

  /** The user's jobs, newest first, filtered and cursor-paged. */
  list(userId: string, filter: ListJobsFilter = {}): Promise<Page<SyncJobRecord>> {
    return this.o.store.jobs.list(userId, filter);
  }

  /** One of the user's jobs; NOT_FOUND for a missing job and for another user's job alike. */
  async get(userId: string, jobId: string): Promise<SyncJobRecord> {
    const job = await this.o.store.jobs.getForUser(userId, jobId);
    if (!job) throw new AppError('NOT_FOUND', 'No such sync job.', { job_id: jobId });
    return job;
  }

  /** The items of a job that failed permanently and were skipped. */
  async failures(userId: string, jobId: string): Promise<JobFailureRecord[]> {
    await this.get(userId, jobId);
    return this.o.store.failures.listForJob(jobId);
  }

  /**
   * Cancels a job: pending → cancelled at once; running → cancel requested, the worker stops
   * before its next item and moves it to cancelled (at once when no worker holds its lease);
   * terminal → INVALID_TRANSITION (409).
   */
  async cancel(userId: string, jobId: string): Promise<SyncJobRecord> {
    const job = await this.get(userId, jobId);
    const now = this.o.clock.now();
    const unattended = job.lease_owner === null || (job.lease_expires_at ?? 0) < now;
    if (job.status === 'running' && !unattended) {
      if (!job.cancel_requested) await this.o.store.jobs.requestCancel(jobId, now);
      const fresh = await this.get(userId, jobId);
      this.o.bus.publish({ type: isTerminal(fresh.status) ? 'end' : 'progress', job: fresh });
      return fresh;
    }
    // pending → cancelled, or a running job no worker holds (released or expired lease) → cancelled
    // now; a terminal job is refused by core's transitionJob (INVALID_TRANSITION).
    const moved = await this.o.store.jobs.transition(job, 'cancelled', now);
    this.o.bus.publish({ type: 'end', job: moved });
    return moved;
  }

  /** Listens to one of the user's jobs (ownership checked first). */
  async subscribe(userId: string, jobId: string, listener: (e: JobEvent) => void): Promise<Unsubscribe> {
    await this.get(userId, jobId);
    return this.o.bus.subscribe(jobId, listener);
  }

  /**
   * The job's current state, then its changes, ending with the terminal state (`end`).
   * Ends early when `signal` aborts. Events come from the bus; a periodic re-read fills in
   * changes made by workers the bus does not reach.
   *
   * Coalescing lives here rather than in the SSE writer because this is where a watcher's state
   * is: the last state it was given, what is newer than that (stale and repeated reads are
   * dropped here too) and when it was given. The watcher keeps only the newest unsent state, not
   * a queue, so one that reads slowly (a slow client, `minIntervalMs`) gets no backlog, only the
   * latest state; and every consumer of watch() gets the same rule, not just one transport.
   * `minIntervalMs` (default 0): at most one `progress` per interval, always the newest state;
   * the first event is immediate and `end` is never held (it carries the final state, so a held
   * progress is dropped rather than sent after or just before it).
   */
  async *watch(userId: string, jobId: string, signal?: AbortSignal, opts: { minIntervalMs?: number } = {}): AsyncGenerator<JobEvent> {
    const clock = this.o.clock;
    const minIntervalMs = Math.max(0, opts.minIntervalMs ?? 0);
    let last: SyncJobRecord | undefined; // the last state yielded
    let next: SyncJobRecord | undefined; // the newest state not yet yielded
    let wake: (() => void) | undefined;
    // True while the loop waits out the interval for a held state: a newer state then only
    // replaces the held one, and only an end (or abort) cuts the wait short. Waking the loop for
    // every offer would re-arm a timer per job update (per item, in a fast backfill): garbage
    // that the heap profile of an archive import found promoted by the megabyte (bench row 9).
    let holding = false;
    const offer = (job: SyncJobRecord) => {
      const base = next ?? last;
      if (next && isTerminal(next.status)) return; // nothing follows a terminal state
      // Stale or repeated; a terminal state never is (a writer whose clock is behind must not lose it).
      if (base && !isTerminal(job.status) && (job.updated_at < base.updated_at || sameState(job, base))) return;
      next = job;
      if (!holding || isTerminal(job.status)) wake?.();
    };
    const unsubscribe = await this.subscribe(userId, jobId, (e) => offer(e.job));
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    const pollMs = this.o.watchPollMs ?? 1000;
    try {
      last = await this.get(userId, jobId);
      // An event that arrived during that read and is not newer than it is dropped.
      if (next && (next.updated_at < last.updated_at || sameState(next, last))) next = undefined;
      yield { type: isTerminal(last.status) ? 'end' : 'progress', job: last };
      if (isTerminal(last.status)) return;
      let sentAt = clock.now();
      while (!signal?.aborted) {
        const held = next;
        if (held && (isTerminal(held.status) || clock.now() >= sentAt + minIntervalMs)) {
          next = undefined;
          last = held;
          sentAt = clock.now();
          const terminal = isTerminal(held.status);
          yield { type: terminal ? 'end' : 'progress', job: held };
          if (terminal) return;
          continue;
        }
        // Wait for news, or until a held state may go out, or (nothing held) the fallback re-read.
        const tick = new AbortController();
        const waitMs = held ? sentAt + minIntervalMs - clock.now() : pollMs;
        let timedOut = false;
        holding = held !== undefined;
        await Promise.race([
          new Promise<void>((r) => (wake = r)),
          clock.sleep(waitMs, tick.signal).then(
            () => void (timedOut = true),
            () => {},
          ),
        ]);
        tick.abort();
        wake = undefined;
        holding = false;
        if (signal?.aborted) return;
        if (timedOut && !held && !next) offer(await this.get(userId, jobId));
      }
    } finally {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** Two reads of a job that a watcher cannot tell apart. */
function sameState(a: SyncJobRecord, b: SyncJobRecord): boolean {
  return (
    a.updated_at === b.updated_at &&
    a.status === b.status &&
    a.processed_items === b.processed_items &&
    a.failed_items === b.failed_items &&
    a.total_items === b.total_items &&
    a.cancel_requested === b.cancel_requested
  );
}
