import { unzipSync, zipSync } from 'fflate';

/**
 * Corrupts the FIT inside an original-download ZIP: the ZIP stays valid (its own CRC is
 * recomputed), the FIT's trailing CRC no longer matches. This is the failure a client must
 * catch by verifying the FIT, not the transport.
 */
export function corruptFitZip(zip: Buffer): Buffer {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(zip));
  } catch {
    return zip;
  }
  const out: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(entries)) {
    out[name] = name.toLowerCase().endsWith('.fit') ? corruptFit(data) : data;
  }
  return Buffer.from(zipSync(out));
}

/** Flips one byte in the record area (after the 14-byte header, before the 2-byte CRC). */
export function corruptFit(fit: Uint8Array): Uint8Array {
  const copy = new Uint8Array(fit);
  if (copy.length > 16) {
    const i = 14 + Math.floor((copy.length - 16) / 2);
    copy[i] = copy[i]! ^ 0xff;
  }
  return copy;
}
