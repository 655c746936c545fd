// The CLI's HTTP transport on node:http. Node's global `fetch` loads undici on first use, which
// costs more CPU than the rest of a CLI command (bench/findings.md, "CLI start-up"); node:http is
// part of the runtime's snapshot and starts in a few milliseconds. This implements only what the
// CLI's HTTP layer uses (HttpFetch in api/http.ts), with fetch's error shapes, so that the layer
// above cannot tell the two apart: a transport failure rejects with TypeError('fetch failed',
// { cause }) whose cause carries the socket error's `code`; an abort rejects with the signal's reason.
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import http from 'node:http';
import { pipeline, Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import type { HttpFetch, HttpResponse } from '../api/http.js';

class NodeResponse implements HttpResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  private stream: ReadableStream<Uint8Array> | undefined;

  constructor(private readonly msg: IncomingMessage) {
    this.status = msg.statusCode ?? 0;
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = {
      get: (name) => {
        const v = msg.headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      },
    };
  }

  get body(): ReadableStream<Uint8Array> {
    this.stream ??= Readable.toWeb(this.msg) as ReadableStream<Uint8Array>;
    return this.stream;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const chunks: Buffer[] = [];
    for await (const c of this.msg) chunks.push(c as Buffer);
    const all = Buffer.concat(chunks);
    return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return Buffer.from(await this.arrayBuffer()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }
}

/** Sends one request with node:http (http: URLs; https: loads node:https only when used). */
export const nodeHttpFetch: HttpFetch = async (url, init = {}) => {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? await import('node:https') : http;
  const { signal } = init;
  if (signal?.aborted) throw signal.reason;
  return new Promise<HttpResponse>((resolve, reject) => {
    const options: RequestOptions = { method: init.method ?? 'GET', headers: init.headers };
    let settled = false;
    let answer: IncomingMessage | undefined;
    const req: ClientRequest = lib.request(target, options, (msg) => {
      settled = true;
      answer = msg;
      // An answer without a body (204, 304) is often not read by the caller; unread, it never
      // ends, its keep-alive socket is never freed, and the CLI process waits for the server's
      // keep-alive timeout before it can exit (seen: `auth logout` hanging for 72 s).
      if (msg.statusCode === 204 || msg.statusCode === 304 || options.method === 'HEAD') msg.resume();
      msg.once('close', () => signal?.removeEventListener('abort', onAbort));
      resolve(new NodeResponse(msg));
    });
    // Before the answer the request rejects with the reason; after it, reading the body does.
    const onAbort = (): void => {
      const reason = signal?.reason as Error;
      if (answer) answer.destroy(reason);
      else req.destroy(reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.once('error', (err) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err }));
    });
    const body = init.body;
    if (body === undefined || typeof body === 'string') req.end(body);
    else pipeline(Readable.fromWeb(body as NodeWebStream<Uint8Array>), req, (err) => err && req.destroy(err));
  });
};
