import { Writable } from 'node:stream';
import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LOG_REDACTION } from './log-redaction.js';
import { OneLinePerRequest } from './request-log.js';

/** A real server on 127.0.0.1 logging through the service's controller into memory. */
async function serve(level: 'info' | 'debug') {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk.toString('utf8'));
      cb();
    },
  });
  const app = Fastify({ loggerInstance: pino({ level, redact: LOG_REDACTION }, sink), logController: new OneLinePerRequest() });
  app.get('/ok', async () => ({ ok: true }));
  app.get('/boom', async () => {
    throw new Error('boom');
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
  return { app, url, lines };
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
});
