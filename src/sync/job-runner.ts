import { ERROR_CODES, isAbortError, isAppError, type Clock, type JobFailureReason, type Logger } from '../core/index.js';
import { storageFailure, type BlobStore, type SyncJobRecord, type SyncStore } from '../store/index.js';
import type { GarminGateway } from './garmin.port.js';
import { JobEngine, LeaseLostError } from './job-engine.js';
import type { JobEventBus } from './job-event-bus.js';
import type { AccountLimiterRegistry } from './rate-limiter.js';
import type { SyncerContext, SyncerRegistry, SyncerSettings } from './syncer.js';
import { CancelRequestedError, UpstreamCalls } from './upstream.js';

export interface JobRunnerDeps {
  store: SyncStore;
  blobs: BlobStore;
  gateway: GarminGateway;
  limiters: AccountLimiterRegistry;
  bus: JobEventBus;
  syncers: SyncerRegistry;
  clock: Clock;
  logger: Logger;
  leaseMs: number;
  heartbeatMs: number;
  itemConcurrency: number;
  defaultRateLimitPauseMs: number;
  settings: SyncerSettings;
}

/** Why a runner stopped without finishing: the pool is stopping (release or keep the lease). */
export class WorkerStopping extends Error {
  constructor(readonly releaseLease: boolean) {
    super('The worker is stopping.');
    this.name = 'WorkerStopping';
  }
}

/**
 * Runs one claimed job to its end: heartbeats the lease, follows cancel requests, opens the
 * job's syncer and has the engine work its run, then completes (with the syncer's completion
 * step, e.g. the watermark, in the same transaction), cancels or fails the job — always through
 * the repository's guarded transitions.
 * When the lease is lost or the pool stops, it leaves the job running for another worker.
 */
export async function runJob(deps: JobRunnerDeps, claimed: SyncJobRecord, owner: string, stopSignal: AbortSignal): Promise<void> {
  const { store, bus, clock } = deps;
  const log = deps.logger.child({ job_id: claimed.job_id, user_id: claimed.user_id, sync_type: claimed.sync_type });
  const work = new AbortController();
  const onStop = () => work.abort(stopSignal.reason);
  if (stopSignal.aborted) onStop();
  else stopSignal.addEventListener('abort', onStop, { once: true });
  const cancel = new AbortController();
  if (claimed.cancel_requested) cancel.abort();
  const unsubscribe = bus.subscribe(claimed.job_id, (e) => {
    if (e.job.cancel_requested) cancel.abort();
  });
  bus.publish({ type: 'progress', job: claimed });

  const heartbeat = (async () => {
    while (!work.signal.aborted) {
      await clock.sleep(deps.heartbeatMs, work.signal).catch(() => {});
      if (work.signal.aborted) return;
      try {
        if (!(await store.jobs.renewLease(claimed.job_id, owner, clock.now(), deps.leaseMs))) {
          log.warn({}, 'lease lost; another worker owns the job now');
          work.abort(new LeaseLostError(claimed.job_id));
          return;
        }
        // Cancel requests made by another process reach us here.
        if ((await store.jobs.get(claimed.job_id))?.cancel_requested) cancel.abort();
      } catch (err) {
        log.warn({ err }, 'heartbeat failed');
      }
    }
  })();

  try {
    const upstream = new UpstreamCalls({
      userId: claimed.user_id,
      jobId: claimed.job_id,
      gateway: deps.gateway,
      limiter: deps.limiters.forAccount(claimed.user_id),
      clock,
      logger: log,
      signal: work.signal,
      cancelSignal: cancel.signal,
      defaultRateLimitPauseMs: deps.defaultRateLimitPauseMs,
    });
    const ctx: SyncerContext = {
      job: claimed,
      signal: work.signal,
      logger: log,
      settings: deps.settings,
      now: () => clock.now(),
      stored: store,
      putBlob: (bytes) => deps.blobs.put(bytes),
      hasBlob: (sha256) => deps.blobs.has(sha256),
      garmin: (call) => upstream.call(call),
      recordProbe: async (probe) => {
        if (!(await store.jobs.setProbe(claimed.job_id, owner, probe, clock.now()))) throw new LeaseLostError(claimed.job_id);
      },
    };
    const engine = new JobEngine({
      job: claimed,
      owner,
      store,
      bus,
      clock,
      logger: log,
      signal: work.signal,
      cancelSignal: cancel.signal,
      itemConcurrency: deps.itemConcurrency,
    });
    let complete: ((tx: SyncStore) => Promise<void>) | undefined;
    try {
      const run = await deps.syncers.get(claimed.sync_type).open(ctx);
      await engine.run(run);
      complete = run.complete?.bind(run);
    } catch (e) {
      // Cancelled while waiting (e.g. out a 429 pause): not a failure.
      if (!(e instanceof CancelRequestedError)) throw e;
    }
    if (work.signal.aborted) throw work.signal.reason;
    // Completion checks the lease and the cancel flag in its own guarded statement (issue 17: no
    // read before it); only when it cannot complete is the job read to see why.
    let final = cancel.signal.aborted
      ? undefined
      : await completeHeld(store, claimed.job_id, owner, clock, complete, engine.pendingTotalDelta);
    if (!final) {
      await engine.writeFinalTotal();
      const fresh = (await store.jobs.get(claimed.job_id)) ?? claimed;
      if (fresh.lease_owner !== owner || fresh.status !== 'running') throw new LeaseLostError(claimed.job_id);
      if (cancel.signal.aborted || fresh.cancel_requested) {
        final = await store.jobs.transition(fresh, 'cancelled', clock.now());
      } else {
        final = await store.transaction(async (tx) => {
          if (complete) await complete(tx);
          return tx.jobs.transition(fresh, 'completed', clock.now());
        });
      }
    }
    log.info({ status: final.status, processed_items: final.processed_items, failed_items: final.failed_items }, 'sync job finished');
    bus.publish({ type: 'end', job: final });
  } catch (e) {
    await settle(deps, claimed, owner, e, work.signal, log);
  } finally {
    work.abort(new WorkerStopping(false));
    stopSignal.removeEventListener('abort', onStop);
    unsubscribe();
    await heartbeat;
  }
}

