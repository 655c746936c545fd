/**
 * FIT integrity checks and the streaming unzip of Garmin's "original" download. A FIT file is
 * handed on only after its header, header CRC, file CRC and record structure all pass, so a
 * corrupt or truncated download never reaches storage. Nothing here decodes field values: the
 * service stores the original bytes, and what needs records (GPX export) decodes them itself.
 */
import { CrcCalculator } from '@garmin/fitsdk';
import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { AppError } from '../core/index.js';
import { fitStructureError } from './fit-structure.js';

function invalid(reason: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('FIT_INVALID', `The FIT file failed its integrity check: ${reason}.`, { reason, ...details });
}

/**
 * Verifies a FIT file — the one verification function of this room (callers never check FIT
 * bytes any other way): for each (possibly chained) file its 12/14-byte header with ".FIT", the
 * header CRC when present, the declared length against the bytes received, and the file CRC (CRCs
 * by the FIT SDK's CrcCalculator); then the record structure (fit-structure.ts: what a full
 * @garmin/fitsdk decode would reject, without decoding field values). `Decoder.checkIntegrity` is not called: it checks only the first of chained
 * files, which the loop below already covers with a reason per failure.
 * Throws AppError FIT_INVALID (details.reason says which check failed).
 */
export function verifyFit(bytes: Buffer): void {
  if (bytes.length < 14) throw invalid('too short', { size: bytes.length });
  let offset = 0;
  while (offset < bytes.length) {
    const headerSize = bytes[offset]!;
    if (headerSize !== 12 && headerSize !== 14) throw invalid('bad header size', { offset });
    if (offset + headerSize > bytes.length) throw invalid('truncated header', { offset });
    if (bytes.toString('latin1', offset + 8, offset + 12) !== '.FIT') throw invalid('missing .FIT signature', { offset });
    if (headerSize === 14) {
      const headerCrc = bytes.readUInt16LE(offset + 12);
      if (headerCrc !== 0 && headerCrc !== CrcCalculator.calculateCRC(bytes, offset, offset + 12))
        throw invalid('header CRC mismatch', { offset });
    }
    const dataSize = bytes.readUInt32LE(offset + 4);
    const end = offset + headerSize + dataSize;
    if (end + 2 > bytes.length) throw invalid('truncated', { expected: end + 2, size: bytes.length });
    if (bytes.readUInt16LE(end) !== CrcCalculator.calculateCRC(bytes, offset, end)) throw invalid('file CRC mismatch', { offset });
    // Structure without a full decode (fit-structure.ts walks the records as the SDK's decoder does).
    const structure = fitStructureError(bytes, offset + headerSize, end);
    if (structure) throw invalid('not decodable', { error: structure });
    offset = end + 2;
  }
}

/**
 * A streaming unzipper for Garmin's original-download ZIP: push network chunks as they arrive,
 * then `finish()` returns the bytes of the one `.fit` entry (preferring `*_ACTIVITY.fit`).
 * Compressed bytes are never held whole; entries larger than `maxBytes` are refused.
 */
export class FitZipExtractor {
  private readonly unzip: Unzip;
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private entryName: string | null = null;
  private entryDone = false;
  private failure: unknown = null;

  constructor(private readonly maxBytes = 256 * 1024 * 1024) {
    this.unzip = new Unzip((file) => {
      // One FIT per original download; other entries (none seen so far) are skipped.
      if (this.entryName !== null || !/\.fit$/i.test(file.name)) return;
      this.entryName = file.name;
      file.ondata = (err, data, final) => {
        if (err) {
          this.failure = err;
          return;
        }
        this.size += data.length;
        if (this.size > this.maxBytes) {
          this.failure = invalid('FIT entry too large', { max: this.maxBytes });
          file.terminate();
          return;
        }
        this.chunks.push(data);
        if (final) this.entryDone = true;
      };
      file.start();
    });
    this.unzip.register(UnzipInflate);
    this.unzip.register(UnzipPassThrough);
  }

  push(chunk: Uint8Array): void {
    if (this.failure) return;
    try {
      this.unzip.push(chunk, false);
    } catch (e) {
      this.failure = e;
    }
  }

  /** Ends the stream and returns the FIT bytes; FIT_INVALID when the archive is broken or has no FIT. */
  finish(): Buffer {
    if (!this.failure) {
      try {
        this.unzip.push(new Uint8Array(0), true);
      } catch (e) {
        this.failure = e;
      }
    }
    if (this.failure) {
      if (this.failure instanceof AppError) throw this.failure;
      throw invalid('broken ZIP archive', { error: String(this.failure) });
    }
    if (this.entryName === null) throw invalid('no .fit entry in the ZIP archive');
    if (!this.entryDone) throw invalid('truncated ZIP archive', { entry: this.entryName });
    return Buffer.concat(this.chunks);
  }
}
