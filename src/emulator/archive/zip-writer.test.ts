import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipFileWriter } from './zip-writer.js';

/** Entries as yauzl reads them (it checks every CRC and size against the data): name → bytes, in file order. */
async function readZip(path: string): Promise<{ name: string; flag: number; method: number; data: Buffer }[]> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  const out: { name: string; flag: number; method: number; data: Buffer }[] = [];
  for await (const e of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const c of await zip.openReadStreamPromise(e)) chunks.push(c as Buffer);
    out.push({ name: e.fileName, flag: e.generalPurposeBitFlag, method: e.compressionMethod, data: Buffer.concat(chunks) });
  }
  zip.close();
  return out;
}

/** Compressible but not trivial bytes, deterministic. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = (x >>> 24) % 16;
  }
  return out;
}

describe('ZipFileWriter', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'gs-zipw-'))));
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('keeps the order entries were added in although small ones finish deflating first, with exact CRCs', async () => {
    const src = join(dir, 'inner.bin');
    const inner = bytes(3 << 20, 9);
    await writeFile(src, inner);
    const plan = [
      { name: 'big.bin', data: bytes(4 << 20, 1) },
      ...Array.from({ length: 20 }, (_, i) => ({ name: `small-${i}.fit`, data: bytes(100 + i * 37, i + 2) })),
      { name: 'empty.json', data: new Uint8Array(0) },
    ];
    const w = new ZipFileWriter(join(dir, 'a.zip'));
    for (const p of plan) await w.addBytes(p.name, p.data, Date.UTC(2026, 10, 30));
    await w.addBytes('folder/', new Uint8Array(0), Date.UTC(2026, 10, 30), true);
    await w.addFile('nested.zip', src, Date.UTC(2026, 10, 30));
    const size = await w.close();
    expect(size).toBe((await readFile(join(dir, 'a.zip'))).length);

    const got = await readZip(join(dir, 'a.zip'));
    expect(got.map((e) => e.name)).toEqual([...plan.map((p) => p.name), 'folder/', 'nested.zip']);
    for (const [i, p] of plan.entries()) {
      expect(got[i]!.method).toBe(8);
      expect(Buffer.from(p.data).equals(got[i]!.data), p.name).toBe(true);
    }
    const nested = got.at(-1)!;
    expect(nested.method).toBe(0);
    expect(nested.data.equals(Buffer.from(inner))).toBe(true);
    // Sizes and CRCs follow in data descriptors (general-purpose bit 3), as in Garmin's ZIPs.
    for (const e of got) expect(e.flag & 8).toBe(8);
  });

  it('writes the same bytes for the same entries', async () => {
    const write = async (file: string) => {
      const w = new ZipFileWriter(join(dir, file));
      for (let i = 0; i < 30; i++) await w.addBytes(`e${i}`, bytes(5000 + i * 1000, i), 1_700_000_000_000);
      await w.close();
      return readFile(join(dir, file));
    };
    expect((await write('x.zip')).equals(await write('y.zip'))).toBe(true);
  });
});
