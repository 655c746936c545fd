/**
 * The structural check of a FIT file's records, without decoding their fields: every record
 * header, every definition (known base types, the sizes it declares) and every data message (it
 * refers to a defined local type and fits in the file) is walked exactly as the FIT SDK's
 * `Decoder.read` walks them, and the records must end exactly where the header says the data
 * ends. It accepts every file a full SDK decode accepts and rejects every file whose record stream
 * the SDK finds broken, at a fraction of the cost (no field values, no profile look-ups, no
 * objects per message; bench/findings.md). It does not interpret field values: the service
 * stores the original bytes, and GPX export decodes the records it needs with the SDK.
 */

// FIT base types (FIT SDK `BaseTypeDefinitions`, keys after `& 0x1f`): 0x00–0x10.
const MAX_BASE_TYPE = 0x10;
const BASE_TYPE_MASK = 0x1f;
const COMPRESSED_HEADER = 0x80;
const DEFINITION = 0x40;
const DEV_DATA = 0x20;
const LOCAL_TYPE = 0x0f;
/** The record-header bits and base-type bounds, for the room's other record walk (fit-inspect.ts). */
export const FIT_RECORD = { COMPRESSED_HEADER, DEFINITION, DEV_DATA, LOCAL_TYPE, BASE_TYPE_MASK, MAX_BASE_TYPE } as const;

/**
 * Walks the records of one FIT file whose data section is bytes[start, end) and returns undefined
 * when they are well formed, else a short reason ("undefined local message type 3 at byte 120").
 * The header, the header CRC and the file CRC are checked by the caller.
 */
export function fitStructureError(bytes: Uint8Array, start: number, end: number): string | undefined {
  // Size of a data message of each local type (header byte excluded); -1: not defined yet.
  const sizes = new Int32Array(16).fill(-1);
  let p = start;
  while (p < end) {
    const header = bytes[p]!;
    if ((header & COMPRESSED_HEADER) !== 0) {
      // The SDK does not decode compressed-timestamp records: a file with one is not decodable.
      return `compressed timestamp record at byte ${p}`;
    }
    const local = header & LOCAL_TYPE;
    if ((header & DEFINITION) === 0) {
      const size = sizes[local]!;
      if (size < 0) return `undefined local message type ${local} at byte ${p}`;
      p += 1 + size;
      if (p > end) return `data message past the end of the data at byte ${p - 1 - size}`;
      continue;
    }
    // Definition: header, reserved, architecture, global number (2), field count, fields (3 each).
    if (p + 6 > end) return `definition past the end of the data at byte ${p}`;
    const fields = bytes[p + 5]!;
    let q = p + 6;
    if (q + fields * 3 > end) return `definition past the end of the data at byte ${p}`;
    let size = 0;
    for (let i = 0; i < fields; i++, q += 3) {
      if ((bytes[q + 2]! & BASE_TYPE_MASK) > MAX_BASE_TYPE) return `unknown base type in the definition at byte ${p}`;
      size += bytes[q + 1]!;
    }
    if ((header & DEV_DATA) !== 0) {
      if (q + 1 > end) return `definition past the end of the data at byte ${p}`;
      const devFields = bytes[q]!;
      q += 1;
      if (q + devFields * 3 > end) return `definition past the end of the data at byte ${p}`;
      for (let i = 0; i < devFields; i++, q += 3) size += bytes[q + 1]!;
    }
    sizes[local] = size;
    p = q;
  }
  // The SDK reads the CRC from where the last record ended; a record running over the declared
  // end leaves it reading the wrong bytes (or the next file), so that is an error here too.
  return p === end ? undefined : `records end at byte ${p}, not at the declared end ${end}`;
}