/** Thrown inside the completion transaction to roll the syncer's completion step back. */
class NotCompletable extends Error {}

/**
 * Completes the job in one guarded statement, with the engine's last total — and with the
 * syncer's completion step (e.g. the watermark) in the same transaction when it has one — or returns undefined, nothing written, when
 * the lease was lost or a cancel was requested meanwhile.
 */
async function completeHeld(
  store: SyncStore,
  jobId: string,
  owner: string,
  clock: Clock,
  complete: ((tx: SyncStore) => Promise<void>) | undefined,
  totalDelta: number | undefined,
): Promise<SyncJobRecord | undefined> {
  if (!complete) return store.jobs.completeHeld(jobId, owner, clock.now(), totalDelta);
  try {
    return await store.transaction(async (tx) => {
      await complete(tx);
      const done = await tx.jobs.completeHeld(jobId, owner, clock.now(), totalDelta);
      if (!done) throw new NotCompletable();
      return done;
    });
  } catch (e) {
    if (e instanceof NotCompletable) return undefined;
    throw e;
  }
}

/** Decides what an error means for the job: leave it (stop / lease lost) or fail it. */
async function settle(deps: JobRunnerDeps, job: SyncJobRecord, owner: string, e: unknown, signal: AbortSignal, log: Logger): Promise<void> {
  const stop: unknown = signal.aborted ? signal.reason : undefined;
  if (e instanceof LeaseLostError || stop instanceof LeaseLostError) return;
  if (stop instanceof WorkerStopping || (signal.aborted && isAbortError(e))) {
    if (!(stop instanceof WorkerStopping) || stop.releaseLease) {
      await deps.store.jobs.releaseLease(job.job_id, owner, deps.clock.now()).catch(() => {});
      deps.bus.notifyClaimable();
    }
    log.info({}, 'worker stopping; job left running for the next worker');
    return;
  }
  const reason = failureReason(e);
  log.error({ err: e, code: isAppError(e) ? e.code : undefined }, 'sync job failed');
  try {
    const fresh = await deps.store.jobs.get(job.job_id);
    if (!fresh || fresh.status !== 'running' || fresh.lease_owner !== owner) return;
    const failed = await deps.store.jobs.transition(fresh, 'failed', deps.clock.now(), reason);
    deps.bus.publish({ type: 'end', job: failed });
  } catch (err) {
    if (!isAppError(err, 'INVALID_TRANSITION')) log.error({ err }, 'could not mark the job failed');
  }
}

/**
 * What a failed job records: the error's catalogue code and sentence. A login-required failure
 * always reads the catalogue's one "login required" sentence, whatever layer raised it; an
 * unexpected error is INTERNAL and keeps its details in the log only. A write the disk or the
 * database refused (ENOSPC, SQLITE_FULL, a read-only data dir) is DISK_FULL / STORAGE_UNWRITABLE.
 */
export function failureReason(e: unknown): JobFailureReason {
  if (isAppError(e, 'GARMIN_REAUTH_REQUIRED')) return { code: e.code, message: ERROR_CODES.GARMIN_REAUTH_REQUIRED };
  if (isAppError(e)) return { code: e.code, message: e.message };
  const storage = storageFailure(e);
  if (storage) return { code: storage.code, message: storage.message };
  return { code: 'INTERNAL', message: 'Internal error while syncing; see the service log.' };
}
