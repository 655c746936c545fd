import type { Output } from './output.js';

/**
 * One column of a table. On a terminal, `id` cells show a short unique prefix and `time` cells
 * the local time (or UTC with --utc); piped, every cell is written whole (full ids, ISO 8601
 * times) so that scripts get exact values.
 */
export interface Column {
  header: string;
  kind?: 'text' | 'id' | 'time' | 'when';
  /** May be cut (with …) to fit the terminal: names and notes. Ids and times never are. */
  shrink?: boolean;
}

/** A cell's raw value; null prints as `-`. */
export type Cell = string | null;

/** Shortest ids never go below this: as long as git's and gh's short hashes, plus one. */
export const SHORT_ID_MIN = 8;

/**
 * The shortest prefix length (at least `min`) at which the given ids are told apart; ids that
 * are equal stay equal. Every prefix shown is accepted back by the commands that take job ids.
 */
export function uniquePrefixLength(ids: readonly string[], min = SHORT_ID_MIN): number {
  const distinct = [...new Set(ids)];
  const longest = Math.max(0, ...distinct.map((id) => id.length));
  for (let n = min; n < longest; n++) {
    if (new Set(distinct.map((id) => id.slice(0, n))).size === distinct.length) return n;
  }
  return Math.max(min, longest);
}

/**
 * Prints a table on stdout. A terminal gets aligned columns with a header, fitted to its width
 * by cutting the `shrink` columns; a pipe gets tab-separated rows without a header and without
 * any cutting (like gh), so `cut -f1` and `awk -F'\t'` work.
 */
export function printTable(out: Output, columns: readonly Column[], rows: readonly (readonly Cell[])[], nowMs = Date.now()): void {
  if (!out.io.stdoutIsTTY) {
    for (const row of rows) out.data(columns.map((_, i) => plain(row[i] ?? null)).join('\t'));
    return;
  }
  const idLength = new Map<number, number>();
  columns.forEach((c, i) => {
    if (c.kind === 'id') idLength.set(i, uniquePrefixLength(rows.map((r) => r[i] ?? '').filter(Boolean)));
  });
  const shown = rows.map((row) =>
    columns.map((c, i) => {
      const v = row[i] ?? null;
      if (v === null) return '-';
      if (c.kind === 'id') return v.slice(0, idLength.get(i));
      if (c.kind === 'time') return out.fmt.time(v);
      if (c.kind === 'when') return out.fmt.when(v, nowMs);
      return plain(v);
    }),
  );
  const widths = columns.map((c, i) => Math.max(c.header.length, ...shown.map((r) => r[i]!.length)));
  fit(widths, columns, Math.max(40, out.io.columns));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const text = cell.length > widths[i]! ? `${cell.slice(0, Math.max(0, widths[i]! - 1))}…` : cell;
        return i === cells.length - 1 ? text : text.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  out.data(out.color.bold(line(columns.map((c) => c.header))));
  for (const r of shown) out.data(line(r));
}

/** Narrows the shrinkable columns, widest first, until the line fits (or they are at their header). */
function fit(widths: number[], columns: readonly Column[], termWidth: number): void {
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  while (total() > termWidth) {
    let widest = -1;
    for (let i = 0; i < columns.length; i++) {
      const floor = Math.max(columns[i]!.header.length, 6);
      if (columns[i]!.shrink && widths[i]! > floor && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) return;
    widths[widest] = Math.max(Math.max(columns[widest]!.header.length, 6), widths[widest]! - (total() - termWidth));
  }
}

/** A cell on one line: tabs and newlines would break both layouts. */
function plain(v: string | null): string {
  return v === null ? '-' : v.replace(/[\t\r\n]+/g, ' ');
}
