/**
 * Calendar and timestamp helpers in Garmin's formats. All arithmetic is on epoch milliseconds;
 * "local" instants are GMT instants shifted by the account's fixed offset and formatted with the
 * UTC accessors, which is how Garmin's *Local fields behave.
 */
export const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of 00:00 UTC of a strict `YYYY-MM-DD` date, or undefined when it is not a real date. */
export function parseCalendarDate(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD` of the UTC day containing `ms`. */
export function formatCalendarDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function hms(d: Date): string {
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Activity-list format: `2026-01-08 08:10:21` (space, no zone). */
export function formatSpaced(ms: number): string {
  return `${formatCalendarDate(ms)} ${hms(new Date(ms))}`;
}

/** DTO format: `2026-01-08T08:10:21.0` (tenths, no zone). */
export function formatTenths(ms: number): string {
  const d = new Date(ms);
  return `${formatCalendarDate(ms)}T${hms(d)}.${Math.floor(d.getUTCMilliseconds() / 100)}`;
}

/** `2025-06-14T19:05:00` (no fraction, no zone). */
export function formatPlain(ms: number): string {
  return `${formatCalendarDate(ms)}T${hms(new Date(ms))}`;
}

/** `2023-07-20T12:14:11.898` (milliseconds, no zone). */
export function formatMillis(ms: number): string {
  const d = new Date(ms);
  return `${formatCalendarDate(ms)}T${hms(d)}.${pad(d.getUTCMilliseconds(), 3)}`;
}
