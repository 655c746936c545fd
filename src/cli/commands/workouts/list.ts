import type { Command } from 'commander';
import type { Workout } from '../../../contract/index.js';
import type { CommandContext } from '../../context.js';
import { emptyMessage } from '../../output/empty.js';
import { bytesText } from '../../output/format.js';
import type { Column } from '../../output/table.js';
import { pagingOptions, runPagedList, type PagingFlags } from '../paged-list.js';
import { examples, type DefineContext } from '../types.js';

const DEFAULT_LIMIT = 100;

export function define(cmd: Command, ctx: DefineContext): void {
  pagingOptions(cmd, { limitHelp: 'how many per page', max: 1000, defaultLimit: DEFAULT_LIMIT }).addHelpText(
    'after',
    examples('garminsync workouts list', 'garminsync workouts list --all --json | jq -r ".items[].workout_id"'),
  );
  ctx.bind<PagingFlags>(cmd, (c, flags) => runList(c, flags));
}

const COLUMNS: readonly Column[] = [
  { header: 'ID' },
  { header: 'SPORT', shrink: 'last' },
  { header: 'UPDATED', kind: 'time' },
  { header: 'FIT' },
  { header: 'NAME', shrink: true },
];

/** Synced workouts by name: a table (paged; --all for every page), or --json. */
export function runList(ctx: CommandContext, flags: PagingFlags): Promise<number> {
  return runPagedList(ctx, flags, {
    words: 'workouts list',
    plural: 'workouts',
    defaultLimit: DEFAULT_LIMIT,
    filters: [],
    fetchPage: (cursor) => ctx.api.listWorkouts({ limit: flags.limit, cursor }, ctx.io.interrupt),
    emptyMessage: () =>
      emptyMessage({
        plural: 'workouts',
        filters: [],
        nothingYet: 'No workouts synced yet.',
        next: 'garminsync sync start --type workouts --wait',
      }),
    columns: COLUMNS,
    row: (w: Workout) => [w.workout_id, w.sport ?? '-', w.updated_at, w.fit ? bytesText(w.fit.size_bytes) : '-', w.name ?? ''],
  });
}
