import { InvalidArgumentError, type Command } from 'commander';
import {
  AppError,
  isAppError,
  DEFAULT_HEALTH_METRICS,
  HEALTH_METRICS,
  SYNC_TYPES,
  parseHealthMetrics,
  type HealthMetric,
  type SyncType,
} from '../../../core/index.js';
import type { CreateJobRequest, SyncJob } from '../../../contract/index.js';
import { DEFAULT_RECONNECT_MS, Reconnector, untilReachable } from '../../api/reconnect.js';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { printJobTable } from '../../output/jobs.js';
import { checkSyncDateFlag, parseDateFlag, usage } from '../errors.js';
import { completeFlag, examples, type DefineContext } from '../types.js';
import { reconnectOption, waitForJobs, waitOptions, type WaitOptions } from './jobs-runner.js';

export interface StartOptions extends Omit<WaitOptions, 'ndjson'> {
  types: SyncType[];
  from?: string;
  to?: string;
  full: boolean;
  wait: boolean;
  /** Health: the families to fetch (undefined: the default set). */
  metrics?: HealthMetric[];
  /** Health: only the missing, failed and partial days of the range. */
  missing?: boolean;
}

interface StartFlags {
  type: string;
  from?: string;
  to?: string;
  full?: boolean;
  wait?: boolean;
  metrics?: string;
  missing?: boolean;
  reconnectFor?: number;
}

const dateArg = (flag: string) => (v: string) => {
  try {
    return parseDateFlag(v, flag);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .option('-t, --type <type>', `what to sync: ${SYNC_TYPES.join(', ')} or all`, 'all')
    .option('--from <date>', 're-sync from this day (YYYY-MM-DD)', dateArg('--from'))
    .option('--to <date>', 're-sync up to this day (YYYY-MM-DD)', dateArg('--to'))
    .option('--full', 'ignore what was synced before and fetch everything again (health: back to the first day the account has data)')
    .option(
      '--metrics <list>',
      `health: the families to fetch, comma-separated, or all (default: ${DEFAULT_HEALTH_METRICS.join(',')}); one of: ${HEALTH_METRICS.join(', ')}`,
    )
    .option(
      '--missing',
      'health: fetch only the days that `garminsync coverage` shows missing, failed or partial in --from/--to (default: the last 30 days)',
    )
    .option('-w, --wait', 'follow the jobs to their end (progress bar on a terminal) and exit with their outcome');
  reconnectOption(cmd).addHelpText(
    'after',
    examples(
      'garminsync sync start --type all --wait',
      'garminsync sync start --type activities --from 2026-01-01 --to 2026-01-31',
      'garminsync sync start --type health --full --wait --json',
      'garminsync sync start --type health --metrics sleep,hrv,weight --from 2026-01-01',
      'garminsync sync start --type health --missing --from 2026-01-01 --to 2026-06-30 --wait',
    ) +
      '\nWith --wait the exit code is the outcome: 0 completed, 5 failed, 6 cancelled, 130 detached (Ctrl-C); a service that\n' +
      'restarts meanwhile is waited for (--reconnect-for, default 60s), exit 7 when it does not come back in time.\n',
  );
  completeFlag(cmd, '--type', [...SYNC_TYPES, 'all']);
  ctx.bind<StartFlags>(cmd, (c: CommandContext, flags) => {
    const type = flags.type;
    if (type !== 'all' && !(SYNC_TYPES as readonly string[]).includes(type)) {
      throw usage(`--type must be one of ${SYNC_TYPES.join(', ')} or all, not "${type}".`);
    }
    checkSyncDateFlag(flags.from, '--from', c.clock.now());
    checkSyncDateFlag(flags.to, '--to', c.clock.now());
    if (flags.from && flags.to && flags.from > flags.to) throw usage('--from must not be after --to.');
    if ((flags.metrics !== undefined || flags.missing) && type !== 'health')
      throw usage(`--${flags.metrics !== undefined ? 'metrics' : 'missing'} needs --type health.`);
    if (flags.missing && flags.full) throw usage('--missing and --full cannot be combined.');
    const metrics = flags.metrics === undefined ? undefined : parseHealthMetrics(flags.metrics);
    return runStart({
      ...waitOptions(c, flags.reconnectFor),
      types: type === 'all' ? [...SYNC_TYPES] : [type as SyncType],
      from: flags.from,
      to: flags.to,
      full: Boolean(flags.full),
      wait: Boolean(flags.wait),
      ...(metrics ? { metrics } : {}),
      ...(flags.missing ? { missing: true } : {}),
    });
  });
}

/**
 * Creates one job per type (an identical running job is reused by the service) and optionally
 * waits. With --wait a service that is away when the jobs are created is waited for too, within
 * --reconnect-for, as it is while following them.
 */
export async function runStart(opts: StartOptions): Promise<number> {
  const jobs: SyncJob[] = [];
  const create = opts.wait ? createWhenReachable(opts) : (req: CreateJobRequest) => opts.api.createJob(req);
  for (const type of opts.types) {
    const req: CreateJobRequest = { sync_type: type };
    if (opts.from) req.from = opts.from;
    if (opts.to) req.to = opts.to;
    if (opts.full) req.full = true;
    if (opts.metrics) req.metrics = opts.metrics;
    if (opts.missing) req.missing = true;
    const { job, deduplicated } = await create(req);
    if (deduplicated) opts.out.info(`A ${type} sync was already ${job.status}; following job ${job.job_id}.`);
    jobs.push(job);
  }
  return reportStarted(opts, jobs);
}

/** `createJob`, re-sent while the service is away (one notice on a terminal); exit 7 after the budget, no job made. */
function createWhenReachable(opts: StartOptions): (req: CreateJobRequest) => ReturnType<StartOptions['api']['createJob']> {
  const budgetMs = opts.reconnectMs ?? DEFAULT_RECONNECT_MS;
  const reconnect = new Reconnector({
    clock: opts.clock,
    random: opts.random,
    server: opts.server,
    budgetMs,
    onLost: ({ server }) => {
      if (opts.io.stderrIsTTY && !opts.out.json)
        opts.out.info(`The sync service at ${server} does not answer; trying again for up to ${Math.round(budgetMs / 1000)} s.`);
    },
  });
  return async (req) => {
    try {
      return await untilReachable(() => opts.api.createJob(req), reconnect, opts.io.interrupt);
    } catch (e) {
      if (!isAppError(e, 'SERVICE_UNREACHABLE') || typeof e.details.waited_ms !== 'number') throw e;
      throw new AppError('SERVICE_UNREACHABLE', `${e.message}; no ${req.sync_type} sync job was started.`, e.details, { cause: e });
    }
  };
}

/** Shared with `sync retry`: wait, or print the new jobs and what to run next. */
export async function reportStarted(opts: Omit<StartOptions, 'types' | 'full' | 'metrics' | 'missing'>, jobs: SyncJob[]): Promise<number> {
  if (opts.wait) return waitForJobs(opts, jobs);
  if (opts.out.json) {
    opts.out.document({ jobs });
  } else {
    printJobTable(opts.out, jobs, opts.clock.now());
    const next = jobs.length === 1 ? `garminsync sync watch ${jobs[0]!.job_id}` : 'garminsync sync status';
    opts.out.info(`Started ${jobs.length} sync job${jobs.length === 1 ? '' : 's'}. Next: ${next}`);
  }
  return EXIT.OK;
}
