/**
 * What the archive importer needs to know of a FIT file — its first `file_id.type` (most files of
 * an account export are monitoring, sleep or housekeeping files, not activities:
 * garmin-archive.md §4) and its first session's `start_time` (to match it to its activity) — read
 * by walking the records and decoding only those two messages. A full @garmin/fitsdk decode built
 * an object per record of every file to learn the same two values; over the tens of thousands of
 * FITs of a real archive that churn was most of the import's heap growth (bench/findings.md,
 * issue 16 row 9). It reads what the SDK's `Decoder.read` reads, damaged files included (the same
 * stopping points, the same value rules: test/sync/fit-inspect-sdk.test.ts holds it to the SDK),
 * so the importer takes the same decision as before. It judges nothing: `verifyFit` checks every
 * file the importer keeps, as for API downloads.
 */
import { fitCrc } from './fit-crc.js';
import { dateTimeMs, fileTypeOf, loadSdkTables, mayThrow, rawValue, sdkThrows, type Raw } from './fit-sdk-values.js';
import { FIT_RECORD } from './fit-structure.js';

export interface FitFacts {
  /**
   * `type` of the first file_id message as the SDK gives it: the FIT profile's name ('activity',
   * 'monitoringB') or the raw value where the profile has none; undefined without a readable one.
   */
  type: string | number | bigint | undefined;
  /**
   * `start_time` of the first session message (epoch ms; NaN where the SDK's Date is invalid).
   * Read only while the file may be an activity: undefined once file_id says it is not.
   */
  startMs: number | undefined;
}

const MESG_FILE_ID = 0;
const MESG_SESSION = 18;
const FIELD_FILE_TYPE = 0;
const FIELD_START_TIME = 2;

interface Definition {
  global: number;
  le: boolean;
  /** Offset of the first field definition (3 bytes each). */
  fieldsAt: number;
  fieldCount: number;
  /** Size of a data message's body, developer fields included. */
  size: number;
  /** A data message of it may end the SDK's decode (fit-sdk-values.ts `mayThrow`). */
  risky: boolean;
}

/** The SDK's value of field `num` in a message: each field overwrites the one before unless it is null. */
function fieldValue(bytes: Uint8Array, view: DataView, def: Definition, at: number, num: number): Raw {
  let value: Raw = null;
  for (let i = 0, q = def.fieldsAt; i < def.fieldCount; i++, q += 3) {
    const size = bytes[q + 1]!;
    if (bytes[q] === num) value = rawValue(bytes, view, at, size, bytes[q + 2]! & FIT_RECORD.BASE_TYPE_MASK, def.le) ?? value;
    at += size;
  }
  return value;
}

/**
 * Reads {@link FitFacts} from a FIT file (chained files included). Never throws: where the SDK's
 * decode stops (a header that is no FIT header, a compressed-timestamp record, a base type it does
 * not know, an undefined local message type, a record past the end of the bytes, a file CRC that
 * does not match before a chained file) it stops too, keeping what it read before. Like the SDK it
 * reads records up to the declared data size even past it into the following bytes. It returns as
 * soon as both values are known, or file_id says the file is no activity.
 */
function inspectFit(bytes: Uint8Array): FitFacts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  const defs: (Definition | undefined)[] = new Array<Definition | undefined>(16);
  const facts: FitFacts = { type: undefined, startMs: undefined };
  let fileIdKept = false;
  let sessionKept = false;
  let offset = 0;
  while (offset < n) {
    const headerSize = bytes[offset]!;
    if (headerSize !== 12 && headerSize !== 14) return facts;
    if (n < headerSize + 2 || offset + headerSize > n) return facts;
    if (bytes[offset + 8] !== 0x2e || bytes[offset + 9] !== 0x46 || bytes[offset + 10] !== 0x49 || bytes[offset + 11] !== 0x54)
      return facts; // ".FIT"
    const dataEnd = offset + headerSize + view.getUint32(offset + 4, true);
    let p = offset + headerSize;
    while (p < dataEnd) {
      if (p >= n) return facts;
      const header = bytes[p]!;
      if ((header & FIT_RECORD.COMPRESSED_HEADER) !== 0) return facts;
      if ((header & FIT_RECORD.DEFINITION) !== 0) {
        if (p + 6 > n) return facts;
        const le = bytes[p + 2] === 0;
        const fieldCount = bytes[p + 5]!;
        let q = p + 6;
        let size = 0;
        for (let i = 0; i < fieldCount; i++, q += 3) {
          if (q + 3 > n || (bytes[q + 2]! & FIT_RECORD.BASE_TYPE_MASK) > FIT_RECORD.MAX_BASE_TYPE) return facts;
          size += bytes[q + 1]!;
        }
        if ((header & FIT_RECORD.DEV_DATA) !== 0) {
          if (q + 1 > n) return facts;
          const devCount = bytes[q]!;
          q += 1;
          if (q + devCount * 3 > n) return facts;
          for (let i = 0; i < devCount; i++, q += 3) size += bytes[q + 1]!;
        }
        const global = view.getUint16(p + 3, le);
        defs[header & FIT_RECORD.LOCAL_TYPE] = {
          global,
          le,
          fieldsAt: p + 6,
          fieldCount,
          size,
          risky: mayThrow(bytes, global, p + 6, fieldCount),
        };
        p = q;
        continue;
      }
      const def = defs[header & FIT_RECORD.LOCAL_TYPE];
      if (!def || p + 1 + def.size > n) return facts;
      if (def.risky && sdkThrows(bytes, view, def.global, def.le, def.fieldsAt, def.fieldCount, p + 1)) return facts;
      if (def.global === MESG_FILE_ID && !fileIdKept) {
        fileIdKept = true;
        facts.type = fileTypeOf(fieldValue(bytes, view, def, p + 1, FIELD_FILE_TYPE));
        if (facts.type !== undefined && facts.type !== 'activity') return { type: facts.type, startMs: undefined };
        if (sessionKept) return facts;
      } else if (def.global === MESG_SESSION && !sessionKept) {
        sessionKept = true;
        facts.startMs = dateTimeMs(fieldValue(bytes, view, def, p + 1, FIELD_START_TIME));
        if (fileIdKept) return facts;
      }
      p += 1 + def.size;
    }
    // The SDK reads the file CRC where the records ended and stops on a mismatch; only a chained file after it needs the check.
    if (p + 2 >= n || bytes[p]! + (bytes[p + 1]! << 8) !== fitCrc(bytes, offset, p)) return facts;
    offset = p + 2;
  }
  return facts;
}

/**
 * The inspector, once the SDK's profile (the tables of fit-sdk-values.ts) is loaded: the archive
 * importer awaits it before its FIT pass, so a service that never imports never loads the SDK.
 */
export async function fitInspector(): Promise<(bytes: Uint8Array) => FitFacts> {
  await loadSdkTables();
  return inspectFit;
}
