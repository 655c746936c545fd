// A fetch-shaped HTTP transport on node:http / node:https, shared by the CLI and the Garmin client.
//
// Why not the global fetch: it is undici, which (a) loads on first use and costs more CPU than the
// rest of a CLI command (bench/findings.md, "CLI start-up"; node:http is part of the runtime's
// snapshot), and (b) builds WHATWG Request/Response/Headers objects per call, ~12 % of the sync
// service's busy CPU during a backfill (issue 17, row 8). This implements only what our two HTTP
// layers use (TransportInit below), with fetch's shapes, so that the layers above cannot tell the
// two apart: a transport failure rejects with TypeError('fetch failed', { cause }) whose cause is
// the socket error (with its `code`); an abort rejects with the signal's reason, before the answer
// from the call, after it from the body read; redirects are followed as fetch follows them unless
// `redirect: 'manual'` (Garmin's SSO keeps every hop's Set-Cookie); like Node 20's fetch it asks
// for gzip/deflate answers (unless the caller sets accept-encoding) and decodes gzip, deflate and br.
import type { Agent as HttpAgent, ClientRequest, IncomingMessage, OutgoingHttpHeaders, RequestOptions } from 'node:http';
import http from 'node:http';
import type * as NodeHttps from 'node:https';
import { pipeline, Readable, type Transform } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';

/** The part of fetch's request options our HTTP layers use. */
export interface TransportInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | ReadableStream<Uint8Array>;
  duplex?: 'half';
  signal?: AbortSignal;
  /** As fetch: 'follow' (the default) follows up to 20 redirects; 'manual' hands the 3xx back. */
  redirect?: 'follow' | 'manual';
}

/** The part of fetch's Headers our HTTP layers read. */
export interface TransportHeaders {
  /** The value, several joined with ", " (as fetch), or null. */
  get(name: string): string | null;
  /** Every Set-Cookie header of the answer, one string each (fetch's Headers.getSetCookie). */
  getSetCookie(): string[];
}

/** The part of a fetch Response our HTTP layers use (the global Response has it too). */
export interface TransportResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: TransportHeaders;
  /** null for answers without a body (HEAD, 204, 205, 304), as fetch's. */
  readonly body: ReadableStream<Uint8Array> | null;
  json(): Promise<unknown>;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A fetch-shaped function: the global fetch satisfies it, and so does {@link createNodeFetch}'s. */
export type TransportFetch = (url: string, init?: TransportInit) => Promise<TransportResponse>;

const MAX_REDIRECTS = 20; // fetch's limit
const NO_BODY = new Set([101, 204, 205, 304]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
// Request headers fetch drops when a redirect changes the method to GET, or the origin.
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

class NodeHeaders implements TransportHeaders {
  constructor(private readonly raw: IncomingMessage['headers']) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  getSetCookie(): string[] {
    return this.raw['set-cookie']?.slice() ?? [];
  }
}

// What fetch sends when the caller does not: the answer may be compressed (Garmin's JSON is, when
// asked), and some CDNs treat a request without these as unlike a browser's or a library's.
const DEFAULT_HEADERS: Record<string, string> = { accept: '*/*', 'accept-encoding': 'gzip, deflate' };

class NodeResponse implements TransportResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: NodeHeaders;
  private stream: ReadableStream<Uint8Array> | null | undefined;
  /** The body as the caller reads it: the message itself, or its decompression (content-encoding). */
  private readonly msg: Readable;

  constructor(
    answer: IncomingMessage,
    private readonly hasBody: boolean,
    decoder?: Transform,
  ) {
    this.status = answer.statusCode ?? 0;
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new NodeHeaders(answer.headers);
    // pipeline: an abort or a reset that destroys the message errors the decoded body too.
    this.msg = decoder ? pipeline(answer, decoder, () => undefined) : answer;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.stream === undefined) this.stream = this.hasBody ? (Readable.toWeb(this.msg) as ReadableStream<Uint8Array>) : null;
    return this.stream;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const all = await this.bytes();
    return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  private async bytes(): Promise<Buffer> {
    if (!this.hasBody) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    for await (const c of this.msg) chunks.push(c as Buffer);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }
}

/** How a transport holds its connections. */
export interface NodeFetchOptions {
  /**
   * Its own keep-alive agents (one per protocol) instead of node's global ones: a long-running
   * client (the service's Garmin client) gets a pool of its own, kept alive whatever node's
   * default (the global agents keep alive only since Node 19). Idle sockets are unref'd by node,
   * so they never hold a process open.
   */
  ownKeepAliveAgents?: boolean;
  /**
   * How long an idle socket of those agents is kept (default 4 s, undici's keepAliveTimeout; a
   * shorter Keep-Alive: timeout= of the server wins). Without a limit an idle socket lives until
   * the server drops it, and the next request on it fails with ECONNRESET — which for a POST
   * (an SSO step, a token refresh: never re-sent) is a failed login or refresh.
   */
  keepAliveIdleMs?: number;
  /** An https agent of the caller's (e.g. one that trusts an extra CA: the emulator's TLS mode in tests). */
  httpsAgent?: NodeHttps.Agent;
}

/**
 * A fetch-shaped transport on node:http, and node:https (with Node's default CAs) for https: URLs;
 * node:https is loaded only when first used (the CLI mostly talks http to 127.0.0.1).
 */
