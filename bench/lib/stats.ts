// Robust summaries for noisy machines: the median is the headline figure, min–max and the
// inter-quartile range show the spread. No means: one stall must not move the headline.

/** A set of repeated measurements of one quantity. */
export interface Sample {
  values: number[];
  unit: string;
}

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
}

/** Linear-interpolated quantile of sorted values (the same method as numpy's default). */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
  };
}

/**
 * Ratios of paired runs (a[i] / b[i]) measured side by side. Pairing keeps slow drifts of the
 * machine out of the ratio; when the counts differ, the ratio of medians is used instead.
 */
export function pairedRatios(a: number[], b: number[]): number[] {
  if (a.length === b.length && a.length > 0) return a.map((x, i) => x / (b[i] as number));
  const ma = summarize(a).median;
  const mb = summarize(b).median;
  return [ma / mb];
}

/** Formats a number with a sensible number of significant digits for a table. */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
  if (abs >= 100) return x.toFixed(0);
  if (abs === 0) return '0';
  return String(Number(x.toPrecision(digits)));
}
