/**
 * The one way the CLI writes a point in time for people: `2026-11-27 13:00` in the local time
 * zone (TZ, else the system's), or `2026-11-27 12:00 UTC` with `--utc`. Piped tables write ISO
 * 8601 instead (see table.ts), because scripts parse them.
 */
export interface TimeFormatter {
  readonly utc: boolean;
  /** `2026-11-27 13:00`, `-` for none. */
  time(iso: string | null | undefined): string;
  /** `2026-11-27 13:00 (in 14 min)`, `-` for none. */
  when(iso: string | null | undefined, nowMs: number): string;
}

/** The zone this process's `Date` local methods use: its TZ at start-up (undefined: the system's). */
export interface DateZone {
  tz: string | undefined;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * `timeZone` is an IANA name (the TZ variable); an unknown one falls back to the system zone.
 * `dateZone`, when given and equal to `timeZone`, lets local times come from `Date` itself.
 */
export function timeFormatter(opts: { utc: boolean; timeZone?: string | undefined; dateZone?: DateZone }): TimeFormatter {
  // Creating an Intl.DateTimeFormat loads ICU's locale data: 20–40 ms of a command's start-up
  // (issue 17, row 4). UTC, and the process's own zone, need no formatter: Date's getters give
  // the same fields (both ask ICU's zone rules; an unknown TZ falls back alike). Another zone
  // (a TZ other than the process's, as tests pass) still uses a formatter, made on first use.
  const viaDate = opts.utc ? 'utc' : opts.dateZone && opts.dateZone.tz === opts.timeZone ? 'local' : undefined;
  let parts: Intl.DateTimeFormat | undefined;
  const time = (iso: string | null | undefined): string => {
    if (!iso) return '-';
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return iso;
    if (viaDate) {
      const d = new Date(t);
      const [y, mo, day, h, mi] =
        viaDate === 'utc'
          ? [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()]
          : [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()];
      return `${String(y).padStart(4, '0')}-${pad2(mo + 1)}-${pad2(day)} ${pad2(h)}:${pad2(mi)}${opts.utc ? ' UTC' : ''}`;
    }
    parts ??= partsFormatter(opts.utc ? 'UTC' : opts.timeZone);
    const p = Object.fromEntries(parts.formatToParts(t).map((x) => [x.type, x.value]));
    // hourCycle h23 still writes midnight as "24" in some ICU versions.
    const hour = p.hour === '24' ? '00' : p.hour;
    return `${p.year}-${p.month}-${p.day} ${hour}:${p.minute}${opts.utc ? ' UTC' : ''}`;
  };
  return {
    utc: opts.utc,
    time,
    when: (iso, nowMs) => (iso ? `${time(iso)} (${relativeTime(iso, nowMs)})` : '-'),
  };
}

function partsFormatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  try {
    return new Intl.DateTimeFormat('en-CA', { ...options, ...(timeZone ? { timeZone } : {}) });
  } catch {
    return new Intl.DateTimeFormat('en-CA', options);
  }
}

/** "in 14 min", "3 h ago", "in 29 days": how far a timestamp is from now. */
export function relativeTime(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return '-';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const diff = t - nowMs;
  const abs = Math.abs(diff);
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  let text = '0 s';
  for (const [ms, name] of units) {
    if (abs >= ms) {
      const n = Math.floor(abs / ms);
      text = name === 'day' ? `${n} day${n === 1 ? '' : 's'}` : `${n} ${name}`;
      break;
    }
  }
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}
