import type { CoverageDay, CoverageReport } from '../../contract/index.js';
import type { Output } from './output.js';

type State = CoverageDay['state'];

/** One character per coverage state (and `a` for a day whose data came from an imported archive). */
const GLYPH: Record<State | 'archive', string> = {
  present: '#',
  archive: 'a',
  empty: '.',
  partial: '~',
  failed: '!',
  missing: '_',
};

function glyph(out: Output, d: CoverageDay): string {
  const cells = Object.values(d.metrics);
  const archived =
    d.state === 'present' &&
    cells.some((c) => c.state === 'present') &&
    cells.every((c) => c.state !== 'present' || c.source === 'archive');
  const c = out.color;
  if (archived) return c.cyan(GLYPH.archive);
  switch (d.state) {
    case 'present':
      return c.green(GLYPH.present);
    case 'empty':
      return c.dim(GLYPH.empty);
    case 'partial':
      return c.yellow(GLYPH.partial);
    case 'failed':
      return c.red(GLYPH.failed);
    default:
      return c.red(GLYPH.missing);
  }
}

/**
 * The compact calendar of a coverage report for a terminal: months as rows, one cell per day
 * (column = day of the month), each cell the day at a glance; days outside the range are blank.
 */
export function printCoverageCalendar(out: Output, report: CoverageReport): void {
  const months = new Map<string, Map<number, CoverageDay>>();
  for (const d of report.days) {
    const key = d.calendar_date.slice(0, 7);
    const m = months.get(key) ?? new Map<number, CoverageDay>();
    m.set(Number(d.calendar_date.slice(8, 10)), d);
    months.set(key, m);
  }
  const ruler = Array.from({ length: 31 }, (_, i) => ((i + 1) % 5 === 0 || i === 0 ? String((i + 1) % 10) : ' ')).join('');
  out.data(`${' '.repeat(8)}${out.color.dim(ruler)}`);
  for (const [month, days] of months) {
    let line = '';
    for (let day = 1; day <= 31; day++) {
      const d = days.get(day);
      line += d ? glyph(out, d) : ' ';
    }
    out.data(`${month}  ${line.trimEnd()}`);
  }
  out.data(
    `${' '.repeat(8)}${[
      `${GLYPH.present} present`,
      `${GLYPH.archive} from archive`,
      `${GLYPH.empty} no data at Garmin`,
      `${GLYPH.partial} partial`,
      `${GLYPH.missing} missing`,
      `${GLYPH.failed} failed`,
    ].join('  ')}`,
  );
}
