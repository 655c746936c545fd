import type { Command } from 'commander';
import { suggestedServer, type CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { emptyMessage } from '../../output/empty.js';
import { bytesText } from '../../output/format.js';
import { fetchPages, printPagingHint } from '../../output/paging.js';
import { printTable } from '../../output/table.js';
import { flagParser, parseIntFlag } from '../errors.js';
import { examples, type DefineContext } from '../types.js';

interface ListFlags {
  limit: number;
  cursor?: string;
  all?: boolean;
}

const DEFAULT_LIMIT = 100;

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .option(
      '-L, --limit <n>',
      'how many per page (1-1000)',
      flagParser((v) => parseIntFlag(v, '--limit', 1, 1000)),
      DEFAULT_LIMIT,
    )
    .option('--cursor <cursor>', 'the next page, as printed by the previous page')
    .option('--all', 'follow every page (--limit is then the page size)')
    .addHelpText('after', examples('garminsync workouts list', 'garminsync workouts list --all --json | jq -r ".items[].workout_id"'));
  ctx.bind<ListFlags>(cmd, (c, flags) => runList(c, flags));
}

/** Synced workouts by name: a table (paged; --all for every page), or --json. */
export async function runList(ctx: CommandContext, flags: ListFlags): Promise<number> {
  const page = await fetchPages((cursor) => ctx.api.listWorkouts({ limit: flags.limit, cursor }, ctx.io.interrupt), {
    all: Boolean(flags.all),
    cursor: flags.cursor,
    signal: ctx.io.interrupt,
  });
  if (ctx.out.json) {
    ctx.out.document(page);
    return EXIT.OK;
  }
  if (page.items.length === 0) {
    ctx.out.info(
      flags.cursor
        ? 'No more workouts.'
        : emptyMessage({
            plural: 'workouts',
            filters: [],
            nothingYet: 'No workouts synced yet.',
            next: 'garminsync sync start --type workouts --wait',
          }),
    );
    return EXIT.OK;
  }
  printTable(
    ctx.out,
    [
      { header: 'ID' },
      { header: 'SPORT', shrink: 'last' },
      { header: 'UPDATED', kind: 'time' },
      { header: 'FIT' },
      { header: 'NAME', shrink: true },
    ],
    page.items.map((w) => [w.workout_id, w.sport ?? '-', w.updated_at, w.fit ? bytesText(w.fit.size_bytes) : '-', w.name ?? '']),
    ctx.clock.now(),
  );
  printPagingHint(
    ctx.out,
    'workouts list',
    [['--limit', flags.limit === DEFAULT_LIMIT ? undefined : flags.limit]],
    page.next_cursor,
    suggestedServer(ctx),
  );
  return EXIT.OK;
}
