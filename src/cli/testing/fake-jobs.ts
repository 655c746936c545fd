import type { ServerResponse } from 'node:http';
import type { JobFailure, SyncJob } from '../../contract/index.js';
import { systemClock, type Clock } from '../../core/index.js';
import { pageOf } from './fake-page.js';

/** How the fake's jobs behave. */
export interface FakeJobsOptions {
  /** Items per job and milliseconds per item. */
  items?: number;
  stepMs?: number;
  /** Job types that fail (the whole job) after their first item. */
  failTypes?: string[];
  /** Items of every job that fail permanently (the job still completes, with failed_items). */
  failItems?: number;
  /** The time of the jobs' timestamps (default: the real clock). */
  clock?: Clock;
  /** Answer 404 on the SSE route, to exercise the polling fallback. */
  noSse?: boolean;
}

/** How a route answers: JSON (checked against the contract by the caller), or an SSE stream. */
export interface Reply {
  send(status: number, body?: unknown): void;
  problem(status: number, code: string, detail: string, extra?: object): void;
  /** A file (FIT, 200 application/octet-stream). */
  file(bytes: Uint8Array): void;
  /** One SSE event; the caller checks its data against the contract. */
  event(res: ServerResponse, name: string, data: unknown): void;
}

/**
 * Job ids shaped like the service's UUIDs, all starting `cdcb3b8f-` so that a short prefix is
 * ambiguous once there are two jobs (the prefix rules of `sync status ID`).
 */
export function fakeJobId(n: number): string {
  return `cdcb3b8f-${String(n).padStart(4, '0')}-4c6e-9d1a-0a1e2f3a4b5c`;
}

const iso = (ms: number) => new Date(ms).toISOString();
const ended = (j: SyncJob) => j.status === 'completed' || j.status === 'failed' || j.status === 'cancelled';

/**
 * The fake service's sync jobs and synced data: jobs that move over time (pending → running →
 * completed/failed, with permanently failed items when asked), their SSE stream, cancel,
 * failures, `retry_failed_of`, `id_prefix`.
 */
export class FakeJobs {
  readonly jobs = new Map<string, SyncJob>();
  readonly failures = new Map<string, JobFailure[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private seq = 0;

  constructor(private readonly o: FakeJobsOptions) {}

  private now(): number {
    return (this.o.clock ?? systemClock).now();
  }

  /** Answers `path` when it is a jobs route; false otherwise. */
  handle(method: string, path: string, url: URL, body: Record<string, unknown>, reply: Reply, res: ServerResponse): boolean {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/sync/jobs') {
      const existing = [...this.jobs.values()].find((j) => j.sync_type === body.sync_type && !ended(j));
      if (existing) reply.send(202, { job: existing, deduplicated: true });
      else this.create(body, reply);
    } else if (method === 'GET' && path === '/sync/jobs') {
      let items = [...this.jobs.values()].reverse();
      const type = url.searchParams.get('sync_type');
      const prefix = url.searchParams.get('id_prefix');
      if (type) items = items.filter((j) => j.sync_type === type);
      if (prefix) items = items.filter((j) => j.job_id.startsWith(prefix.toLowerCase()));
      reply.send(200, pageOf(items, url, 20));
    } else if ((m = /^\/sync\/jobs\/([^/]+)(\/cancel|\/events|\/failures)?$/.exec(path))) {
      const job = this.jobs.get(decodeURIComponent(m[1]!));
      if (!job) reply.problem(404, 'NOT_FOUND', 'No such sync job.');
      else if (method === 'GET' && !m[2]) reply.send(200, job);
      else if (method === 'GET' && m[2] === '/failures') reply.send(200, { items: this.failures.get(job.job_id) ?? [] });
      else if (method === 'POST' && m[2] === '/cancel') this.cancel(job, reply);
      else if (method === 'GET' && m[2] === '/events') this.stream(job, reply, res);
      else return false;
    } else return false;
    return true;
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
  }

  private create(body: Record<string, unknown>, reply: Reply): void {
    const retryOf = typeof body.retry_failed_of === 'string' ? this.jobs.get(body.retry_failed_of) : undefined;
    if (body.retry_failed_of !== undefined) {
      if (!retryOf) return reply.problem(404, 'NOT_FOUND', 'No such sync job.');
      if (retryOf.failed_items === 0) return reply.problem(409, 'CONFLICT', `Job ${retryOf.job_id} has no failed items to retry.`);
    }
    reply.send(202, { job: this.start(body, retryOf), deduplicated: false });
  }

