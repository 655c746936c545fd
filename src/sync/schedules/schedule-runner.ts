import { silentLogger, type Clock, type Logger, type Random } from '../../core/index.js';
import type { DueSchedule, SyncStore } from '../../store/index.js';
import type { JobEventBus } from '../job-event-bus.js';
import { nextDueAfter } from './schedule-times.js';

export interface ScheduleRunnerOptions {
  store: SyncStore;
  bus: JobEventBus;
  clock: Clock;
  random: Random;
  logger?: Logger;
  /** How often due schedules are looked for (default 1 s; an indexed query). */
  tickMs?: number;
}

/**
 * The worker side of schedules (issue 15): every tick, each due schedule of a connected account
 * becomes an ordinary sync job with trigger `schedule`. Claiming the due time and creating its job
 * are one transaction, so with any number of worker processes each due time makes exactly one job
 * (or joins the identical job already pending or running), and a crash in between loses nothing.
 * Schedules of an account that needs a new Garmin login are not due (the repository skips them).
 */
export class ScheduleRunner {
  private readonly logger: Logger;
  private stopCtl: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly o: ScheduleRunnerOptions) {
    this.logger = o.logger ?? silentLogger;
  }

  start(): void {
    if (this.loop) return;
    const ctl = (this.stopCtl = new AbortController());
    this.loop = (async () => {
      while (!ctl.signal.aborted) {
        try {
          await this.tick();
        } catch (err) {
          this.logger.error({ err }, 'running due schedules failed');
        }
        await this.o.clock.sleep(this.o.tickMs ?? 1000, ctl.signal).catch(() => {});
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopCtl?.abort();
    await this.loop;
    this.loop = undefined;
  }

  /** Runs every schedule due now; returns the ids of the jobs created (not those joined). */
  async tick(): Promise<string[]> {
    const now = this.o.clock.now();
    const created: string[] = [];
    for (const s of await this.o.store.schedules.due(now, 100)) {
      const job = await this.runDue(s, now);
      if (job) created.push(job);
    }
    if (created.length > 0) this.o.bus.notifyClaimable();
    return created;
  }

  private async runDue(s: DueSchedule, now: number): Promise<string | undefined> {
    const next = nextDueAfter(s.created_at + s.jitter_ms, s.every_ms, now);
    const res = await this.o.store.transaction(async (tx) => {
      if (!(await tx.schedules.claim(s, next, now))) return undefined; // another worker ran this due time
      const r = await tx.jobs.createOrGetActive(
        {
          job_id: this.o.random.uuid(),
          user_id: s.user_id,
          session_id: s.session_id,
          sync_type: s.sync_type,
          params: { from: null, to: null, full: false },
          trigger: 'schedule',
        },
        now,
      );
      await tx.schedules.recordJob(s.user_id, s.sync_type, r.job.job_id);
      return r;
    });
    if (!res) return undefined;
    this.logger.info(
      { user_id: s.user_id, sync_type: s.sync_type, job_id: res.job.job_id, deduplicated: res.deduplicated, next_run_at: next },
      res.deduplicated ? 'schedule due; an identical job is already active' : 'scheduled sync job created',
    );
    return res.deduplicated ? undefined : res.job.job_id;
  }
}
