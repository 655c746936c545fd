import { CrcCalculator } from '@garmin/fitsdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitCrc } from './fit-crc.js';

describe('fitCrc', () => {
  it("equals the FIT SDK's CrcCalculator on any bytes and range", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length === 0 ? 0 : a % bytes.length;
        const end = start + (bytes.length === start ? 0 : b % (bytes.length - start + 1));
        expect(fitCrc(bytes, start, end)).toBe(CrcCalculator.calculateCRC(bytes, start, end));
      }),
      { numRuns: 500 },
    );
  });
  it('gives the check value of CRC-16/ARC', () => {
    expect(fitCrc(Buffer.from('123456789'), 0, 9)).toBe(0xbb3d);
    expect(fitCrc(Buffer.alloc(0), 0, 0)).toBe(0);
  });
});
