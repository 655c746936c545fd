import type { Command } from 'commander';
import { suggestedServer, type CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { emptyMessage } from '../../output/empty.js';
import { bytesText, durationText } from '../../output/format.js';
import { fetchPages, printPagingHint } from '../../output/paging.js';
import { printTable } from '../../output/table.js';
import { flagParser, parseIntFlag } from '../errors.js';
import { completeFlag, examples, type DefineContext } from '../types.js';

interface ListFlags {
  limit: number;
  cursor?: string;
  sport?: string;
  all?: boolean;
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .option(
      '-L, --limit <n>',
      'how many per page (1-1000)',
      flagParser((v) => parseIntFlag(v, '--limit', 1, 1000)),
      20,
    )
    .option('--cursor <cursor>', 'the next page, as printed by the previous page')
    .option('--all', 'follow every page (--limit is then the page size)')
    .option('--sport <type>', "only this sport (Garmin's typeKey, e.g. running)")
    .addHelpText(
      'after',
      examples(
        'garminsync activities list',
        'garminsync activities list --sport running --all',
        'garminsync activities list --limit 100 --json | jq ".items[].activity_id"',
        'garminsync activities list --all | cut -f1   # piped: tab-separated, whole values',
      ),
    );
  completeFlag(cmd, '--sport', 'sports');
  ctx.bind<ListFlags>(cmd, (c, flags) => runList(c, flags));
}

export async function runList(ctx: CommandContext, flags: ListFlags): Promise<number> {
  const page = await fetchPages((cursor) => ctx.api.listActivities({ limit: flags.limit, cursor, sport: flags.sport }, ctx.io.interrupt), {
    all: Boolean(flags.all),
    cursor: flags.cursor,
    signal: ctx.io.interrupt,
  });
  if (ctx.out.json) {
    ctx.out.document(page);
    return EXIT.OK;
  }
  const filters = [['--sport', flags.sport]] as const;
  if (page.items.length === 0) {
    const anyAtAll = flags.sport ? (await ctx.api.listActivities({ limit: 1 })).items.length > 0 : false;
    ctx.out.info(
      emptyMessage({
        plural: 'activities',
        filters,
        anyWithoutFilters: anyAtAll,
        known: anyAtAll ? await sportsText(ctx) : undefined,
        nothingYet: 'No activities synced yet.',
        next: 'garminsync sync start --type activities --wait',
      }),
    );
    return EXIT.OK;
  }
  printTable(
    ctx.out,
    [
      { header: 'ID' },
      { header: 'START', kind: 'time' },
      { header: 'SPORT', shrink: 'last' },
      { header: 'TIME' },
      { header: 'DISTANCE' },
      { header: 'FIT' },
      { header: 'NAME', shrink: true },
    ],
    page.items.map((a) => [
      a.activity_id,
      a.start_time,
      a.sport,
      durationText(a.duration_seconds),
      a.distance_meters === null ? '-' : `${(a.distance_meters / 1000).toFixed(2)} km`,
      a.fit ? bytesText(a.fit.size_bytes) : '-',
      a.name ?? '',
    ]),
    ctx.clock.now(),
  );
  printPagingHint(
    ctx.out,
    'activities list',
    [...filters, ['--limit', flags.limit === 20 ? undefined : flags.limit]],
    page.next_cursor,
    suggestedServer(ctx),
  );
  return EXIT.OK;
}

/** "Synced sports: running (120), cycling (40)." from the service, when it can tell. */
async function sportsText(ctx: CommandContext): Promise<string | undefined> {
  const sports = await ctx.api.activitySports().catch(() => undefined);
  if (!sports || sports.items.length === 0) return undefined;
  return `Synced sports: ${sports.items.map((s) => `${s.sport} (${s.count})`).join(', ')}.`;
}
