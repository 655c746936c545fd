import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createAccountData } from './index.js';
import { TEST_IDENTITY, TEST_OPTIONS } from './testing.fixtures.js';
import { zipSingleFile } from './zip.js';

describe('download ZIP', () => {
  it('holds one deflated {id}_ACTIVITY.fit written with a data descriptor (bit 3)', () => {
    const data = createAccountData(TEST_IDENTITY, TEST_OPTIONS);
    const id = data.activityIds()[0]!;
    const zip = Buffer.from(data.zipBytes(id)!);
    // Local file header.
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    const flags = zip.readUInt16LE(6);
    expect(flags & 0x0008).toBe(0x0008);
    expect(zip.readUInt16LE(8)).toBe(8); // deflate
    // With bit 3 the local header's CRC and sizes are zero; they follow the data.
    expect(zip.readUInt32LE(14)).toBe(0);
    const nameLength = zip.readUInt16LE(26);
    expect(zip.subarray(30, 30 + nameLength).toString()).toBe(`${id}_ACTIVITY.fit`);
    // A data descriptor signature after the compressed data, and exactly one central entry.
    expect(zip.indexOf(Buffer.from([0x50, 0x4b, 0x07, 0x08]))).toBeGreaterThan(30);
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    expect(zip.readUInt16LE(eocd + 10)).toBe(1);
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual([`${id}_ACTIVITY.fit`]);
    expect(Buffer.from(files[`${id}_ACTIVITY.fit`]!).equals(Buffer.from(data.fitBytes(id)!))).toBe(true);
    // Compressed: smaller than the FIT inside.
    expect(zip.length).toBeLessThan(data.fitBytes(id)!.length);
  });

  it('is deterministic (fixed mtime)', () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    const a = Buffer.from(zipSingleFile('x.fit', bytes, Date.UTC(2026, 0, 1)));
    const b = Buffer.from(zipSingleFile('x.fit', bytes, Date.UTC(2026, 0, 1)));
    expect(a.equals(b)).toBe(true);
  });
});
