import type { Command } from 'commander';
import { HEALTH_METRICS, parseHealthMetrics } from '../../../core/index.js';
import type { CoverageReport } from '../../../contract/index.js';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { printCoverageCalendar } from '../../output/calendar.js';
import { printTable } from '../../output/table.js';
import { flagParser, parseDateFlag, usage } from '../errors.js';
import { examples, type DefineContext } from '../types.js';

interface CoverageFlags {
  from?: string;
  to?: string;
  metrics?: string;
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .option(
      '--from <date>',
      'first day (YYYY-MM-DD; default: 29 days before --to)',
      flagParser((v) => parseDateFlag(v, '--from')),
    )
    .option(
      '--to <date>',
      'last day (YYYY-MM-DD; default: today)',
      flagParser((v) => parseDateFlag(v, '--to')),
    )
    .option(
      '--metrics <list>',
      `families to report, comma-separated, or all (default: the default set plus what is stored): ${HEALTH_METRICS.join(', ')}`,
    )
    .addHelpText(
      'after',
      examples(
        'garminsync coverage',
        'garminsync coverage --from 2026-01-01 --to 2026-06-30',
        'garminsync coverage --metrics sleep,hrv --json | jq ".totals"',
        'garminsync sync start --type health --missing --from 2026-01-01 --to 2026-06-30 --wait',
      ) +
        '\nStates: present, empty (Garmin had no data), missing (never fetched), failed (with the job), partial (fetched before the day ended).\n',
    );
  ctx.bind<CoverageFlags>(cmd, (c, flags) => runCoverage(c, flags));
}

/** Days of the report with a family to fetch, as the --missing sync would see them. */
const needy = (r: CoverageReport) => r.days.filter((d) => d.state === 'missing' || d.state === 'failed' || d.state === 'partial').length;

/** Coverage of health data: a calendar on a terminal, the per-family totals, or --json. */
export async function runCoverage(ctx: CommandContext, flags: CoverageFlags): Promise<number> {
  if (flags.from && flags.to && flags.from > flags.to) throw usage('--from must not be after --to.');
  const metrics = flags.metrics === undefined ? undefined : parseHealthMetrics(flags.metrics).join(',');
  const report = await ctx.api.getCoverage({ from: flags.from, to: flags.to, metrics }, ctx.io.interrupt);
  if (ctx.out.json) {
    ctx.out.document(report);
    return EXIT.OK;
  }
  if (ctx.io.stdoutIsTTY) {
    printCoverageCalendar(ctx.out, report);
    ctx.out.data();
  }
  printTable(
    ctx.out,
    ['METRIC', 'PRESENT', 'EMPTY', 'MISSING', 'FAILED', 'PARTIAL', 'FROM ARCHIVE'].map((header) => ({ header })),
    report.totals.map((t) => [t.metric, ...[t.present, t.empty, t.missing, t.failed, t.partial, t.from_archive].map(String)]),
    ctx.clock.now(),
  );
  const n = needy(report);
  if (n > 0)
    ctx.out.info(
      `${n} of ${report.days.length} days from ${report.from} to ${report.to} have missing, failed or partial data. Next: garminsync sync start --type health --missing --from ${report.from} --to ${report.to} --wait`,
    );
  else ctx.out.info(`Every day from ${report.from} to ${report.to} is covered.`);
  return EXIT.OK;
}
