import { randomBytes } from 'node:crypto';
import { Zip, ZipDeflate, ZipPassThrough, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/index.js';
import { FitZipExtractor } from './fit-zip.js';

/** Bytes that compress like a FIT file (repetitive records with some noise); the extractor does not look inside. */
function payload(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i % 13) * 7 + (i % 251 === 0 ? (i >> 8) & 0xff : 0);
  return b;
}

function streamedZip(entries: { name: string; data: Uint8Array; stored?: boolean }[]): Buffer {
  // fflate's streaming Zip writes data descriptors (general purpose bit 3), as Garmin's ZIPs do.
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  for (const e of entries) {
    const entry = e.stored ? new ZipPassThrough(e.name) : new ZipDeflate(e.name, { level: 6 });
    zip.add(entry);
    entry.push(e.data, true);
  }
  zip.end();
  return Buffer.concat(parts);
}

async function extract(zip: Uint8Array, chunk = zip.length, max?: number): Promise<Buffer> {
  const x = new FitZipExtractor(max);
  try {
    for (let i = 0; i < zip.length; i += chunk) await x.push(zip.subarray(i, i + chunk));
    return await x.finish();
  } finally {
    x.dispose();
  }
}

async function reason(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e, 'FIT_INVALID')) return String(e.details.reason);
    throw e;
  }
  return undefined;
}

describe('FitZipExtractor', () => {
  it('streams a ZIP with data descriptors chunk by chunk (any chunk size) and returns the FIT entry', async () => {
    const fit = payload(200_000);
    const zip = streamedZip([{ name: '123_ACTIVITY.fit', data: fit }]);
    for (const chunk of [1, 7, 97, 16_384, zip.length]) expect((await extract(zip, chunk)).equals(fit)).toBe(true);
  });
  it('reads a ZIP made with sizes in the local header, a stored entry and incompressible bytes', async () => {
    const fit = randomBytes(50_000);
    expect((await extract(zipSync({ '9_ACTIVITY.fit': fit }), 1000)).equals(fit)).toBe(true);
    expect((await extract(zipSync({ '9_ACTIVITY.fit': [fit, { level: 0 }] }), 333)).equals(fit)).toBe(true);
    expect((await extract(zipSync({ 'empty.fit': new Uint8Array(0) }))).length).toBe(0);
  });
  it('skips entries before the FIT entry and ignores those after it', async () => {
    const fit = payload(30_000);
    const zip = zipSync({ 'readme.txt': payload(5000), 'a.FIT': fit, 'b.fit': payload(10) });
    expect((await extract(zip, 100)).equals(fit)).toBe(true);
    const after = streamedZip([
      { name: '1_ACTIVITY.fit', data: fit },
      { name: 'notes.txt', data: payload(3000) },
    ]);
    expect((await extract(after, 64)).equals(fit)).toBe(true);
  });
  it('reports a truncated archive, garbage, a damaged stream and an archive without FIT as FIT_INVALID', async () => {
    const zip = streamedZip([{ name: '1_ACTIVITY.fit', data: payload(100_000) }]);
    expect(await reason(extract(zip.subarray(0, Math.floor(zip.length / 2)), 500))).toBe('truncated ZIP archive');
    expect(await reason(extract(zip.subarray(0, 20)))).toBe('no .fit entry in the ZIP archive');
    expect(await reason(extract(Buffer.from('<html>not a zip</html>')))).toBe('broken ZIP archive');
    const damaged = Buffer.from(zip);
    damaged.fill(0xff, 60, 90);
    expect(await reason(extract(damaged, 40))).toMatch(/broken|truncated/);
    expect(await reason(extract(zipSync({ 'readme.txt': Buffer.from('hi') })))).toBe('no .fit entry in the ZIP archive');
    expect(await reason(extract(Buffer.alloc(0)))).toBe('no .fit entry in the ZIP archive');
    // A streamed entry before the FIT cannot be skipped without its size: refused, not guessed.
    const streamedFirst = streamedZip([
      { name: 'readme.txt', data: payload(100) },
      { name: '1.fit', data: payload(100) },
    ]);
    expect(await reason(extract(streamedFirst))).toBe('broken ZIP archive');
  });
  it('refuses an entry larger than the limit, deflated or stored', async () => {
    expect(await reason(extract(streamedZip([{ name: '1_ACTIVITY.fit', data: payload(100_000) }]), 1000, 1000))).toBe(
      'FIT entry too large',
    );
    expect(await reason(extract(zipSync({ '1.fit': [payload(5000), { level: 0 }] }), 100, 1000))).toBe('FIT entry too large');
  });
});
