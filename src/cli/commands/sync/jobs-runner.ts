import { isAbortError, type Clock } from '../../../core/index.js';
import type { SyncJob } from '../../../contract/index.js';
import type { ApiClient } from '../../api/client.js';
import { followJob } from '../../api/follow.js';
import { EXIT } from '../../exit-codes.js';
import type { IO } from '../../io.js';
import { itemsNote, itemsSummary, outcomeExitCode, printJobTable } from '../../output/jobs.js';
import { durationText } from '../../output/format.js';
import type { Output } from '../../output/output.js';
import { relativeTime } from '../../output/time.js';
import { createProgressView } from '../../output/progress.js';

export interface WaitOptions {
  io: IO;
  api: ApiClient;
  clock: Clock;
  out: Output;
  /** NDJSON on stdout: one JobEvent per line (`sync watch --json`). */
  ndjson?: boolean;
  pollMs?: number;
}

/**
 * Follows jobs to their end with a progress view, then prints the result and a one-line summary
 * with the next command. Ctrl-C detaches (the jobs go on) and exits 130.
 */
export async function waitForJobs(opts: WaitOptions, jobs: readonly SyncJob[]): Promise<number> {
  const { out, clock } = opts;
  const started = clock.now();
  const view = createProgressView(out, jobs, opts.ndjson ? 'none' : undefined);
  const detach = new AbortController();
  const onInterrupt = () => detach.abort(opts.io.interrupt.reason);
  if (opts.io.interrupt.aborted) onInterrupt();
  opts.io.interrupt.addEventListener('abort', onInterrupt, { once: true });
  let finals: SyncJob[];
  try {
    finals = await Promise.all(
      jobs.map((job) =>
        followJob(job.job_id, {
          api: opts.api,
          clock,
          signal: detach.signal,
          pollMs: opts.pollMs,
          onUpdate: (j, type) => {
            view.update(j);
            if (opts.ndjson) opts.io.stdout.write(`${JSON.stringify({ type, job: j })}\n`);
          },
        }),
      ),
    );
  } catch (e) {
    view.stop();
    if (detach.signal.aborted && (isAbortError(e) || e === detach.signal.reason)) {
      const ids = jobs.map((j) => j.job_id);
      opts.io.stderr.write(
        `\nDetached; the job${ids.length > 1 ? 's go' : ' goes'} on. Follow again with: ${ids.map((id) => `garminsync sync watch ${id}`).join(' ; ')}\n`,
      );
      return EXIT.INTERRUPTED;
    }
    detach.abort();
    throw e;
  } finally {
    opts.io.interrupt.removeEventListener('abort', onInterrupt);
  }
  view.stop();
  const code = outcomeExitCode(finals);
  if (out.json && !opts.ndjson) out.document({ jobs: finals });
  if (!out.json) {
    printJobTable(out, finals, clock.now());
    out.info(summaryLine(finals, jobsDuration(finals) ?? clock.now() - started, code, endedBefore(finals, started, clock.now())));
  }
  return code;
}

/**
 * The final one-liner: what these jobs did (written, resumed from an earlier attempt, failed)
 * and what to run next. `endedAgo` ("3 days ago") is given when the jobs had ended before
 * they were watched, so that an old job is not mistaken for one that just ran.
 */
export function summaryLine(jobs: readonly SyncJob[], elapsedMs: number, code: number, endedAgo?: string): string {
  const took = elapsedMs < 60_000 ? `${Math.max(1, Math.round(elapsedMs / 1000))} s` : durationText(elapsedMs / 1000);
  const when = endedAgo ? `, ended ${endedAgo}` : '';
  if (code === EXIT.JOB_FAILED) {
    const failed = jobs.filter((j) => j.status === 'failed');
    const reasons = failed.map((j) => `${j.sync_type}: ${(j.error_message ?? 'unknown error').replace(/\.$/, '')}`).join('; ');
    const retry = `garminsync sync retry ${failed[0]?.job_id ?? ''}`;
    // When Garmin wants a new login, retrying alone cannot work: say the login first.
    const needsLogin = failed.some((j) => j.error_code === 'GARMIN_REAUTH_REQUIRED');
    return `Sync failed${when}: ${reasons}. Next: ${needsLogin ? `garminsync auth login, then ${retry}` : retry}`;
  }
  if (code === EXIT.JOB_CANCELLED)
    return `Sync cancelled${when} after ${itemsSummary(jobs)}${itemsNote(jobs)}. Next: garminsync sync start --type ${jobs.length > 1 ? 'all' : (jobs[0]?.sync_type ?? 'all')}`;
  const withFailures = jobs.find((j) => j.failed_items > 0);
  const next = withFailures
    ? `garminsync sync status ${withFailures.job_id} (which failed), garminsync sync retry --failed ${withFailures.job_id}`
    : nextAfterSync(jobs);
  return `Synced ${itemsSummary(jobs)}${itemsNote(jobs)} in ${took}${when}. Next: ${next}`;
}

/** "3 days ago" when every job had ended more than a few seconds before the watch began. */
export function endedBefore(jobs: readonly SyncJob[], watchStartMs: number, nowMs: number): string | undefined {
  const ends = jobs.map((j) => (j.end_time ? Date.parse(j.end_time) : Number.NaN));
  if (jobs.length === 0 || ends.some((t) => Number.isNaN(t) || t > watchStartMs - 5000)) return undefined;
  return relativeTime(new Date(Math.max(...ends)).toISOString(), nowMs);
}

/**
 * How long the jobs themselves took (first start to last end), so that watching a job that
 * ended long ago does not report the watch's own second; undefined when a job lacks the times.
 */
export function jobsDuration(jobs: readonly SyncJob[]): number | undefined {
  const starts = jobs.map((j) => (j.start_time ? Date.parse(j.start_time) : Number.NaN));
  const ends = jobs.map((j) => (j.end_time ? Date.parse(j.end_time) : Number.NaN));
  if (jobs.length === 0 || [...starts, ...ends].some(Number.isNaN)) return undefined;
  return Math.max(0, Math.max(...ends) - Math.min(...starts));
}

/** Where to look at what was synced: the list of that type (a health-only sync is not activities). */
export function nextAfterSync(jobs: readonly SyncJob[]): string {
  const types = new Set(jobs.map((j) => j.sync_type));
  if (types.size === 1 && types.has('workouts')) return 'garminsync workouts list';
  if (types.size === 1 && types.has('health')) return 'garminsync sync status';
  return 'garminsync activities list';
}
