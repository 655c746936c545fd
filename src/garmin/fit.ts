/**
 * FIT integrity checks (the unzip of Garmin's "original" download is fit-zip.ts). A FIT file is
 * handed on only after its header, header CRC, file CRC and record structure all pass, so a
 * corrupt or truncated download never reaches storage. Nothing here decodes field values: the
 * service stores the original bytes, and what needs records (GPX export) decodes them itself.
 */
import { AppError } from '../core/index.js';
import { fitCrc } from './fit-crc.js';
import { fitStructureError } from './fit-structure.js';

/** The one FIT_INVALID error of the client: every check (verification, unzip) names its reason. */
export function fitInvalid(reason: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('FIT_INVALID', `The FIT file failed its integrity check: ${reason}.`, { reason, ...details });
}

/**
 * Verifies a FIT file — the one verification function of this room (callers never check FIT
 * bytes any other way): for each (possibly chained) file its 12/14-byte header with ".FIT", the
 * header CRC when present, the declared length against the bytes received, and the file CRC (the
 * FIT SDK's CRC-16, fit-crc.ts); then the record structure (fit-structure.ts: what a full
 * @garmin/fitsdk decode would reject, without decoding field values). `Decoder.checkIntegrity` is not called: it checks only the first of chained
 * files, which the loop below already covers with a reason per failure.
 * Throws AppError FIT_INVALID (details.reason says which check failed).
 */
export function verifyFit(bytes: Buffer): void {
  if (bytes.length < 14) throw fitInvalid('too short', { size: bytes.length });
  let offset = 0;
  while (offset < bytes.length) {
    const headerSize = bytes[offset]!;
    if (headerSize !== 12 && headerSize !== 14) throw fitInvalid('bad header size', { offset });
    if (offset + headerSize > bytes.length) throw fitInvalid('truncated header', { offset });
    if (bytes.toString('latin1', offset + 8, offset + 12) !== '.FIT') throw fitInvalid('missing .FIT signature', { offset });
    if (headerSize === 14) {
      const headerCrc = bytes.readUInt16LE(offset + 12);
      if (headerCrc !== 0 && headerCrc !== fitCrc(bytes, offset, offset + 12)) throw fitInvalid('header CRC mismatch', { offset });
    }
    const dataSize = bytes.readUInt32LE(offset + 4);
    const end = offset + headerSize + dataSize;
    if (end + 2 > bytes.length) throw fitInvalid('truncated', { expected: end + 2, size: bytes.length });
    if (bytes.readUInt16LE(end) !== fitCrc(bytes, offset, end)) throw fitInvalid('file CRC mismatch', { offset });
    // Structure without a full decode (fit-structure.ts walks the records as the SDK's decoder does).
    const structure = fitStructureError(bytes, offset + headerSize, end);
    if (structure) throw fitInvalid('not decodable', { error: structure });
    offset = end + 2;
  }
}
