import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from './retry.js';

describe('parseRetryAfterMs', () => {
  const now = Date.UTC(2026, 10, 27, 12, 0, 0);
  it('reads delta-seconds and HTTP dates, falls back otherwise', () => {
    expect(parseRetryAfterMs('120', now, 5)).toBe(120_000);
    expect(parseRetryAfterMs('Fri, 27 Nov 2026 12:00:30 GMT', now, 5)).toBe(30_000);
    expect(parseRetryAfterMs('Fri, 27 Nov 2026 11:00:00 GMT', now, 5)).toBe(0);
    expect(parseRetryAfterMs(null, now, 5)).toBe(5);
    expect(parseRetryAfterMs('soon', now, 5)).toBe(5);
  });
});