  /** A new job that starts moving (also the archive job of an upload). */
  start(body: Record<string, unknown>, retryOf?: SyncJob): SyncJob {
    const now = iso(this.now());
    const job: SyncJob = {
      job_id: fakeJobId(++this.seq),
      user_id: 'user-1',
      session_id: 'sess',
      sync_type: body.sync_type as SyncJob['sync_type'],
      status: 'pending',
      progress: 0,
      total_items: null,
      processed_items: 0,
      failed_items: 0,
      resumed_items: 0,
      start_time: null,
      end_time: null,
      error_message: null,
      error_code: null,
      params: {
        from: retryOf?.params.from ?? (body.from as string) ?? null,
        to: retryOf?.params.to ?? (body.to as string) ?? null,
        full: retryOf?.params.full ?? Boolean(body.full),
        ...(retryOf ? { retry_failed_of: retryOf.job_id } : {}),
      },
      cancel_requested: false,
      attempts: 0,
      created_at: now,
      updated_at: now,
      trigger: 'manual',
      probe: null,
    };
    this.jobs.set(job.job_id, job);
    this.run(job, retryOf ? retryOf.failed_items : (this.o.items ?? 5), retryOf ? 0 : (this.o.failItems ?? 0));
    return job;
  }

  private run(job: SyncJob, total: number, failing: number): void {
    const timer = setInterval(() => {
      const j = this.jobs.get(job.job_id)!;
      if (ended(j)) {
        clearInterval(timer);
        this.timers.delete(timer);
        return;
      }
      const t = iso(this.now());
      if (j.status === 'pending') Object.assign(j, { status: 'running', start_time: t, total_items: total, attempts: 1 });
      else if (this.o.failTypes?.includes(j.sync_type) && j.processed_items >= 1)
        Object.assign(j, {
          status: 'failed',
          end_time: t,
          error_message: 'Garmin did not answer properly.',
          error_code: 'GARMIN_UNAVAILABLE',
        });
      else if (j.processed_items < total) {
        j.processed_items++;
        if (j.processed_items <= failing) {
          j.failed_items++;
          const failures = this.failures.get(j.job_id) ?? [];
          failures.push({
            job_id: j.job_id,
            item_key: `activity:${1000 + j.processed_items}`,
            error_code: 'FIT_INVALID',
            error_message: 'The FIT file Garmin sent is damaged.',
            created_at: t,
          });
          this.failures.set(j.job_id, failures);
        }
        j.progress = Math.floor((j.processed_items / total) * 100);
      }
      if (j.status === 'running' && j.processed_items >= total) Object.assign(j, { status: 'completed', end_time: t, progress: 100 });
      j.updated_at = t;
    }, this.o.stepMs ?? 5);
    this.timers.add(timer);
  }

  private cancel(job: SyncJob, reply: Reply): void {
    if (ended(job)) return reply.problem(409, 'INVALID_TRANSITION', `A ${job.status} job cannot become cancelled.`, { from: job.status });
    Object.assign(job, { status: 'cancelled', end_time: iso(this.now()), cancel_requested: true });
    reply.send(200, job);
  }

  private stream(job: SyncJob, reply: Reply, res: ServerResponse): void {
    if (this.o.noSse) return reply.problem(404, 'NOT_FOUND', 'Not found.');
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let last = '';
    const tick = setInterval(
      () => {
        const j = this.jobs.get(job.job_id)!;
        const done = ended(j);
        const snap = JSON.stringify(j);
        if (snap !== last || done) reply.event(res, done ? 'end' : 'progress', { type: done ? 'end' : 'progress', job: j });
        last = snap;
        if (done) {
          clearInterval(tick);
          this.timers.delete(tick);
          res.end();
        }
        // Faster than the job moves, so that no state is skipped on a busy machine.
      },
      Math.max(1, Math.floor((this.o.stepMs ?? 5) / 4)),
    );
    this.timers.add(tick);
    res.on('close', () => {
      clearInterval(tick);
      this.timers.delete(tick);
    });
  }
}
