import { CrcCalculator } from '@garmin/fitsdk';

/**
 * A fast path for FIT `record` messages, and the splicing of FIT data sections.
 *
 * Why: @garmin/fitsdk's Encoder builds and compares a message definition for every message
 * (~130 µs each), which makes a one-hour activity cost half a second and a 300-activity sync
 * minutes of emulator CPU. The few summary messages still go through the SDK's Encoder; the
 * thousands of records are written here with one definition and fixed-layout data messages,
 * exactly as the FIT protocol lays them out. Because every chunk starts with its own
 * definitions, chunks can be concatenated into one valid file; the SDK's Decoder is the judge
 * (see the tests).
 */

export interface RecordRow {
  /** FIT timestamp: seconds since 1989-12-31T00:00:00Z. */
  timestamp: number;
  lat?: number;
  lon?: number;
  /** Metres. */
  altitude?: number;
  heartRate: number;
  cadence?: number;
  /** Metres. */
  distance?: number;
  /** m/s. */
  speed?: number;
}

const LOCAL_NUM = 15; // the SDK Encoder uses local numbers from 0 up; 15 stays clear of them
const RECORD_MESG = 20;

interface FieldDef {
  num: number;
  size: number;
  baseType: number;
  write: (view: DataView, at: number, row: RecordRow) => void;
}

const clampU = (v: number, max: number) => Math.max(0, Math.min(max, Math.round(v)));

const FIELDS: Record<string, FieldDef> = {
  timestamp: { num: 253, size: 4, baseType: 0x86, write: (v, at, r) => v.setUint32(at, r.timestamp, true) },
  lat: { num: 0, size: 4, baseType: 0x85, write: (v, at, r) => v.setInt32(at, r.lat ?? 0x7fffffff, true) },
  lon: { num: 1, size: 4, baseType: 0x85, write: (v, at, r) => v.setInt32(at, r.lon ?? 0x7fffffff, true) },
  // altitude: scale 5, offset 500 (FIT profile)
  altitude: {
    num: 2,
    size: 2,
    baseType: 0x84,
    write: (v, at, r) => v.setUint16(at, r.altitude === undefined ? 0xffff : clampU((r.altitude + 500) * 5, 0xfffe), true),
  },
  heartRate: { num: 3, size: 1, baseType: 0x02, write: (v, at, r) => v.setUint8(at, clampU(r.heartRate, 0xfe)) },
  cadence: {
    num: 4,
    size: 1,
    baseType: 0x02,
    write: (v, at, r) => v.setUint8(at, r.cadence === undefined ? 0xff : clampU(r.cadence, 0xfe)),
  },
  // distance: scale 100; speed: scale 1000
  distance: {
    num: 5,
    size: 4,
    baseType: 0x86,
    write: (v, at, r) => v.setUint32(at, r.distance === undefined ? 0xffffffff : clampU(r.distance * 100, 0xfffffffe), true),
  },
  speed: {
    num: 6,
    size: 2,
    baseType: 0x84,
    write: (v, at, r) => v.setUint16(at, r.speed === undefined ? 0xffff : clampU(r.speed * 1000, 0xfffe), true),
  },
};

/** Encodes record messages (a definition, then one data message per row) as a FIT data chunk. */
export function encodeRecordChunk(
  rows: readonly RecordRow[],
  present: { position: boolean; altitude: boolean; cadence: boolean; distance: boolean },
): Uint8Array {
  const names = ['timestamp'];
  if (present.position) names.push('lat', 'lon');
  if (present.altitude) names.push('altitude');
  names.push('heartRate');
  if (present.cadence) names.push('cadence');
  if (present.distance) names.push('distance', 'speed');
  const fields = names.map((n) => FIELDS[n]).filter((f): f is FieldDef => f !== undefined);
  const rowSize = 1 + fields.reduce((s, f) => s + f.size, 0);
  const defSize = 6 + fields.length * 3;
  const out = new Uint8Array(defSize + rows.length * rowSize);
  const view = new DataView(out.buffer);
  let at = 0;
  view.setUint8(at++, 0x40 | LOCAL_NUM); // definition message header
  view.setUint8(at++, 0); // reserved
  view.setUint8(at++, 0); // little endian
  view.setUint16(at, RECORD_MESG, true);
  at += 2;
  view.setUint8(at++, fields.length);
  for (const f of fields) {
    view.setUint8(at++, f.num);
    view.setUint8(at++, f.size);
    view.setUint8(at++, f.baseType);
  }
  for (const row of rows) {
    view.setUint8(at++, LOCAL_NUM);
    for (const f of fields) {
      f.write(view, at, row);
      at += f.size;
    }
  }
  return out;
}

const HEADER_SIZE = 14;

/** The data section of a complete FIT file made by the SDK Encoder (without header and CRC). */
export function dataSection(fitFile: Uint8Array): Uint8Array {
  return fitFile.subarray(HEADER_SIZE, fitFile.length - 2);
}

/**
 * Joins data chunks into one FIT file, reusing the header of an SDK-made file (protocol and
 * profile versions) with the new data size, header CRC and file CRC.
 */
export function assembleFit(headerFrom: Uint8Array, chunks: readonly Uint8Array[]): Uint8Array {
  const dataSize = chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(HEADER_SIZE + dataSize + 2);
  out.set(headerFrom.subarray(0, HEADER_SIZE), 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, dataSize, true);
  view.setUint16(12, CrcCalculator.calculateCRC(out, 0, 12), true);
  let at = HEADER_SIZE;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  view.setUint16(at, CrcCalculator.calculateCRC(out, 0, at), true);
  return out;
}
