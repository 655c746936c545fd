import type { Command } from 'commander';
import { HEALTH_METRICS, isHealthMetric } from '../../../core/index.js';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { printTable } from '../../output/table.js';
import { flagParser, parseDateFlag, usage } from '../errors.js';
import { completeFlag, examples, type DefineContext } from '../types.js';

interface ShowFlags {
  metric?: string;
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<date>', 'the day (YYYY-MM-DD)')
    .option(
      '--metric <name>',
      `only this family, with its data: ${HEALTH_METRICS.join(', ')}`,
      flagParser((v) => {
        if (!isHealthMetric(v)) throw usage(`--metric must be one of ${HEALTH_METRICS.join(', ')}, not "${v.slice(0, 40)}".`);
        return v;
      }),
    )
    .addHelpText(
      'after',
      examples(
        'garminsync health show 2026-11-27',
        'garminsync health show 2026-11-27 --metric sleep',
        'garminsync health show 2026-11-27 --json | jq ".metrics.hrv.data"',
      ),
    );
  completeFlag(cmd, '--metric', HEALTH_METRICS);
  ctx.bind<ShowFlags>(cmd, (c, flags, args) => runShow(c, parseDateFlag(args[0]!, 'The date'), flags));
}

/** Every stored family of one day (state, complete or partial, source), or one family with its data. */
export async function runShow(ctx: CommandContext, date: string, flags: ShowFlags): Promise<number> {
  const day = await ctx.api.getHealthDay(date, flags.metric, ctx.io.interrupt);
  if (ctx.out.json) {
    ctx.out.document(day);
    return EXIT.OK;
  }
  const entries = Object.entries(day.metrics).filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined);
  const rows = entries.map(([family, m]) => [
    family,
    m.state === 'present' ? 'data' : 'no data',
    m.complete ? 'complete' : 'partial (day not over)',
    m.source,
    m.fetched_at.replace('T', ' ').slice(0, 16),
  ]);
  ctx.out.data(`Health ${day.calendar_date}`);
  printTable(
    ctx.out,
    ['FAMILY', 'STATE', 'DAY', 'SOURCE', 'FETCHED (UTC)'].map((header) => ({ header })),
    rows,
    ctx.clock.now(),
  );
  if (flags.metric) {
    const m = day.metrics[flags.metric as keyof typeof day.metrics];
    ctx.out.data();
    ctx.out.data(JSON.stringify(m?.data ?? null, null, 2));
  } else {
    ctx.out.info(`Next: garminsync health show ${day.calendar_date} --metric ${entries[0]?.[0] ?? 'summary'}`);
  }
  return EXIT.OK;
}
