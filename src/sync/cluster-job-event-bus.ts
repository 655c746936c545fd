import { isTerminal, silentLogger, type Logger, type Random } from '../core/index.js';
import type { SyncJobRecord } from '../store/index.js';
import { InProcessJobEventBus, type JobEvent, type JobEventBus, type Unsubscribe } from './job-event-bus.js';

/**
 * The cross-process message channel under the bus (PostgreSQL LISTEN/NOTIFY: store's
 * PgNotifications). Delivers every message to every process, ours included.
 */
export interface NotificationTransport {
  send(payload: string): Promise<void>;
  onMessage(fn: (payload: string) => void): Unsubscribe;
  /** After a lost connection came back: messages in between were missed. */
  onReconnect(fn: () => void): Unsubscribe;
}

export interface ClusterJobEventBusOptions {
  transport: NotificationTransport;
  /** Re-reads a job (the message carries only its id). */
  getJob: (jobId: string) => Promise<SyncJobRecord | undefined>;
  random: Random;
  logger?: Logger;
}

/** The wire message: tiny on purpose (origin, kind, job id); listeners re-read the job. */
interface Message {
  /** Origin bus: a process ignores its own messages (it dispatched them locally already). */
  o: string;
  /** `j` a job changed; `c` a job became claimable. */
  k: 'j' | 'c';
  j?: string;
}

/**
 * A JobEventBus for several processes (issue 6). Local listeners are served at once as by the
 * in-process bus; every publish is also announced to the other processes as "job X changed", and
 * a process with watchers of X (an SSE stream, the worker running X) re-reads X and dispatches
 * the fresh row. `notifyClaimable` wakes idle workers everywhere; polling stays as the fallback.
 *
 * Sends and re-reads are coalesced per job (one in flight, at most one more queued), so a burst
 * of progress costs at most two messages and two reads, and events for a job stay in order.
 * After a reconnect every watched job is re-read and workers are woken, covering what was missed.
 */
export class ClusterJobEventBus implements JobEventBus {
  private readonly local = new InProcessJobEventBus();
  private readonly origin: string;
  private readonly logger: Logger;
  private readonly watched = new Map<string, number>();
  private readonly sending = new Map<string, { again: boolean; done: Promise<void> }>();
  private readonly reading = new Map<string, { again: boolean }>();
  private readonly unsubscribe: Unsubscribe[];

  constructor(private readonly o: ClusterJobEventBusOptions) {
    this.origin = o.random.uuid().slice(0, 8);
    this.logger = o.logger ?? silentLogger;
    this.unsubscribe = [
      o.transport.onMessage((p) => this.receive(p)),
      o.transport.onReconnect(() => {
        this.local.notifyClaimable();
        for (const id of this.watched.keys()) this.refresh(id);
      }),
    ];
  }

  publish(event: JobEvent): void {
    this.local.publish(event);
    this.announce(event.job.job_id, { o: this.origin, k: 'j', j: event.job.job_id });
  }

  subscribe(jobId: string, listener: (event: JobEvent) => void): Unsubscribe {
    this.watched.set(jobId, (this.watched.get(jobId) ?? 0) + 1);
    const off = this.local.subscribe(jobId, listener);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      off();
      const n = (this.watched.get(jobId) ?? 1) - 1;
      if (n <= 0) this.watched.delete(jobId);
      else this.watched.set(jobId, n);
    };
  }

  notifyClaimable(): void {
    this.local.notifyClaimable();
    this.announce('', { o: this.origin, k: 'c' });
  }

  onClaimable(listener: () => void): Unsubscribe {
    return this.local.onClaimable(listener);
  }

  /** Waits for messages still being sent (a final `end` before shutdown) and detaches. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.sending.values()].map((s) => s.done));
    for (const u of this.unsubscribe) u();
  }

  private announce(key: string, msg: Message): void {
    const busy = this.sending.get(key);
    if (busy) {
      busy.again = true;
      return;
    }
    const entry = { again: true, done: Promise.resolve() };
    entry.done = (async () => {
      while (entry.again) {
        entry.again = false;
        try {
          await this.o.transport.send(JSON.stringify(msg));
        } catch (err) {
          // Watchers elsewhere fall back to polling; nothing is lost in the database.
          this.logger.warn({ err, job_id: msg.j }, 'could not announce a job change to other processes');
        }
      }
      this.sending.delete(key);
    })();
    this.sending.set(key, entry);
  }

  private receive(payload: string): void {
    let msg: Message;
    try {
      msg = JSON.parse(payload) as Message;
    } catch {
      return;
    }
    if (msg.o === this.origin) return;
    if (msg.k === 'c') this.local.notifyClaimable();
    else if (msg.k === 'j' && typeof msg.j === 'string' && this.watched.has(msg.j)) this.refresh(msg.j);
  }

  /** Re-reads a watched job and dispatches it locally (coalesced per job, in order). */
  private refresh(jobId: string): void {
    const busy = this.reading.get(jobId);
    if (busy) {
      busy.again = true;
      return;
    }
    const entry = { again: true };
    this.reading.set(jobId, entry);
    void (async () => {
      while (entry.again && this.watched.has(jobId)) {
        entry.again = false;
        try {
          const job = await this.o.getJob(jobId);
          if (job) this.local.publish({ type: isTerminal(job.status) ? 'end' : 'progress', job });
        } catch (err) {
          this.logger.warn({ err, job_id: jobId }, 'could not re-read a job announced by another process');
        }
      }
      this.reading.delete(jobId);
    })();
  }
}
