import type { Output } from './output.js';

/**
 * One column of a table. On a terminal, `id` cells show a short unique prefix and `time` cells
 * the local time (or UTC with --utc); piped, every cell is written whole (full ids, ISO 8601
 * times) so that scripts get exact values.
 */
export interface Column {
  header: string;
  kind?: 'text' | 'id' | 'time' | 'when';
  /**
   * May be cut (with …) to fit the terminal: `true` for names and notes, `'last'` for short
   * values cut only when the names alone are not enough (a sport). Ids and times never are.
   */
  shrink?: boolean | 'last';
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
  const termWidth = Math.max(40, out.io.columns);
  // `when` cells drop their "(3 min ago)" before anything else is given up.
  let shown = cells(out, columns, rows, idLength, nowMs, false);
  let widths = fit(shown, columns, termWidth);
  if (total(widths) > termWidth && columns.some((c) => c.kind === 'when')) {
    shown = cells(out, columns, rows, idLength, nowMs, true);
    widths = fit(shown, columns, termWidth);
  }
  const line = (row: readonly string[]) => {
    const text = row
      .map((cell, i) => {
        const t = cell.length > widths[i]! ? `${cell.slice(0, Math.max(0, widths[i]! - 1))}…` : cell;
        return i === row.length - 1 ? t : t.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
    // Narrower than the ids, times and headers need: the line ends at the edge instead of wrapping.
    return text.length > termWidth ? `${text.slice(0, termWidth - 1)}…` : text;
  };
  out.data(out.color.bold(line(columns.map((c) => c.header))));
  for (const r of shown) out.data(line(r));
}

function cells(
  out: Output,
  columns: readonly Column[],
  rows: readonly (readonly Cell[])[],
  idLength: ReadonlyMap<number, number>,
  nowMs: number,
  whenAsTime: boolean,
): string[][] {
  return rows.map((row) =>
    columns.map((c, i) => {
      const v = row[i] ?? null;
      if (v === null) return '-';
      if (c.kind === 'id') return v.slice(0, idLength.get(i));
      if (c.kind === 'time' || (c.kind === 'when' && whenAsTime)) return out.fmt.time(v);
      if (c.kind === 'when') return out.fmt.when(v, nowMs);
      return plain(v);
    }),
  );
}

const total = (widths: readonly number[]) => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);

/**
 * Column widths that fit `termWidth` where possible: first the `shrink` columns (names, notes)
 * are narrowed, widest first, down to 6 characters; then the `'last'` ones too, down to 4. Ids
 * and times are never narrowed, and no column below its header.
 */
function fit(shown: readonly (readonly string[])[], columns: readonly Column[], termWidth: number): number[] {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...shown.map((r) => r[i]!.length)));
  for (const [may, least] of [
    [(c: Column) => c.shrink === true, 6],
    [(c: Column) => c.shrink !== undefined && c.shrink !== false, 4],
  ] as const) {
    while (total(widths) > termWidth) {
      let widest = -1;
      for (let i = 0; i < columns.length; i++) {
        const floor = Math.max(columns[i]!.header.length, least);
        if (may(columns[i]!) && widths[i]! > floor && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      }
      if (widest < 0) break;
      widths[widest] = Math.max(Math.max(columns[widest]!.header.length, least), widths[widest]! - (total(widths) - termWidth));
    }
  }
  return widths;
}

/** A cell on one line: tabs and newlines would break both layouts. */
function plain(v: string | null): string {
  return v === null ? '-' : v.replace(/[\t\r\n]+/g, ' ');
}
