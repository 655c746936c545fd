import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { bytesText, table } from '../../output/format.js';
import { flagParser, parseIntFlag } from '../errors.js';
import { nextPageCommand } from '../paging.js';
import { examples, type DefineContext } from '../types.js';

interface ListFlags {
  limit: number;
  cursor?: string;
}

const DEFAULT_LIMIT = 100;

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .option('-L, --limit <n>', 'how many (1-1000)', flagParser((v) => parseIntFlag(v, '--limit', 1, 1000)), DEFAULT_LIMIT)
    .option('--cursor <cursor>', 'the next page, as printed by the previous page')
    .addHelpText('after', examples('garminsync workouts list', 'garminsync workouts list --json | jq -r ".items[].workout_id"'));
  ctx.bind<ListFlags>(cmd, (c, flags) => runList(c, flags));
}

/** One page of synced workouts by name: a table, or --json. */
export async function runList(ctx: CommandContext, flags: ListFlags): Promise<number> {
  const page = await ctx.api.listWorkouts({ limit: flags.limit, cursor: flags.cursor }, ctx.io.interrupt);
  if (ctx.out.json) {
    ctx.out.document(page);
    return EXIT.OK;
  }
  if (page.items.length === 0) {
    ctx.out.info(flags.cursor ? 'No more workouts.' : 'No workouts synced yet. Next: garminsync sync start --type workouts --wait');
    return EXIT.OK;
  }
  const rows = page.items.map((w) => [w.workout_id, w.sport ?? '-', w.updated_at ? w.updated_at.slice(0, 10) : '-', w.fit ? bytesText(w.fit.size_bytes) : '-', w.name ?? '']);
  for (const line of table(['ID', 'SPORT', 'UPDATED', 'FIT', 'NAME'], rows)) ctx.out.data(line);
  if (page.next_cursor) ctx.out.info(`More: ${nextPageCommand(ctx, 'workouts list', { limit: flags.limit === DEFAULT_LIMIT ? undefined : flags.limit }, page.next_cursor)}`);
  return EXIT.OK;
}
