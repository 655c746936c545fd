import { commandLine, type FlagValue } from './command-line.js';
import type { Output } from './output.js';

/** A page of a cursor-paged list as the service answers it. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** How many pages `--all` follows at most: a loop guard against a service that never ends a list. */
const MAX_PAGES = 100_000;

/**
 * One page, or with `all` every page from `cursor` on, joined into one page whose `next_cursor`
 * is null. Each request asks for `limit` items; the signal (Ctrl-C) stops between pages.
 */
export async function fetchPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  opts: { all: boolean; cursor?: string | undefined; signal?: AbortSignal },
): Promise<Page<T>> {
  const first = await fetchPage(opts.cursor);
  if (!opts.all) return first;
  const items = [...first.items];
  let next = first.next_cursor;
  for (let n = 1; next && n < MAX_PAGES; n++) {
    opts.signal?.throwIfAborted();
    const page = await fetchPage(next);
    items.push(...page.items);
    next = page.next_cursor;
  }
  return { items, next_cursor: null };
}

/**
 * The hint under a page with more after it: the same command with the same filters and limit,
 * plus the cursor, and the `--all` way (on stderr: it is for people).
 */
export function printPagingHint(
  out: Output,
  words: string,
  flags: readonly (readonly [string, FlagValue])[],
  nextCursor: string | null,
  server?: string,
): void {
  if (!nextCursor) return;
  out.info(`More: ${commandLine(words, [...flags, ['--cursor', nextCursor]], server)}`);
  out.info(`  (or every page at once: ${commandLine(words, [...flags.filter(([f]) => f !== '--limit'), ['--all', true]], server)})`);
}
