/** Small, stable formatting helpers for human output (never used for --json). */

/** A table with left-aligned columns separated by two spaces; stable for scripts that use `cut`. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
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

/** "2026-11-27 12:00 UTC (in 14 min)" */
export function whenText(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return '-';
  return `${iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC')} (${relativeTime(iso, nowMs)})`;
}

/** "1.2 MB" */
export function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** "1:02:03" for a duration in seconds. */
export function durationText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '-';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}
