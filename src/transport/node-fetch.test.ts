import { createServer, globalAgent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../test/support/until.js';
import { nodeHttpFetch } from './node-fetch.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.url === '/echo') {
        res.writeHead(201, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
        res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization ?? null, body }));
      } else if (req.url === '/stream') {
        // Two chunks with a pause: the body must be readable before the answer ends.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: one\n\n');
        setTimeout(() => res.end('data: two\n\n'), 50);
      } else if (req.url === '/empty') {
        res.writeHead(204);
        res.end();
      } else if (req.url === '/hang') {
        res.writeHead(200);
        res.write('partial');
      } else {
        res.writeHead(404, { 'retry-after': '3' });
        res.end('nope');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('nodeHttpFetch', () => {
  it('frees the keep-alive socket of a 204 nobody reads, so the CLI process can exit at once', async () => {
    const res = await nodeHttpFetch(`${base}/empty`, { method: 'POST' });
    expect(res.status).toBe(204);
    // Unread, the answer never ended and its socket stayed busy (ref'd) until the server's
    // keep-alive timeout: `auth logout` took 72 s to exit.
    const host = new URL(base).host;
    await until('the socket back in the free pool', () => Object.keys(globalAgent.freeSockets).some((k) => k.startsWith(host)), {
      timeoutMs: 2000,
    });
  });

  it('sends method, headers and a JSON body and reads status, headers and JSON', async () => {
    const res = await nodeHttpFetch(`${base}/echo`, { method: 'POST', headers: { authorization: 'Bearer t' }, body: '{"a":1}' });
    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('x-multi')).toBe('a, b');
    expect(res.headers.get('absent')).toBeNull();
    expect(await res.json()).toEqual({ method: 'POST', auth: 'Bearer t', body: '{"a":1}' });
  });

  it('streams a request body and an answer body', async () => {
    const upload = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('part1,'));
        c.enqueue(new TextEncoder().encode('part2'));
        c.close();
      },
    });
    const echoed = await nodeHttpFetch(`${base}/echo`, { method: 'PUT', body: upload, duplex: 'half' });
    expect(((await echoed.json()) as { body: string }).body).toBe('part1,part2');
    const res = await nodeHttpFetch(`${base}/stream`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: one\n\n');
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('data: two\n\n');
  });

  it('answers error statuses as responses, with text', async () => {
    const res = await nodeHttpFetch(`${base}/missing`);
    expect([res.ok, res.status, res.headers.get('retry-after'), await res.text()]).toEqual([false, 404, '3', 'nope']);
  });

  it('fails like fetch: TypeError with the socket code as cause; an abort rejects with its reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = (await nodeHttpFetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e)) as TypeError & { cause: { code: string } };
    expect(err).toBeInstanceOf(TypeError);
    expect(err.cause.code).toBe('ECONNREFUSED');

    const timeout = AbortSignal.timeout(100);
    const res = await nodeHttpFetch(`${base}/hang`, { signal: timeout });
    await expect(res.text()).rejects.toMatchObject({ name: 'TimeoutError' });
    const early = new AbortController();
    early.abort(new Error('stop'));
    await expect(nodeHttpFetch(`${base}/echo`, { signal: early.signal })).rejects.toThrow('stop');
  });
});
