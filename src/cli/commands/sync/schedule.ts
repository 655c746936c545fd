import { InvalidArgumentError, type Command } from 'commander';
import { SYNC_TYPES, formatDuration, parseDuration } from '../../../core/index.js';
import type { Schedule, ScheduleList } from '../../../contract/index.js';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { printTable } from '../../output/table.js';
import { usage } from '../errors.js';
import { examples, type DefineContext } from '../types.js';

type ScheduleType = (typeof SYNC_TYPES)[number] | 'all';

const typeArg = (v: string): ScheduleType => {
  if (v !== 'all' && !(SYNC_TYPES as readonly string[]).includes(v))
    throw new InvalidArgumentError(`--type must be one of ${SYNC_TYPES.join(', ')} or all, not "${v}".`);
  return v as ScheduleType;
};

/** `sync schedule set|show|clear`: the service's own schedules (no cron needed; issue 15). */
export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .description('Keep data current without a command: the service syncs on a schedule (set, show, clear)')
    .addHelpText(
      'after',
      examples('garminsync sync schedule set --type all --every 6h', 'garminsync sync schedule show', 'garminsync sync schedule clear') +
        '\nScheduled runs are ordinary jobs (trigger "schedule" in `sync list`). They pause while Garmin needs a new `auth login`.\n',
    );
  const set = cmd
    .command('set')
    .description('Sync a type (or all) every DURATION, e.g. 6h')
    .option('-t, --type <type>', `what to sync: ${SYNC_TYPES.join(', ')} or all`, typeArg, 'all')
    .requiredOption('--every <duration>', 'interval: a whole number and s, m, h or d (15m, 6h, 1d); at least the service minimum')
    .addHelpText(
      'after',
      examples('garminsync sync schedule set --type all --every 6h', 'garminsync sync schedule set -t health --every 1d'),
    );
  ctx.bind<{ type: ScheduleType; every: string }>(set, (c, flags) => {
    const ms = parseDuration(flags.every);
    if (ms === null || ms < 1000) throw usage(`--every must be a duration such as 15m, 6h or 1d, not "${flags.every}".`);
    return runSet(c, flags.type, ms);
  });
  const show = cmd.command('show').description('Show your schedules and when each runs next');
  ctx.bind(show, (c) => runShow(c));
  const clear = cmd
    .command('clear')
    .description('Remove your schedules (of one type, or all)')
    .option('-t, --type <type>', `which: ${SYNC_TYPES.join(', ')} or all`, typeArg, 'all');
  ctx.bind<{ type: ScheduleType }>(clear, (c, flags) => runClear(c, flags.type));
}

export async function runSet(ctx: CommandContext, type: ScheduleType, everyMs: number): Promise<number> {
  const list = await ctx.api.setSchedule({ sync_type: type, every_seconds: Math.round(everyMs / 1000) });
  if (ctx.out.json) {
    ctx.out.document(list);
    return EXIT.OK;
  }
  printSchedules(ctx, list);
  ctx.out.success(`${type === 'all' ? 'Everything' : type} syncs every ${formatDuration(everyMs)}. Next: garminsync sync schedule show`);
  warnPaused(ctx, list.items);
  return EXIT.OK;
}

export async function runShow(ctx: CommandContext): Promise<number> {
  const list = await ctx.api.schedules();
  if (ctx.out.json) {
    ctx.out.document(list);
    return EXIT.OK;
  }
  if (list.items.length === 0) {
    ctx.out.info('No schedules. Next: garminsync sync schedule set --type all --every 6h');
    return EXIT.OK;
  }
  printSchedules(ctx, list);
  warnPaused(ctx, list.items);
  return EXIT.OK;
}

export async function runClear(ctx: CommandContext, type: ScheduleType): Promise<number> {
  const list = await ctx.api.clearSchedules(type);
  if (ctx.out.json) ctx.out.document(list);
  else
    ctx.out.success(
      list.items.length === 0
        ? 'No schedules left; nothing syncs unless you start it.'
        : `Cleared ${type}; ${list.items.map((s) => s.sync_type).join(', ')} still scheduled.`,
    );
  return EXIT.OK;
}

function printSchedules(ctx: CommandContext, list: ScheduleList): void {
  printTable(
    ctx.out,
    [
      { header: 'TYPE' },
      { header: 'EVERY' },
      { header: 'NEXT RUN', kind: 'time' },
      { header: 'LAST JOB', kind: 'id' },
      { header: 'STATE' },
    ],
    list.items.map((s) => [
      s.sync_type,
      formatDuration(s.every_seconds * 1000),
      s.next_run_at,
      s.last_job_id,
      s.paused ? 'paused: Garmin login required' : 'active',
    ]),
    ctx.clock.now(),
  );
}

function warnPaused(ctx: CommandContext, items: readonly Schedule[]): void {
  if (items.some((s) => s.paused)) ctx.out.warn('Schedules are paused until you log in to Garmin again: garminsync auth login');
}
