import { CrcCalculator, Encoder, Profile } from '@garmin/fitsdk';
import type { FileIdMesg, RecordMesg } from '@garmin/fitsdk';
import { Zip, ZipDeflate, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/index.js';
import { FitZipExtractor, verifyFit } from './fit.js';

function sampleFit(records = 50): Buffer {
  const enc = new Encoder();
  const start = new Date(Date.UTC(2026, 0, 8, 8, 10, 21));
  enc.onMesg(Profile.MesgNum.FILE_ID!, {
    type: 'activity',
    manufacturer: 'garmin',
    product: 1,
    serialNumber: 1234,
    timeCreated: start,
  } as FileIdMesg);
  for (let i = 0; i < records; i++) {
    enc.onMesg(Profile.MesgNum.RECORD!, {
      timestamp: new Date(start.getTime() + i * 1000),
      heartRate: 120 + (i % 30),
      distance: i * 3.1,
    } as RecordMesg);
  }
  return Buffer.from(enc.close());
}

function reason(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isAppError(e, 'FIT_INVALID')) return String(e.details.reason);
    throw e;
  }
  return undefined;
}

function streamedZip(name: string, data: Uint8Array): Buffer {
  // fflate's streaming Zip writes data descriptors (general purpose bit 3), as Garmin's ZIPs do.
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  const entry = new ZipDeflate(name, { level: 6 });
  zip.add(entry);
  entry.push(data, true);
  zip.end();
  return Buffer.concat(parts);
}

describe('verifyFit', () => {
  it('accepts a valid FIT file', () => {
    expect(() => verifyFit(sampleFit())).not.toThrow();
  });
  it('detects truncation', () => {
    const fit = sampleFit();
    expect(reason(() => verifyFit(fit.subarray(0, fit.length - 10)))).toBe('truncated');
    expect(reason(() => verifyFit(fit.subarray(0, 8)))).toBe('too short');
  });
  it('detects a flipped data byte (file CRC)', () => {
    const fit = Buffer.from(sampleFit());
    fit[fit.length - 20]! ^= 0xff;
    expect(reason(() => verifyFit(fit))).toBe('file CRC mismatch');
  });
  it('detects a corrupted header (header CRC) and a missing signature', () => {
    const fit = Buffer.from(sampleFit());
    fit[1] = fit[1]! ^ 0x01;
    expect(reason(() => verifyFit(fit))).toBe('header CRC mismatch');
    const noSig = Buffer.from(sampleFit());
    noSig.write('.FOO', 8, 'latin1');
    expect(reason(() => verifyFit(noSig))).toBe('missing .FIT signature');
  });
  it('detects bytes that pass the CRC but do not decode', () => {
    const fit = Buffer.from(sampleFit());
    const headerSize = fit[0]!;
    fit[headerSize] = 0x4f; // a definition record header for local type 15 …
    fit.fill(0xff, headerSize + 1, headerSize + 6); // … with an impossible architecture byte and field count
    fit.writeUInt16LE(CrcCalculator.calculateCRC(fit, 0, fit.length - 2), fit.length - 2);
    expect(reason(() => verifyFit(fit))).toBe('not decodable');
  });
  it('accepts chained FIT files and rejects trailing garbage', () => {
    expect(() => verifyFit(Buffer.concat([sampleFit(5), sampleFit(7)]))).not.toThrow();
    expect(reason(() => verifyFit(Buffer.concat([sampleFit(5), Buffer.from([1, 2, 3])])))).toBe('bad header size');
  });
});

describe('FitZipExtractor', () => {
  it('streams a ZIP with data descriptors chunk by chunk and returns the FIT entry', () => {
    const fit = sampleFit(500);
    const zip = streamedZip('123_ACTIVITY.fit', fit);
    const x = new FitZipExtractor();
    for (let i = 0; i < zip.length; i += 97) x.push(zip.subarray(i, i + 97));
    expect(x.finish().equals(fit)).toBe(true);
  });
  it('reads a ZIP made with sizes in the local header too', () => {
    const fit = sampleFit(20);
    const x = new FitZipExtractor();
    x.push(zipSync({ '9_ACTIVITY.fit': fit }));
    expect(x.finish().equals(fit)).toBe(true);
  });
  it('reports a truncated archive, garbage and an archive without FIT as FIT_INVALID', () => {
    const zip = streamedZip('1_ACTIVITY.fit', sampleFit(500));
    const truncated = new FitZipExtractor();
    truncated.push(zip.subarray(0, Math.floor(zip.length / 2)));
    expect(reason(() => truncated.finish())).toMatch(/truncated|broken/);
    const garbage = new FitZipExtractor();
    garbage.push(Buffer.from('<html>not a zip</html>'));
    expect(reason(() => garbage.finish())).toMatch(/no .fit entry|broken/);
    const noFit = new FitZipExtractor();
    noFit.push(zipSync({ 'readme.txt': Buffer.from('hi') }));
    expect(reason(() => noFit.finish())).toBe('no .fit entry in the ZIP archive');
  });
  it('refuses an entry larger than the limit', () => {
    const x = new FitZipExtractor(1000);
    x.push(streamedZip('1_ACTIVITY.fit', sampleFit(500)));
    expect(reason(() => x.finish())).toBe('FIT entry too large');
  });
});
