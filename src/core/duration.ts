/** Units a duration may be written in (`90s`, `15m`, `6h`, `30d`). */
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Parses a duration written as a whole number and one unit — `30s`, `15m`, `6h`, `365d` — into
 * milliseconds; null when it is not one. Used by the server's settings and `sync schedule set
 * --every` alike, so both read the same spelling.
 */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d{1,9})\s*(s|m|h|d)\s*$/i.exec(text);
  if (!m?.[1] || !m[2]) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2].toLowerCase() as keyof typeof UNIT_MS];
  return Number.isSafeInteger(ms) ? ms : null;
}

/** The shortest exact spelling of a duration in ms (`21600000` → `6h`, `90000` → `90s`). */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
