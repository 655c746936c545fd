// Compressed answers: like fetch, the transport asks for gzip/deflate/br unless the caller says
// otherwise and hands back the decoded body (real Garmin compresses its JSON when asked; the
// emulator and our service never do). Against a real node:http server on 127.0.0.1, each case
// also through the global fetch as the reference.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFetch, type TransportFetch } from './node-fetch.js';

const DOC = JSON.stringify({ activities: Array.from({ length: 200 }, (_, i) => ({ activityId: i, name: `Run ${i}` })) });
const ENCODE: Record<string, (b: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

let server: Server;
let base = '';
let lastHeaders: IncomingHttpHeaders = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    lastHeaders = req.headers;
    const url = new URL(req.url!, 'http://x');
    const encoding = url.pathname.slice(1);
    const encode = ENCODE[encoding];
    if (url.pathname === '/stall') {
      // Half a gzip stream, then nothing: the caller's abort must end the read.
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.write(gzipSync(Buffer.from(DOC)).subarray(0, 40));
      return;
    }
    if (!encode || !String(req.headers['accept-encoding'] ?? '').includes(encoding)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(DOC);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
    res.end(encode(Buffer.from(DOC)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const transports: Array<[string, TransportFetch]> = [
  ['node transport', createNodeFetch({ ownKeepAliveAgents: true })],
  ['global fetch', globalThis.fetch as unknown as TransportFetch],
];

describe.each(transports)('compressed answers through the %s', (_name, fetchLike) => {
  it.each([
    ['gzip', {}],
    ['deflate', {}],
    ['br', { 'accept-encoding': 'br' }],
  ])('%s: asked for (by default, br when the caller asks), read decoded as JSON and as a stream', async (encoding, headers) => {
    const r1 = await fetchLike(`${base}/${encoding}`, { headers });
    expect(lastHeaders['accept-encoding']).toContain(encoding);
    expect(lastHeaders.accept).toBe('*/*');
    expect(r1.headers.get('content-encoding')).toBe(encoding);
    expect(await r1.json()).toEqual(JSON.parse(DOC));
    const r2 = await fetchLike(`${base}/${encoding}`, { headers });
    const reader = r2.body!.getReader();
    const parts: Uint8Array[] = [];
    for (let c = await reader.read(); !c.done; c = await reader.read()) parts.push(c.value);
    expect(Buffer.concat(parts).toString('utf8')).toBe(DOC);
  });

  it("a caller's accept-encoding wins: identity gets the plain body", async () => {
    const r = await fetchLike(`${base}/gzip`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(lastHeaders['accept-encoding']).toBe('identity');
    expect(r.headers.get('content-encoding')).toBeNull();
    expect(await r.text()).toBe(DOC);
  });

  it('an abort while a compressed body stalls ends the read with the reason', async () => {
    const ctl = new AbortController();
    const r = await fetchLike(`${base}/stall`, { signal: ctl.signal });
    const reading = r.text();
    setTimeout(() => ctl.abort(new Error('stop reading')), 50);
    await expect(reading).rejects.toThrow(/stop reading|aborted/);
  });
});
