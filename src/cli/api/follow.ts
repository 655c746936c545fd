import { isAbortError, isAppError, isTerminal, type Clock } from '../../core/index.js';
import type { JobEvent, SyncJob } from '../../contract/index.js';
import type { ApiClient } from './client.js';
import { isOutage, type Reconnector } from './reconnect.js';
import { parseSse } from './sse.js';

export interface FollowOptions {
  api: ApiClient;
  clock: Clock;
  /** Aborting detaches from the job; the job itself goes on. */
  signal: AbortSignal;
  /** Polling interval of the fallback. */
  pollMs?: number;
  /** Rides out a service restart; without one, the first unreachable answer is thrown. */
  reconnect?: Reconnector;
  onUpdate: (job: SyncJob, event: JobEvent['type']) => void;
}

/** What one SSE attempt ended with. */
type SseOutcome = { final: SyncJob } | { final?: undefined; events: number; supported: boolean };

/**
 * Follows a job until it reaches a terminal state and returns that final state. Uses the SSE
 * stream (`event: progress` … `event: end`); when the stream breaks, one `GET /sync/jobs/{id}`
 * tells where the job is and the stream is opened again; a service without SSE (or a proxy that
 * ends every stream at once) is polled instead. When the service is away (a restart), the
 * Reconnector waits with back-off for a bounded time and following goes on with the same job.
 */
export async function followJob(jobId: string, opts: FollowOptions): Promise<SyncJob> {
  let useSse = true;
  for (;;) {
    let phase: 'sse' | 'poll' = 'sse';
    try {
      if (useSse) {
        const r = await followSse(jobId, opts);
        if (r.final) return r.final;
        // Unsupported, or a stream that ended before saying anything: poll from now on.
        if (!r.supported || r.events === 0) useSse = false;
      }
      phase = 'poll';
      const job = await opts.api.getJob(jobId, opts.signal);
      opts.reconnect?.back();
      const done = isTerminal(job.status);
      opts.onUpdate(job, done ? 'end' : 'progress');
      if (done) return job;
      if (!useSse) await opts.clock.sleep(opts.pollMs ?? 1000, opts.signal);
    } catch (e) {
      if (opts.signal.aborted || isAbortError(e)) throw e;
      if (isOutage(e) && opts.reconnect) {
        await opts.reconnect.wait(e, opts.signal);
        continue;
      }
      // A dead session is an answer, not transport trouble; any other trouble with the stream
      // (a 404 from a service without SSE, say) is left to polling, which tells an unknown job.
      if (phase === 'sse' && !isOutage(e) && !isAppError(e, 'LOGIN_REQUIRED')) {
        useSse = false;
        continue;
      }
      throw e;
    }
  }
}

async function followSse(jobId: string, opts: FollowOptions): Promise<SseOutcome> {
  const res = await opts.api.jobEvents(jobId, opts.signal);
  opts.reconnect?.back();
  if (!res.body || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    await res.body?.cancel().catch(() => {});
    return { events: 0, supported: false };
  }
  let events = 0;
  try {
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
      events++;
      opts.onUpdate(job, ev.event);
      if (ev.event === 'end' || isTerminal(job.status)) return { final: job };
    }
  } catch (e) {
    // The connection broke mid-stream (the service stopped): the caller asks where the job is.
    if (opts.signal.aborted || isAbortError(e)) throw e;
  }
  return { events, supported: true }; // the stream ended early: the caller asks where the job is
}
