// What the Garmin client needs of the transport beyond the CLI's use: redirects followed as fetch
// follows them (or handed back with redirect: 'manual', as the SSO session asks), every Set-Cookie
// header, form bodies with their length, bodiless answers, and its own keep-alive pool. Against
// real node:http servers on 127.0.0.1; each expectation is what the global fetch answers too
// (the same table runs through both, so a difference from fetch fails here).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFetch } from './node-fetch.js';
import type { TransportFetch } from './node-fetch.js';

interface Seen {
  method: string;
  url: string;
  body: string;
  headers: IncomingMessage['headers'];
  port: number;
}

let seen: Seen[] = [];
const servers: Server[] = [];
let base = '';
let other = '';

async function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, body, headers: req.headers, port: req.socket.remotePort! });
      handler(req, body, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  other = await listen((_req, _body, res) => res.end('elsewhere'));
  base = await listen((req, body, res) => {
    const to = new URL(req.url!, 'http://x').searchParams.get('to');
    const status = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 302);
    if (req.url!.startsWith('/redirect')) {
      res.writeHead(status, { location: to === 'other' ? `${other}/landing` : '/landing', 'set-cookie': ['hop=1; Path=/'] });
      res.end('moved');
    } else if (req.url === '/cookies') {
      res.writeHead(200, {
        'set-cookie': ['SESSION=abc; Path=/; HttpOnly', 'GARMIN-SSO=1; Path=/', '__cflb=x; Expires=Wed, 21 Oct 2037 07:28:00 GMT'],
      });
      res.end();
    } else if (req.url === '/none') {
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          method: req.method,
          body,
          length: req.headers['content-length'] ?? null,
          type: req.headers['content-type'] ?? null,
        }),
      );
    }
  });
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const transports: [string, TransportFetch][] = [
  ['node transport', createNodeFetch({ ownKeepAliveAgents: true })],
  ['global fetch (the reference)', globalThis.fetch],
];

describe.each(transports)('%s', (_name, f) => {
  it("redirect: 'manual' hands back the 3xx with its Location and Set-Cookie, and sends nothing more", async () => {
    seen = [];
    const res = await f(`${base}/redirect?status=302`, { redirect: 'manual' });
    expect([res.status, res.ok, res.headers.get('location'), res.headers.getSetCookie()]).toEqual([
      302,
      false,
      '/landing',
      ['hop=1; Path=/'],
    ]);
    await res.text();
    expect(seen.map((s) => s.url)).toEqual(['/redirect?status=302']);
  });

  it('follows by default: a POST answered 302/303 continues as a GET without the body or its headers', async () => {
    for (const status of [302, 303]) {
      seen = [];
      const res = await f(`${base}/redirect?status=${status}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Keep': 'yes' },
        body: 'a=1&b=%C3%A9',
      });
      expect(await res.json()).toEqual({ method: 'GET', body: '', length: null, type: null });
      expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
        ['POST', `/redirect?status=${status}`, 'a=1&b=%C3%A9'],
        ['GET', '/landing', ''],
      ]);
      expect(seen[1]!.headers['x-keep']).toBe('yes');
    }
  });

  it('307 and 308 keep the method and re-send the string body', async () => {
    for (const status of [307, 308]) {
      seen = [];
      const res = await f(`${base}/redirect?status=${status}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"é":1}',
      });
      expect(await res.json()).toEqual({ method: 'POST', body: '{"é":1}', length: '8', type: 'application/json' });
    }
  });

  it('a redirect to another origin drops Authorization and Cookie', async () => {
    seen = [];
    const res = await f(`${base}/redirect?to=other`, { headers: { Authorization: 'Bearer secret', Cookie: 'a=b', Accept: 'text/plain' } });
    expect(await res.text()).toBe('elsewhere');
    expect([seen[1]!.headers.authorization, seen[1]!.headers.cookie, seen[1]!.headers.accept]).toEqual([
      undefined,
      undefined,
      'text/plain',
    ]);
  });

  it('reads every Set-Cookie header, one string each', async () => {
    const res = await f(`${base}/cookies`);
    expect(res.headers.getSetCookie()).toEqual([
      'SESSION=abc; Path=/; HttpOnly',
      'GARMIN-SSO=1; Path=/',
      '__cflb=x; Expires=Wed, 21 Oct 2037 07:28:00 GMT',
    ]);
    expect((await f(`${base}/echo`)).headers.getSetCookie()).toEqual([]);
  });

  it('sends a form body with its byte length, and a 204 has no body', async () => {
    const res = await f(`${base}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'name=%C3%A9&x=ü',
    });
    expect(await res.json()).toEqual({ method: 'POST', body: 'name=%C3%A9&x=ü', length: '16', type: 'application/x-www-form-urlencoded' });
    const none = await f(`${base}/none`);
    expect([none.status, none.body, await none.text()]).toEqual([204, null, '']);
  });
});

describe('the node transport with its own agents', () => {
  it('keeps one connection alive across sequential requests', async () => {
    const f = createNodeFetch({ ownKeepAliveAgents: true });
    seen = [];
    for (let i = 0; i < 3; i++) await (await f(`${base}/echo`)).text();
    expect(new Set(seen.map((s) => s.port)).size).toBe(1);
  });

  it('closes a socket idle longer than keepAliveIdleMs, so no request meets a socket the server dropped', async () => {
    const f = createNodeFetch({ ownKeepAliveAgents: true, keepAliveIdleMs: 100 });
    seen = [];
    await (await f(`${base}/echo`)).text();
    await new Promise((r) => setTimeout(r, 300));
    await (await f(`${base}/echo`)).text();
    expect(new Set(seen.map((s) => s.port)).size).toBe(2);
  });
});
