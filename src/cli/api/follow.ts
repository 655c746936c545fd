import { isAbortError, isAppError, isTerminal, type Clock } from '../../core/index.js';
import type { JobEvent, SyncJob } from '../../contract/index.js';
import type { ApiClient } from './client.js';
import { parseSse } from './sse.js';

export interface FollowOptions {
  api: ApiClient;
  clock: Clock;
  /** Aborting detaches from the job; the job itself goes on. */
  signal: AbortSignal;
  /** Polling interval of the fallback. */
  pollMs?: number;
  onUpdate: (job: SyncJob, event: JobEvent['type']) => void;
}

/**
 * Follows a job until it reaches a terminal state and returns that final state. Uses the SSE
 * stream (`event: progress` … `event: end`); when the stream is unavailable or breaks, falls
 * back to polling `GET /sync/jobs/{id}` — a job is never lost because a proxy dropped SSE.
 */
export async function followJob(jobId: string, opts: FollowOptions): Promise<SyncJob> {
  try {
    const final = await followSse(jobId, opts);
    if (final) return final;
  } catch (e) {
    if (opts.signal.aborted || isAbortError(e)) throw e;
    // A dead session is an answer, not transport trouble. (A 404 falls through: polling tells
    // an unknown job from a service without SSE.)
    if (isAppError(e) && e.code === 'LOGIN_REQUIRED') throw e;
  }
  return poll(jobId, opts);
}

async function followSse(jobId: string, opts: FollowOptions): Promise<SyncJob | undefined> {
  const res = await opts.api.jobEvents(jobId, opts.signal);
  if (!res.body || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    await res.body?.cancel().catch(() => {});
    return undefined;
  }
  for await (const ev of parseSse(res.body as unknown as AsyncIterable<Uint8Array>)) {
    if (ev.event !== 'progress' && ev.event !== 'end') continue;
    let payload: JobEvent;
    try {
      payload = JSON.parse(ev.data) as JobEvent;
    } catch {
      continue;
    }
    const job = payload.job;
    if (!job || typeof job.status !== 'string') continue;
    opts.onUpdate(job, ev.event);
    if (ev.event === 'end' || isTerminal(job.status)) return job;
  }
  return undefined; // the stream ended early: poll for the rest
}

async function poll(jobId: string, opts: FollowOptions): Promise<SyncJob> {
  for (;;) {
    const job = await opts.api.getJob(jobId, opts.signal);
    const done = isTerminal(job.status);
    opts.onUpdate(job, done ? 'end' : 'progress');
    if (done) return job;
    await opts.clock.sleep(opts.pollMs ?? 1000, opts.signal);
  }
}
