import { Zip, ZipDeflate } from 'fflate';

/**
 * Wraps one file in a ZIP the way Garmin's download service does: a single deflated entry,
 * written in streaming mode so the local header carries general-purpose bit 3 and the sizes
 * and CRC follow in a data descriptor. fflate's synchronous `ZipDeflate` finishes within the
 * calls below, so the result is available when `end()` returns.
 */
export function zipSingleFile(filename: string, data: Uint8Array, mtimeMs: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  let done = false;
  const zip = new Zip((err, chunk, final) => {
    if (err) failure = err;
    else chunks.push(chunk);
    if (final) done = true;
  });
  // A fixed mtime keeps the bytes deterministic (fflate would otherwise use the current time).
  const entry = new ZipDeflate(filename, { level: 3 });
  entry.mtime = mtimeMs;
  zip.add(entry);
  entry.push(data, true);
  zip.end();
  if (failure) throw failure;
  if (!done) throw new Error('ZIP stream did not finish synchronously');
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
