import { CrcCalculator, Decoder, Encoder, Profile, Stream } from '@garmin/fitsdk';
import type { FileIdMesg, RecordMesg } from '@garmin/fitsdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitStructureError } from './fit-structure.js';

function sampleFit(records: number): Buffer {
  const enc = new Encoder();
  const start = new Date(Date.UTC(2026, 0, 8, 8, 10, 21));
  enc.onMesg(Profile.MesgNum.FILE_ID!, { type: 'activity', manufacturer: 'garmin', product: 1, timeCreated: start } as FileIdMesg);
  for (let i = 0; i < records; i++) {
    const rec = { timestamp: new Date(start.getTime() + i * 1000), heartRate: 120 + (i % 30) } as RecordMesg;
    // Alternate two record shapes, so that the file has several local message types.
    if (i % 2 === 0) Object.assign(rec, { distance: i * 3.1, positionLat: 600_000_000 + i, positionLong: 100_000 + i });
    enc.onMesg(Profile.MesgNum.RECORD!, rec);
  }
  return Buffer.from(enc.close());
}

/**
 * What a full SDK decode says about the file (the check this module replaces): 'ok', 'structure'
 * (the SDK's own "FIT Runtime Error": the record stream is broken) or 'values' (the records are
 * well formed but the SDK's field post-processing throws, e.g. a record field number re-declared
 * with another base type — field semantics, which the service never interprets).
 */
function sdkVerdict(fit: Buffer): 'ok' | 'structure' | 'values' {
  const { errors } = new Decoder(Stream.fromByteArray(fit)).read({
    expandSubFields: false,
    expandComponents: false,
    applyScaleAndOffset: false,
    convertTypesToStrings: false,
    convertDateTimesToDates: false,
    mergeHeartRates: false,
  });
  if (errors.length === 0) return 'ok';
  return String(errors[0]).includes('FIT Runtime Error') ? 'structure' : 'values';
}

function structureOk(fit: Buffer): boolean {
  const headerSize = fit[0]!;
  return fitStructureError(fit, headerSize, headerSize + fit.readUInt32LE(4)) === undefined;
}

/** Applies byte edits inside the data section and re-seals the file CRC, so only structure differs. */
function mutated(base: Buffer, edits: [number, number][]): Buffer {
  const fit = Buffer.from(base);
  const headerSize = fit[0]!;
  const dataEnd = headerSize + fit.readUInt32LE(4);
  for (const [at, value] of edits) fit[headerSize + (at % (dataEnd - headerSize))] = value;
  fit.writeUInt16LE(CrcCalculator.calculateCRC(fit, 0, dataEnd), dataEnd);
  return fit;
}

describe('fitStructureError', () => {
  it('accepts what the SDK decodes', () => {
    for (const n of [0, 1, 2, 50, 500]) expect(fitStructureError(sampleFit(n), 14, 14 + sampleFit(n).readUInt32LE(4))).toBeUndefined();
  });

  it('says why: an undefined local type, a record past the end, a compressed timestamp', () => {
    const fit = sampleFit(3);
    const h = fit[0]!;
    expect(fitStructureError(mutated(fit, [[0, 0x03]]), h, h + fit.readUInt32LE(4))).toMatch(/undefined local message type 3/);
    expect(fitStructureError(fit, h, h + fit.readUInt32LE(4) - 1)).toMatch(/past the end|declared end/);
    expect(fitStructureError(mutated(fit, [[0, 0x80]]), h, h + fit.readUInt32LE(4))).toMatch(/compressed timestamp/);
  });

  it('agrees with a full SDK decode on CRC-valid files with corrupted records', () => {
    const bases = [sampleFit(4), sampleFit(40)];
    let agreed = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (which, edits) => {
          const fit = mutated(bases[which]!, edits);
          const sdk = sdkVerdict(fit);
          // Never stricter than the SDK; as strict wherever the SDK finds the structure broken.
          if (sdk === 'ok') expect(structureOk(fit)).toBe(true);
          if (sdk === 'structure') expect(structureOk(fit)).toBe(false);
          if (sdk !== 'values') agreed++;
        },
      ),
      { numRuns: 3000 },
    );
    // The comparison must have been made, mostly: value-level SDK failures are rare.
    expect(agreed).toBeGreaterThan(2500);
  });
});
