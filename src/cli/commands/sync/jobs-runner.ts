import { InvalidArgumentError, type Command } from 'commander';
import { AppError, isAbortError, isAppError, parseDuration, type Clock, type Random } from '../../../core/index.js';
import type { SyncJob } from '../../../contract/index.js';
import type { ApiClient } from '../../api/client.js';
import type { CommandContext } from '../../context.js';
import { followJob } from '../../api/follow.js';
import { DEFAULT_RECONNECT_MS, Reconnector } from '../../api/reconnect.js';
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
  /** Jitter of the reconnect back-off. */
  random: Random;
  /** The service's URL (for the reconnect notice and the give-up sentence). */
  server: string;
  out: Output;
  /** NDJSON on stdout: one JobEvent per line (`sync watch --json`). */
  ndjson?: boolean;
  pollMs?: number;
  /** How long a service that went away (a restart) is waited for; default 60 s, 0: not at all. */
  reconnectMs?: number;
}

/** `--reconnect-for`, on every command that follows jobs (`sync start|retry --wait`, `sync watch`, `import archive --wait`). */
export function reconnectOption(cmd: Command): Command {
  return cmd.option(
    '--reconnect-for <duration>',
    'how long to wait for a service that went away while following (a restart), e.g. 60s, 5m; 0s: give up at once',
    (v: string) => {
      const ms = parseDuration(v);
      if (ms === null) throw new InvalidArgumentError(`--reconnect-for takes a duration such as 60s or 5m, not "${v}".`);
      return ms;
    },
  );
}

/** The WaitOptions of a command: its context, and the parsed `--reconnect-for`. */
export function waitOptions(ctx: CommandContext, reconnectFor?: number): Omit<WaitOptions, 'ndjson'> {
  return {
    io: ctx.io,
    api: ctx.api,
    clock: ctx.clock,
    random: ctx.random,
    server: ctx.server,
    out: ctx.out,
    ...(reconnectFor !== undefined ? { reconnectMs: reconnectFor } : {}),
  };
}

/**
 * Follows jobs to their end with a progress view, then prints the result and a one-line summary
 * with the next command. Ctrl-C detaches (the jobs go on) and exits 130. A service that goes
 * away is waited for (one notice on a terminal) and the same jobs are followed when it is back;
 * one that stays away longer than `reconnectMs` ends in exit 7 naming the jobs to watch again.
 */
export async function waitForJobs(opts: WaitOptions, jobs: readonly SyncJob[]): Promise<number> {
  const { out, clock } = opts;
  const started = clock.now();
  const view = await createProgressView(out, jobs, opts.ndjson ? 'none' : undefined);
  const detach = new AbortController();
  const onInterrupt = () => detach.abort(opts.io.interrupt.reason);
  if (opts.io.interrupt.aborted) onInterrupt();
  opts.io.interrupt.addEventListener('abort', onInterrupt, { once: true });
  const budgetMs = opts.reconnectMs ?? DEFAULT_RECONNECT_MS;
  const reconnect = new Reconnector({
    clock,
    random: opts.random,
    server: opts.server,
    budgetMs,
    onLost: ({ server }) =>
      view.note(
        `Lost the sync service at ${server}; reconnecting for up to ${Math.round(budgetMs / 1000)} s (${goesOn(jobs)} on).`,
        'reconnecting…',
      ),
    onBack: () => view.clearMark(),
  });
  let finals: SyncJob[];
  try {
    finals = await Promise.all(
      jobs.map((job) =>
        followJob(job.job_id, {
          api: opts.api,
          clock,
          signal: detach.signal,
          pollMs: opts.pollMs,
          reconnect,
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
    if (isAppError(e, 'SERVICE_UNREACHABLE') && typeof e.details.waited_ms === 'number') throw gaveUp(e, jobs);
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

function goesOn(jobs: readonly SyncJob[]): string {
  return jobs.length > 1 ? `jobs ${jobs.map((j) => j.job_id).join(', ')} go` : `job ${jobs[0]?.job_id ?? ''} goes`;
}

/** The give-up sentence says that the jobs go on and how to follow them again. */
function gaveUp(e: AppError, jobs: readonly SyncJob[]): AppError {
  const ids = jobs.map((j) => j.job_id);
  const watch = ids.map((id) => `garminsync sync watch ${id}`).join(' ; ');
  return new AppError(
    'SERVICE_UNREACHABLE',
    `${e.message}; ${goesOn(jobs)} on when it runs again. Follow again with: ${watch}`,
    e.details,
    {
      cause: e,
    },
  );
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
