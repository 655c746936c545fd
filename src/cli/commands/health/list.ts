import type { Command } from 'commander';
import type { HealthDayRow } from '../../../contract/index.js';
import { suggestedServer, type CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { durationText } from '../../output/format.js';
import { printPagingHint } from '../../output/paging.js';
import { printTable } from '../../output/table.js';
import { flagParser, parseDateFlag, parseIntFlag, usage } from '../errors.js';
import { examples, type DefineContext } from '../types.js';

interface ListFlags {
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
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
    )
    .option(
      '-L, --limit <n>',
      'how many days (1-3660)',
      flagParser((v) => parseIntFlag(v, '--limit', 1, 3660)),
      DEFAULT_LIMIT,
    )
    .option('--cursor <cursor>', 'the next page, as printed by the previous page')
    .addHelpText(
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
  const page = await ctx.api.listHealthDays({ from: flags.from, to: flags.to, limit: flags.limit, cursor: flags.cursor }, ctx.io.interrupt);
  if (ctx.out.json) {
    ctx.out.document(page);
    return EXIT.OK;
  }
  if (page.items.length === 0) {
    if (flags.cursor) ctx.out.info('No more health days.');
    else if (flags.from || flags.to)
      ctx.out.info(
        `No health data synced for ${flags.from ?? '…'} to ${flags.to ?? '…'}. Next: garminsync sync start --type health${flags.from ? ` --from ${flags.from}` : ''}${flags.to ? ` --to ${flags.to}` : ''} --wait`,
      );
    else ctx.out.info('No health data synced yet. Next: garminsync sync start --type health --wait');
    return EXIT.OK;
  }
  printTable(
    ctx.out,
    ['DATE', 'STEPS', 'RESTING HR', 'SLEEP (H:MM)', 'HRV (MS)', 'STRESS', 'BODY BATTERY', 'WEIGHT (KG)'].map((header) => ({ header })),
    page.items.map(row),
    ctx.clock.now(),
  );
  printPagingHint(
    ctx.out,
    'health list',
    [
      ['--from', flags.from],
      ['--to', flags.to],
      ['--limit', flags.limit === DEFAULT_LIMIT ? undefined : flags.limit],
    ],
    page.next_cursor,
    suggestedServer(ctx),
  );
  return EXIT.OK;
}
