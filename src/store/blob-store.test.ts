import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../core/index.js';
import { BlobStore } from './index.js';

describe('BlobStore', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'garminsync-blobs-'));
    dirs.push(d);
    return new BlobStore(d);
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('stores content under its sha256 once, atomically, and reads it back', async () => {
    const store = fresh();
    const bytes = Buffer.from('a FIT file, honestly');
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(await store.put(bytes)).toEqual({ sha256: sha, size: bytes.length });
    expect(await store.put(bytes)).toEqual({ sha256: sha, size: bytes.length });
    expect(await store.has(sha)).toBe(true);
    expect(await store.read(sha)).toEqual(bytes);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]); // no temp file left behind
    const { stream, size } = await store.open(sha);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(size).toBe(bytes.length);
    expect(Buffer.concat(chunks)).toEqual(bytes);
  });

  it('hashes a stream of chunks while writing', async () => {
    const store = fresh();
    const parts = [Buffer.from('abc'), Buffer.from('def')];
    async function* gen() {
      yield* parts;
    }
    const ref = await store.putStream(gen());
    expect(ref.sha256).toBe(createHash('sha256').update('abcdef').digest('hex'));
    expect(ref.size).toBe(6);
  });

  it('answers NOT_FOUND for a missing blob and refuses non-sha256 addresses', async () => {
    const store = fresh();
    const missing = 'f'.repeat(64);
    expect(await store.has(missing)).toBe(false);
    expect(isAppError(await store.read(missing).catch((e: unknown) => e), 'NOT_FOUND')).toBe(true);
    expect(isAppError(await store.open(missing).catch((e: unknown) => e), 'NOT_FOUND')).toBe(true);
    expect(() => store.pathOf('../../etc/passwd')).toThrow();
  });
});
