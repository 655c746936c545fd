import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it('reads one number and one unit', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('6h')).toBe(21_600_000);
    expect(parseDuration('365D')).toBe(365 * 86_400_000);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '6', 'h', '1.5h', '-1h', '6hours', '1h30m', '9999999999d', '6w']) expect(parseDuration(bad), bad).toBeNull();
  });

  it('writes the shortest exact spelling', () => {
    expect(formatDuration(21_600_000)).toBe('6h');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(86_400_000 * 30)).toBe('30d');
    expect(formatDuration(900_000)).toBe('15m');
  });
});
