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

/** `timeZone` is an IANA name (the TZ variable); an unknown one falls back to the system zone. */
export function timeFormatter(opts: { utc: boolean; timeZone?: string | undefined }): TimeFormatter {
  // Made on first use: creating an Intl.DateTimeFormat loads ICU's locale and zone data, a
  // noticeable part of a command's start-up, and --json output never writes a time for people.
  let parts: Intl.DateTimeFormat | undefined;
  const time = (iso: string | null | undefined): string => {
    if (!iso) return '-';
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return iso;
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