export function createNodeFetch(opts: NodeFetchOptions = {}): TransportFetch {
  let https: typeof NodeHttps | undefined;
  const idleMs = opts.keepAliveIdleMs ?? 4000;
  const httpAgent: HttpAgent | undefined = opts.ownKeepAliveAgents ? new http.Agent({ keepAlive: true, timeout: idleMs }) : undefined;
  let httpsAgent: NodeHttps.Agent | undefined;
  return async (url, init = {}) => {
    const { signal } = init;
    let target = new URL(url);
    let method = init.method ?? 'GET';
    let headers: Record<string, string> = { ...DEFAULT_HEADERS };
    for (const [k, v] of Object.entries(init.headers ?? {})) {
      dropHeaders(headers, [k.toLowerCase()]);
      headers[k] = v;
    }
    let body = init.body;
    for (let hop = 0; ; hop++) {
      if (signal?.aborted) throw signal.reason; // before the first request and between redirect hops
      if (target.protocol === 'https:') {
        https ??= await import('node:https');
        httpsAgent ??= opts.httpsAgent ?? (opts.ownKeepAliveAgents ? new https.Agent({ keepAlive: true, timeout: idleMs }) : undefined);
      } else if (target.protocol !== 'http:')
        throw new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${target.protocol}`) });
      const lib = target.protocol === 'https:' ? https! : http;
      const agent = target.protocol === 'https:' ? httpsAgent : httpAgent;
      const res = await sendOnce(lib, target, { method, headers, agent }, body, signal);
      const location = res.headers.get('location');
      if (init.redirect === 'manual' || !REDIRECT.has(res.status) || location === null) return res;
      // Following: the 3xx's own body is not wanted; reading it to the end frees its socket.
      void res.text().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error('redirect count exceeded') });
      const next = new URL(location, target);
      headers = { ...headers };
      if (res.status === 303 ? method !== 'GET' && method !== 'HEAD' : (res.status === 301 || res.status === 302) && method === 'POST') {
        method = 'GET';
        body = undefined;
        dropHeaders(headers, BODY_HEADERS);
      } else if (body !== undefined && typeof body !== 'string') {
        // fetch cannot replay a streamed body either (307/308 keep the method and the body).
        throw new TypeError('fetch failed', { cause: new Error('a streamed request body cannot follow a redirect') });
      }
      if (next.origin !== target.origin) dropHeaders(headers, CREDENTIAL_HEADERS);
      target = next;
    }
  };
}

/**
 * The decompressor for an answer's content-encoding (what fetch decodes), or undefined for an
 * identity body. node:zlib is loaded only when a compressed answer arrives: the CLI talks to our
 * service, which never compresses, and must not pay for loading it.
 */
async function decoderFor(contentEncoding: string | undefined): Promise<Transform | undefined> {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate' && encoding !== 'br') return undefined;
  const zlib = await import('node:zlib');
  return encoding === 'br' ? zlib.createBrotliDecompress() : encoding === 'deflate' ? zlib.createInflate() : zlib.createGunzip();
}

function dropHeaders(headers: Record<string, string>, names: string[]): void {
  for (const k of Object.keys(headers)) if (names.includes(k.toLowerCase())) delete headers[k];
}

function sendOnce(
  lib: Pick<typeof http, 'request'>,
  target: URL,
  options: RequestOptions & { headers: Record<string, string> },
  body: TransportInit['body'],
  signal: AbortSignal | undefined,
): Promise<NodeResponse> {
  return new Promise<NodeResponse>((resolve, reject) => {
    let settled = false;
    let answer: IncomingMessage | undefined;
    let outgoing: OutgoingHttpHeaders = options.headers;
    if (typeof body === 'string' && !hasHeader(options.headers, 'content-length')) {
      outgoing = { ...outgoing, 'content-length': Buffer.byteLength(body) }; // as fetch sends it
    }
    // Before the answer the request rejects with the reason; after it, reading the body does.
    const onAbort = (): void => {
      const reason = signal?.reason as Error;
      if (answer) answer.destroy(reason);
      else req.destroy(reason);
    };
    const done = (): void => signal?.removeEventListener('abort', onAbort);
    const req: ClientRequest = lib.request(target, { ...options, headers: outgoing }, (msg) => {
      settled = true;
      answer = msg;
      const hasBody = !NO_BODY.has(msg.statusCode ?? 0) && options.method !== 'HEAD';
      // An answer without a body is often not read by the caller; unread, it never ends, its
      // keep-alive socket is never freed, and the CLI process waits for the server's keep-alive
      // timeout before it can exit (seen: `auth logout` hanging for 72 s).
      if (!hasBody) msg.resume();
      // Every way the body can end frees the signal of our listener at once (tests count them).
      msg.once('end', done).on('error', done).once('close', done);
      const encoding = hasBody ? msg.headers['content-encoding'] : undefined;
      if (encoding === undefined) resolve(new NodeResponse(msg, hasBody));
      else
        decoderFor(encoding).then(
          (decoder) => resolve(new NodeResponse(msg, hasBody, decoder)),
          (err: unknown) => reject(new TypeError('fetch failed', { cause: err })),
        );
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    // `on`, not `once`: a socket can report a second error after the first (an abort, then the
    // reset), and an 'error' event without a listener would crash the process.
    req.on('error', (err) => {
      if (settled) return;
      settled = true;
      done();
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err }));
    });
    if (body === undefined || typeof body === 'string') req.end(body);
    else pipeline(Readable.fromWeb(body as NodeWebStream<Uint8Array>), req, (err) => err && req.destroy(err));
  });
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  for (const k in headers) if (k.toLowerCase() === name) return true;
  return false;
}

/** Sends with node's global agents: the CLI's transport. */
export const nodeHttpFetch: TransportFetch = createNodeFetch();
