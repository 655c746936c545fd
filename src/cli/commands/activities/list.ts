import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { bytesText, durationText, table } from '../../output/format.js';
import { flagParser, parseIntFlag } from '../errors.js';
import { nextPageCommand } from '../paging.js';
import { examples, type DefineContext } from '../types.js';

interface ListFlags {
  limit: number;
  cursor?: string;
  sport?: string;
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .option('-L, --limit <n>', 'how many (1-1000)', flagParser((v) => parseIntFlag(v, '--limit', 1, 1000)), 20)
    .option('--cursor <cursor>', 'the next page, as printed by the previous page')
    .option('--sport <type>', "only this sport (Garmin's typeKey, e.g. running)")
    .addHelpText(
      'after',
      examples('garminsync activities list', 'garminsync activities list --sport running', 'garminsync activities list --limit 100 --json | jq ".items[].activity_id"'),
    );
  ctx.bind<ListFlags>(cmd, (c, flags) => runList(c, flags));
}

/** One page of activities: a table (cursor-paged, filters kept in the next-page hint) or --json. */
export async function runList(ctx: CommandContext, flags: ListFlags): Promise<number> {
  const page = await ctx.api.listActivities({ limit: flags.limit, cursor: flags.cursor, sport: flags.sport }, ctx.io.interrupt);
  if (ctx.out.json) {
    ctx.out.document(page);
    return EXIT.OK;
  }
  if (page.items.length === 0) {
    if (flags.sport || flags.cursor) ctx.out.info(flags.cursor ? 'No more activities.' : `No synced activities of sport "${flags.sport}".`);
    else ctx.out.info('No activities synced yet. Next: garminsync sync start --type activities --wait');
    return EXIT.OK;
  }
  const rows = page.items.map((a) => [
    a.activity_id,
    a.start_time.slice(0, 16).replace('T', ' '),
    a.sport,
    durationText(a.duration_seconds),
    a.distance_meters === null ? '-' : `${(a.distance_meters / 1000).toFixed(2)} km`,
    a.fit ? bytesText(a.fit.size_bytes) : '-',
    a.name ?? '',
  ]);
  for (const line of table(['ID', 'START (UTC)', 'SPORT', 'TIME', 'DISTANCE', 'FIT', 'NAME'], rows)) ctx.out.data(line);
  if (page.next_cursor) ctx.out.info(`More: ${nextPageCommand(ctx, 'activities list', { sport: flags.sport, limit: flags.limit === 20 ? undefined : flags.limit }, page.next_cursor)}`);
  return EXIT.OK;
}
