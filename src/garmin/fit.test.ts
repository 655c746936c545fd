import { CrcCalculator, Encoder, Profile } from '@garmin/fitsdk';
import type { FileIdMesg, RecordMesg } from '@garmin/fitsdk';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/index.js';
import { verifyFit } from './fit.js';

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
