import type { Command } from 'commander';
import type { Activity } from '../../../contract/index.js';
import type { CommandContext } from '../../context.js';
import { emptyMessage } from '../../output/empty.js';
import { bytesText, durationText } from '../../output/format.js';
import type { Column } from '../../output/table.js';
import { pagingOptions, runPagedList, type PagingFlags } from '../paged-list.js';
import { completeFlag, examples, type DefineContext } from '../types.js';

interface ListFlags extends PagingFlags {
  sport?: string;
}

const DEFAULT_LIMIT = 20;

export function define(cmd: Command, ctx: DefineContext): void {
  pagingOptions(cmd, { limitHelp: 'how many per page', max: 1000, defaultLimit: DEFAULT_LIMIT })
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

const COLUMNS: readonly Column[] = [
  { header: 'ID' },
  { header: 'START', kind: 'time' },
  { header: 'SPORT', shrink: 'last' },
  { header: 'TIME' },
  { header: 'DISTANCE' },
  { header: 'FIT' },
  { header: 'NAME', shrink: true },
];

const row = (a: Activity) => [
  a.activity_id,
  a.start_time,
  a.sport,
  durationText(a.duration_seconds),
  a.distance_meters === null ? '-' : `${(a.distance_meters / 1000).toFixed(2)} km`,
  a.fit ? bytesText(a.fit.size_bytes) : '-',
  a.name ?? '',
];

/** Synced activities, newest first: a table (paged; --all for every page), or --json. */
export function runList(ctx: CommandContext, flags: ListFlags): Promise<number> {
  const filters = [['--sport', flags.sport]] as const;
  return runPagedList(ctx, flags, {
    words: 'activities list',
    plural: 'activities',
    defaultLimit: DEFAULT_LIMIT,
    filters,
    fetchPage: (cursor) => ctx.api.listActivities({ limit: flags.limit, cursor, sport: flags.sport }, ctx.io.interrupt),
    emptyMessage: async () => {
      const anyAtAll = flags.sport ? (await ctx.api.listActivities({ limit: 1 })).items.length > 0 : false;
      return emptyMessage({
        plural: 'activities',
        filters,
        anyWithoutFilters: anyAtAll,
        known: anyAtAll ? await sportsText(ctx) : undefined,
        nothingYet: 'No activities synced yet.',
        next: 'garminsync sync start --type activities --wait',
      });
    },
    columns: COLUMNS,
    row,
  });
}

/** "Synced sports: running (120), cycling (40)." from the service, when it can tell. */
async function sportsText(ctx: CommandContext): Promise<string | undefined> {
  const sports = await ctx.api.activitySports().catch(() => undefined);
  if (!sports || sports.items.length === 0) return undefined;
  return `Synced sports: ${sports.items.map((s) => `${s.sport} (${s.count})`).join(', ')}.`;
}
