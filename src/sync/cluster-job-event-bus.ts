import { isTerminal, silentLogger, type Clock, type Logger, type Random } from '../core/index.js';
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
  /**
   * Job changes are held this long (with `clock`) and sent together in one message (issue 17: a
   * NOTIFY wakes every process's listening connection; one job's end and the next job's start then
   * cost one). Wake-ups for claimable jobs are never held. Default 0: only what piles up while a
   * message is being sent goes together.
   */
  batchMs?: number;
  clock?: Clock;
}

/** Job ids per message: PostgreSQL's payload limit is 8000 bytes (a job id is a 36-character UUID). */
const IDS_PER_MESSAGE = 100;

/** The wire message: tiny on purpose (origin, kind, job ids); listeners re-read the jobs. */
interface Message {
  /** Origin bus: a process ignores its own messages (it dispatched them locally already). */
  o: string;
  /** `j` a job changed; `c` a job became claimable; `m` several jobs changed (and maybe claimable). */
  k: 'j' | 'c' | 'm';
  /** The job (`j`) or jobs (`m`). */
  j?: string | string[];
  /** With `m`: a job became claimable too. */
  c?: 1;
}

/**
 * A JobEventBus for several processes (issue 6). Local listeners are served at once as by the
 * in-process bus; every publish is also announced to the other processes as "job X changed", and
 * a process with watchers of X (an SSE stream, the worker running X) re-reads X and dispatches
 * the fresh row. `notifyClaimable` wakes idle workers everywhere; polling stays as the fallback.
 *
 * Sends go one at a time, in order: what is announced while a message is in flight (or within
 * `batchMs`) goes in the next one, each job once, so a burst of progress costs at most two
 * messages per job and several jobs share a message. Re-reads are coalesced per job (one in
 * flight, at most one more queued), so events for a job stay in order.
 * After a reconnect every watched job is re-read and workers are woken, covering what was missed.
 */
export class ClusterJobEventBus implements JobEventBus {
  private readonly local = new InProcessJobEventBus();
  private readonly origin: string;
  private readonly logger: Logger;
  private readonly watched = new Map<string, number>();
  /** Announcements not sent yet: job ids in order, and whether a wake-up is due. */
  private readonly queued = new Set<string>();
  private claimableQueued = false;
  private sending: Promise<void> | null = null;
  private flushNow: (() => void) | null = null;
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
    this.queued.add(event.job.job_id);
    this.announce();
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
    this.claimableQueued = true;
    this.announce();
  }

  onClaimable(listener: () => void): Unsubscribe {
    return this.local.onClaimable(listener);
  }

  /** Sends what is still queued at once (a final `end` before shutdown), waits for it and detaches. */
  async close(): Promise<void> {
    this.flushNow?.();
    await this.sending;
    for (const u of this.unsubscribe) u();
  }

  /** Starts the sender unless it runs; it sends until nothing is queued (see the class comment). */
  private announce(): void {
    if (this.sending) {
      if (this.claimableQueued) this.flushNow?.();
      return;
    }
    this.sending = (async () => {
      while (this.queued.size > 0 || this.claimableQueued) {
        const batchMs = this.o.batchMs ?? 0;
        if (batchMs > 0 && this.o.clock && !this.claimableQueued) {
          const wait = new AbortController();
          this.flushNow = () => wait.abort();
          await this.o.clock.sleep(batchMs, wait.signal).catch(() => {});
          this.flushNow = null;
        }
        for (const msg of this.takeMessages()) {
          try {
            await this.o.transport.send(JSON.stringify(msg));
          } catch (err) {
            // Watchers elsewhere fall back to polling; nothing is lost in the database.
            this.logger.warn({ err, job_id: msg.j }, 'could not announce a job change to other processes');
          }
        }
      }
      this.sending = null;
    })();
  }

  /** The queued announcements as messages: one job or one wake-up alone as before, else batches. */
  private takeMessages(): Message[] {
    const ids = [...this.queued];
    const claimable = this.claimableQueued;
    this.queued.clear();
    this.claimableQueued = false;
    if (ids.length === 0) return [{ o: this.origin, k: 'c' }];
    if (ids.length === 1 && !claimable) return [{ o: this.origin, k: 'j', j: ids[0]! }];
    const out: Message[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_MESSAGE) out.push({ o: this.origin, k: 'm', j: ids.slice(i, i + IDS_PER_MESSAGE) });
    if (claimable) out[0]!.c = 1;
    return out;
  }

  private receive(payload: string): void {
    let msg: Message;
    try {
      msg = JSON.parse(payload) as Message;
    } catch {
      return;
    }
    if (msg.o === this.origin) return;
    if (msg.k === 'c' || (msg.k === 'm' && msg.c === 1)) this.local.notifyClaimable();
    const ids = typeof msg.j === 'string' ? [msg.j] : Array.isArray(msg.j) ? msg.j : [];
    if (msg.k === 'j' || msg.k === 'm') for (const id of ids) if (typeof id === 'string' && this.watched.has(id)) this.refresh(id);
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
