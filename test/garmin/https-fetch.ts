/**
 * A fetch over node:https that trusts one extra CA and resolves every host to 127.0.0.1, so the
 * client can talk to the emulator's TLS mode at https://sso.garmin.test:<port> unmodified
 * (Node's global fetch cannot take a CA at run time). Test-only.
 */
import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

const loopback = ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
  if (opts?.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
}) as unknown as LookupFunction;

export function httpsFetchWithCa(ca: string): typeof fetch {
  return ((input: string | URL, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input));
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
      const req = request(
        url,
        { method: init?.method ?? 'GET', headers, ca, lookup: loopback, signal: init?.signal ?? undefined },
        (res) => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const x of v) h.append(k, x);
            else if (v !== undefined) h.set(k, v);
          }
          const status = res.statusCode ?? 0;
          if ([101, 204, 205, 304].includes(status)) {
            res.resume();
            resolve(new Response(null, { status, headers: h }));
            return;
          }
          resolve(new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, { status, headers: h }));
        },
      );
      req.on('error', reject);
      req.end(typeof init?.body === 'string' ? init.body : undefined);
    })) as typeof fetch;
}
