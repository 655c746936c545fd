import type { Command } from 'commander';
import { suggestedServer, type CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { FlagValue } from '../output/command-line.js';
import { fetchPages, printPagingHint, type Page } from '../output/paging.js';
import { printTable, type Cell, type Column } from '../output/table.js';
import { flagParser, parseIntFlag } from './errors.js';

/** The paging flags of every list verb (`--all` only where the verb declares it). */
export interface PagingFlags {
  limit: number;
  cursor?: string;
  all?: boolean;
}

/**
 * Declares `-L/--limit`, `--cursor` and (unless `all` is false) `--all`, worded alike in every
 * list verb's help. `limitHelp` names what is counted: "how many jobs per page".
 */
export function pagingOptions(cmd: Command, opts: { limitHelp: string; max: number; defaultLimit: number; all?: boolean }): Command {
  cmd.option(
    '-L, --limit <n>',
    `${opts.limitHelp} (1-${opts.max})`,
    flagParser((v) => parseIntFlag(v, '--limit', 1, opts.max)),
    opts.defaultLimit,
  );
  cmd.option('--cursor <cursor>', 'the next page, as printed by the previous page');
  if (opts.all !== false) cmd.option('--all', 'follow every page (--limit is then the page size)');
  return cmd;
}

/** What one list verb knows; the rest of listing (paging, --json, the hint) is the same for all. */
export interface PagedList<T> {
  /** The verb's words for the hint under the table: "activities list". */
  words: string;
  /** "activities": an empty page after a --cursor says "No more activities." */
  plural: string;
  defaultLimit: number;
  /** The verb's filters as set, repeated (before --limit) in the hint. */
  filters: readonly (readonly [string, FlagValue])[];
  fetchPage(cursor: string | undefined): Promise<Page<T>>;
  /** What to say (on stderr) when even the first page is empty. */
  emptyMessage(): string | Promise<string>;
  columns: readonly Column[];
  row(item: T): Cell[];
}

/**
 * Runs a list verb: one page (every page with --all), then one JSON document with --json, or
 * the table and, when more pages follow, the command for the next one.
 */
export async function runPagedList<T>(ctx: CommandContext, flags: PagingFlags, list: PagedList<T>): Promise<number> {
  const page = await fetchPages(list.fetchPage, { all: Boolean(flags.all), cursor: flags.cursor, signal: ctx.io.interrupt });
  if (ctx.out.json) {
    ctx.out.document(page);
    return EXIT.OK;
  }
  if (page.items.length === 0) {
    ctx.out.info(flags.cursor ? `No more ${list.plural}.` : await list.emptyMessage());
    return EXIT.OK;
  }
  printTable(ctx.out, list.columns, page.items.map(list.row), ctx.clock.now());
  printPagingHint(
    ctx.out,
    list.words,
    [...list.filters, ['--limit', flags.limit === list.defaultLimit ? undefined : flags.limit]],
    page.next_cursor,
    suggestedServer(ctx),
  );
  return EXIT.OK;
}
