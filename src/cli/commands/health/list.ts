import type { Command } from 'commander';
import type { HealthDayRow } from '../../../contract/index.js';
import type { CommandContext } from '../../context.js';
import { durationText } from '../../output/format.js';
import { flagParser, parseDateFlag, usage } from '../errors.js';
import { pagingOptions, runPagedList, type PagingFlags } from '../paged-list.js';
import { examples, type DefineContext } from '../types.js';

interface ListFlags extends PagingFlags {
  from?: string;
  to?: string;
}

const DEFAULT_LIMIT = 31;

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .option(
      '--from <date>',
      'first day (YYYY-MM-DD)',
      flagParser((v) => parseDateFlag(v, '--from')),
    )
    .option(
      '--to <date>',
      'last day (YYYY-MM-DD)',
      flagParser((v) => parseDateFlag(v, '--to')),
    );
  pagingOptions(cmd, { limitHelp: 'how many days', max: 3660, defaultLimit: DEFAULT_LIMIT, all: false }).addHelpText(
    'after',
    examples(
      'garminsync health list',
      'garminsync health list --from 2026-11-01 --to 2026-11-30',
      'garminsync health list --json | jq -r ".items[] | [.calendar_date, .steps] | @tsv"',
    ),
  );
  ctx.bind<ListFlags>(cmd, (c, flags) => runList(c, flags));
}

const num = (v: number | null, unit = '') => (v === null ? '-' : `${Math.round(v)}${unit}`);

function row(d: HealthDayRow): string[] {
  return [
    d.calendar_date,
    num(d.steps),
    num(d.resting_heart_rate),
    d.sleep_seconds === null ? '-' : durationText(d.sleep_seconds).replace(/:\d\d$/, ''),
    num(d.hrv_last_night_ms),
    num(d.stress_average),
    d.body_battery_high === null && d.body_battery_low === null ? '-' : `${num(d.body_battery_low)}-${num(d.body_battery_high)}`,
    d.weight_kg === null ? '-' : d.weight_kg.toFixed(1),
  ];
}

/** One row per synced day, newest first: a table (paging keeps --from/--to/--limit), or --json. */
export async function runList(ctx: CommandContext, flags: ListFlags): Promise<number> {
  if (flags.from && flags.to && flags.from > flags.to) throw usage('--from must not be after --to.');
  return await runPagedList(ctx, flags, {
    words: 'health list',
    plural: 'health days',
    defaultLimit: DEFAULT_LIMIT,
    filters: [
      ['--from', flags.from],
      ['--to', flags.to],
    ],
    fetchPage: (cursor) => ctx.api.listHealthDays({ from: flags.from, to: flags.to, limit: flags.limit, cursor }, ctx.io.interrupt),
    emptyMessage: () =>
      flags.from || flags.to
        ? `No health data synced for ${flags.from ?? '…'} to ${flags.to ?? '…'}. Next: garminsync sync start --type health${flags.from ? ` --from ${flags.from}` : ''}${flags.to ? ` --to ${flags.to}` : ''} --wait`
        : 'No health data synced yet. Next: garminsync sync start --type health --wait',
    columns: ['DATE', 'STEPS', 'RESTING HR', 'SLEEP (H:MM)', 'HRV (MS)', 'STRESS', 'BODY BATTERY', 'WEIGHT (KG)'].map((header) => ({
      header,
    })),
    row,
  });
}
