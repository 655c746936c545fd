import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelayMs, seededRandom, uniform01, type Random } from './index.js';

function fixedRandom(fraction: number): Random {
  const v = Math.floor(fraction * 0x1_0000_0000);
  return {
    uuid: () => '0',
    bytes: (n) => {
      const b = Buffer.alloc(Math.max(4, n));
      b.writeUInt32BE(v >>> 0, 0);
      return b.subarray(0, n);
    },
  };
}

describe('backoffDelayMs (full jitter)', () => {
  it('doubles the ceiling per attempt up to the cap', () => {
    const nearlyOne = fixedRandom(0.999999);
    const policy = { baseMs: 500, capMs: 4000 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelayMs(a, nearlyOne, policy))).toEqual([499, 999, 1999, 3999, 3999, 3999]);
    expect(backoffDelayMs(3, fixedRandom(0), policy)).toBe(0);
    expect(backoffDelayMs(1, fixedRandom(0.5), policy)).toBe(500);
  });

  it('always stays within [0, min(cap, base·2^attempt))', () => {
    const random = seededRandom(42);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 60_000 }),
        (attempt, baseMs, capMs) => {
          const d = backoffDelayMs(attempt, random, { baseMs, capMs });
          return Number.isInteger(d) && d >= 0 && d < Math.max(1, Math.min(capMs, baseMs * 2 ** attempt));
        },
      ),
    );
  });

  it('draws uniform values in [0, 1)', () => {
    const r = seededRandom(3);
    const xs = Array.from({ length: 2000 }, () => uniform01(r));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});
