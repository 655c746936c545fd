import { Writable } from 'node:stream';
import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LOG_REDACTION } from './log-redaction.js';
import { completedLineWriter, OneLinePerRequest } from './request-log.js';

/** A real server on 127.0.0.1 logging through the service's controller into memory. */
async function serve(level: 'info' | 'debug' | 'warn', opts: pino.LoggerOptions = {}) {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk.toString('utf8'));
      cb();
    },
  });
  const app = Fastify({ loggerInstance: pino({ level, redact: LOG_REDACTION, ...opts }, sink), logController: new OneLinePerRequest() });
  app.get('/ok', async () => ({ ok: true }));
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  app.get('/quiet', { logLevel: 'warn' }, async () => ({ ok: true }));
  app.get('/chatty', { logLevel: 'info' }, async () => ({ ok: true }));
  app.post('/secret', async (request) => {
    request.log.info({ body: request.body }, 'got a body');
    return { ok: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const lines = () =>
    out
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>) // eslint-disable-line @typescript-eslint/no-explicit-any
      .filter((l) => l.reqId !== undefined);
  return { app, url, lines, raw: () => out.join('') };
}

describe('the request log: one line per request', () => {
  it('at info, one "request completed" line with the request, the response and its time; the token never shows', async () => {
    const { app, url, lines } = await serve('info');
    try {
      const res = await fetch(`${url}/ok?x=1`, { headers: { authorization: 'Bearer secret-token-123' } });
      expect(res.status).toBe(200);
      await res.text();
      await app.close();
      const got = lines();
      expect(got.map((l) => l.msg)).toEqual(['request completed']);
      expect(got[0]).toMatchObject({ level: 30, req: { method: 'GET', url: '/ok?x=1' }, res: { statusCode: 200 } });
      expect(typeof got[0]!.responseTime).toBe('number');
      expect(JSON.stringify(got)).not.toContain('secret-token-123');
    } finally {
      await app.close();
    }
  });

  it('at debug the arrival is logged too, and a failing route still gets its error line', async () => {
    const { app, url, lines } = await serve('debug');
    try {
      await (await fetch(`${url}/ok`)).text();
      expect((await fetch(`${url}/boom`)).status).toBe(500);
      await app.close();
      const msgs = lines().map((l) => `${l.level} ${l.msg}`);
      expect(msgs).toEqual(['20 incoming request', '30 request completed', '20 incoming request', '50 boom', '30 request completed']);
    } finally {
      await app.close();
    }
  });

  it('the completed line carries the request id, and neither headers nor cookies, whatever the client sends', async () => {
    const { app, url, lines } = await serve('info');
    try {
      const res = await fetch(`${url}/ok`, { headers: { authorization: 'Bearer secret-token-456', cookie: 'sid=secret-cookie-789' } });
      await res.text();
      await app.close();
      const [line] = lines();
      expect(line).toMatchObject({ msg: 'request completed', reqId: expect.any(String), res: { statusCode: 200 } });
      expect(Object.keys(line!.req as object).sort()).toEqual(['host', 'method', 'remoteAddress', 'remotePort', 'url']);
      const text = JSON.stringify(line);
      expect(text).not.toContain('secret-token-456');
      expect(text).not.toContain('secret-cookie-789');
    } finally {
      await app.close();
    }
  });

  it("every other line is still redacted: a route's own log of a password", async () => {
    const { app, url, lines } = await serve('info');
    try {
      const res = await fetch(`${url}/secret`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'u', password: 'hunter2-secret' }),
      });
      await res.text();
      await app.close();
      const got = lines();
      expect(got.map((l) => l.msg)).toEqual(['got a body', 'request completed']);
      expect(got[0]!.body).toEqual({ username: 'u', password: '[redacted]' });
      expect(JSON.stringify(got)).not.toContain('hunter2-secret');
    } finally {
      await app.close();
    }
  });

  it("a route's own log level decides, above and below the service's", async () => {
    const { app, url, lines } = await serve('warn');
    try {
      for (const p of ['/ok', '/quiet', '/chatty']) await (await fetch(`${url}${p}`)).text();
      await app.close();
      expect(lines().map((l) => `${l.msg} ${l.req?.url}`)).toEqual(['request completed /chatty']);
    } finally {
      await app.close();
    }
  });

  it('the completed line is byte for byte the line pino itself writes for it', async () => {
    // A log formatter that changes nothing still sends the line down pino's generic path.
    expect(completedLineWriter(pino({ level: 'info' }, new Writable()))).not.toBeNull();
    expect(completedLineWriter(pino({ level: 'info', formatters: { log: (o) => o } }, new Writable()))).toBeNull();
    const template = await serve('info');
    const generic = await serve('info', { formatters: { log: (o) => o } });
    const send = async (url: string) => {
      const res = await fetch(`${url}/ok?q="quoted"&u=\u00e9\u2028&b=\\`, { headers: { 'accept-version': '1."2"\\' } });
      await res.text();
      await (await fetch(`${url}/missing`)).text();
    };
    try {
      await send(template.url);
      await send(generic.url);
      await template.app.close();
      await generic.app.close();
      // Only the clock, the request id's counter and the client's port may differ.
      const shape = (text: string) =>
        text
          .trim()
          .split('\n')
          .filter((l) => l.includes('request completed'))
          .map((l) =>
            l
              .replace(/"time":\d+/, '"time":T')
              .replace(/"responseTime":[\d.e+-]+/, '"responseTime":R')
              .replace(/"remotePort":\d+/, '"remotePort":P')
              .replace(/"host":"127\.0\.0\.1:\d+"/, '"host":H'),
          );
      const ours = shape(template.raw());
      expect(ours).toHaveLength(2);
      expect(ours).toEqual(shape(generic.raw()));
      const [first, second] = template.lines().filter((l) => l.msg === 'request completed');
      expect(first).toMatchObject({ req: { url: '/ok?q=%22quoted%22&u=%C3%A9%E2%80%A8&b=\\', version: '1."2"\\' } });
      expect(second).toMatchObject({ res: { statusCode: 404 } });
    } finally {
      await template.app.close();
      await generic.app.close();
    }
  });
});
