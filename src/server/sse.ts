import { once } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../core/index.js';
import type { SyncApi } from './ports.js';
import { jobView } from './views.js';

export interface JobStreamOptions {
  request: FastifyRequest;
  reply: FastifyReply;
  sync: SyncApi;
  userId: string;
  jobId: string;
  clock: Clock;
  heartbeatMs: number;
  /** At most one progress event per this many ms, the latest state (coalesced in watch()). */
  minIntervalMs: number;
  /** Open streams; the app aborts them all when it closes (SSE would otherwise hold the close). */
  streams: Set<AbortController>;
}

/**
 * Streams a job as Server-Sent Events (`event: progress` … `event: end`) from the sync room's
 * watch() until the job is terminal or the client goes away. The first event is read before the
 * stream starts, so an unknown or foreign job is still a plain 404 problem+json. A comment line
 * every `heartbeatMs` keeps proxies from closing an idle stream. Progress is coalesced to one
 * event per `minIntervalMs` by watch(), which holds the watcher's state (see there).
 */
export async function streamJobEvents(o: JobStreamOptions): Promise<void> {
  const stop = new AbortController();
  o.streams.add(stop);
  const events = o.sync.watch(o.userId, o.jobId, stop.signal, { minIntervalMs: o.minIntervalMs });
  let first: Awaited<ReturnType<typeof events.next>>;
  try {
    first = await events.next(); // throws NOT_FOUND → error handler, nothing sent yet
  } catch (e) {
    o.streams.delete(stop);
    throw e;
  }
  const { reply } = o;
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.on('close', () => stop.abort());
  let seq = 0;
  // A client that reads slower than events come is waited for (drain) instead of buffered for:
  // meanwhile watch() keeps only the newest state, so it gets the latest, not a backlog.
  const write = async (type: 'progress' | 'end', job: Parameters<typeof jobView>[0]) => {
    if (raw.writableEnded) return;
    if (!raw.write(`id: ${++seq}\nevent: ${type}\ndata: ${JSON.stringify({ type, job: jobView(job) })}\n\n`))
      await once(raw, 'drain', { signal: stop.signal });
  };

  void (async () => {
    while (!stop.signal.aborted) {
      try {
        await o.clock.sleep(o.heartbeatMs, stop.signal);
      } catch {
        return;
      }
      if (!raw.writableEnded) raw.write(': keep-alive\n\n');
    }
  })();

  try {
    if (!first.done) await write(first.value.type, first.value.job);
    if (!first.done && first.value.type !== 'end') {
      for await (const e of events) {
        await write(e.type, e.job);
        if (e.type === 'end') break;
      }
    }
  } catch (err) {
    if (!stop.signal.aborted) o.request.log.warn({ err }, 'SSE stream ended by an error');
  } finally {
    o.streams.delete(stop);
    stop.abort();
    await events.return(undefined).catch(() => {});
    if (!raw.writableEnded) raw.end();
  }
}
