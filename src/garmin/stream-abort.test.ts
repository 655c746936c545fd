import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Zip, ZipDeflate } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFetch } from '../transport/index.js';
import type { TransportResponse } from '../transport/index.js';
import { FitZipExtractor } from './fit-zip.js';
import { BodyReadError, streamBody } from './upstream-answer.js';

/** A deflated `.fit` entry large enough that one push meets the inflater's back-pressure. */
function bigZip(): Buffer {
  const data = Buffer.alloc(3_000_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, c) => {
    if (err) throw err;
    parts.push(c);
  });
  const e = new ZipDeflate('a.fit', { level: 1 });
  zip.add(e);
  e.push(data, true);
  zip.end();
  return Buffer.concat(parts);
}

/**
 * A body that hands out `chunks` and then neither ends nor fails — what fetch's body did after
 * its request was aborted while no read was pending (the shutdown hang). `fail` errors it instead,
 * or 'end' ends it.
 */
function webBody(chunks: Uint8Array[], fail?: Error | 'end'): Promise<TransportResponse> {
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++]!);
      else if (fail === 'end') c.close();
      else if (fail) c.error(fail);
      else return new Promise<void>(() => undefined);
    },
  });
  return Promise.resolve(new Response(stream));
}

// The same bodies sent by a real node:http server on 127.0.0.1 and read through the transport the
// Garmin client uses (transport/'s node fetch, with its keep-alive agents): `fail` resets the
// socket instead of the stream's error, and without it the answer is left open.
const planned = new Map<string, { chunks: Uint8Array[]; fail?: Error | 'end' }>();
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const plan = planned.get(req.url!)!;
    res.writeHead(200, { 'content-type': 'application/zip' });
    res.flushHeaders();
    for (const c of plan.chunks) res.write(c);
    if (plan.fail === 'end') res.end();
    else if (plan.fail) setTimeout(() => res.socket?.resetAndDestroy(), 10);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
const transport = createNodeFetch({ ownKeepAliveAgents: true });
let served = 0;
function nodeBody(signal: AbortSignal): (chunks: Uint8Array[], fail?: Error | 'end') => Promise<TransportResponse> {
  return (chunks, fail) => {
    const path = `/${served++}`;
    planned.set(path, { chunks, ...(fail ? { fail } : {}) });
    // The download's signal goes to the request too, as http.ts passes its combined signal to both.
    return transport(`${base}${path}`, { signal });
  };
}

/** Settles within `ms` or says it hung. */
function within<T>(p: Promise<T>, ms = 1000): Promise<{ ok: true; value: T } | { ok: false; error: unknown } | 'hung'> {
  return Promise.race([
    p.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms).unref()),
  ]);
}

/** The download's body path as connect.ts runs it. */
async function download(res: TransportResponse, signal: AbortSignal, onPush?: (n: number) => void): Promise<Buffer> {
  const unzip = new FitZipExtractor();
  let n = 0;
  try {
    await streamBody(
      res,
      async (c) => {
        onPush?.(n++);
        await unzip.push(c);
      },
      signal,
    );
    return await unzip.finish();
  } finally {
    unzip.dispose();
  }
}

const zip = bigZip();
type Source = (signal: AbortSignal) => (chunks: Uint8Array[], fail?: Error | 'end') => Promise<TransportResponse>;
const sources: [string, Source][] = [
  ['a web stream that stops answering (fetch’s body after an abort)', () => webBody],
  ['the node:http transport, from a real server', nodeBody],
];

describe.each(sources)('an aborted download settles on every path: %s', (_name, source) => {
  const reason = new Error('worker pool stopping');
  const isNode = source === nodeBody;

  async function expectAborted(p: Promise<unknown>, signal: AbortSignal) {
    const r = await within(p);
    expect(r).not.toBe('hung');
    if (r === 'hung' || r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r)}`);
    expect(r.error).toBeInstanceOf(BodyReadError);
    expect((r.error as BodyReadError).cause).toBe(reason);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  }

  it('before the first chunk', async () => {
    const ac = new AbortController();
    const p = download(await source(ac.signal)([]), ac.signal);
    ac.abort(reason);
    await expectAborted(p, ac.signal);
  });

  it('mid-entry, the deflate stream partly fed, while the next read is pending', async () => {
    const ac = new AbortController();
    const p = download(await source(ac.signal)([zip.subarray(0, 4000)]), ac.signal, () => setTimeout(() => ac.abort(reason), 5));
    await expectAborted(p, ac.signal);
  });

  it('while a push waits on the inflater’s back-pressure', async () => {
    const ac = new AbortController();
    // One big chunk: write() returns false, push waits for 'drain' when the abort comes.
    const p = download(await source(ac.signal)([zip.subarray(0, zip.length - 200)]), ac.signal, () =>
      queueMicrotask(() => ac.abort(reason)),
    );
    await expectAborted(p, ac.signal);
  });

  it('after the last chunk of the entry, before the body ends', async () => {
    const ac = new AbortController();
    const p = download(await source(ac.signal)([zip]), ac.signal, () => setTimeout(() => ac.abort(reason), 20));
    await expectAborted(p, ac.signal);
  });

  it('a body that errors rejects with BodyReadError and leaves no listener', async () => {
    const ac = new AbortController();
    const broken = new Error('socket reset');
    const r = await within(download(await source(ac.signal)([zip.subarray(0, 5000)], broken), ac.signal));
    if (r === 'hung' || r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r)}`);
    expect(r.error).toBeInstanceOf(BodyReadError);
    // The server's reset reaches the body read as node's 'aborted' error (fetch's: TypeError 'terminated').
    if (isNode) expect((r.error as BodyReadError).cause).toMatchObject({ code: 'ECONNRESET' });
    else expect((r.error as BodyReadError).cause).toBe(broken);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('a whole body still unzips, and leaves no listener', async () => {
    const ac = new AbortController();
    const r = await within(download(await source(ac.signal)([zip.subarray(0, 70_000), zip.subarray(70_000)], 'end'), ac.signal));
    if (r === 'hung' || !r.ok) throw new Error(`expected the FIT, got ${JSON.stringify(r)}`);
    expect(r.value.length).toBe(3_000_000);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });
});

describe('the unzip of an aborted download', () => {
  it('a push after dispose() returns instead of waiting for a closed inflater', async () => {
    const x = new FitZipExtractor();
    await x.push(zip.subarray(0, 100));
    x.dispose();
    await new Promise((r) => setTimeout(r, 10));
    expect(await within(x.push(zip.subarray(100, 200_000)))).toEqual({ ok: true, value: undefined });
    const f = await within(x.finish());
    expect(f !== 'hung' && !f.ok && (f.error as { code?: string }).code).toBe('FIT_INVALID');
  });
});
