import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

/** Sends raw bytes and returns everything the service answered before closing (issue 12.11). */
function raw(port: number, payload: string): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    let got = '';
    const done = () => {
      sock.destroy();
      resolve(got);
    };
    sock.on('data', (d) => (got += d.toString('latin1')));
    sock.on('close', done);
    sock.on('error', done);
    sock.setTimeout(5000, done);
    sock.write(payload);
  });
}

describe('parser-level errors are problem+json (issue 12.11)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ args: ['--api-only'] });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers unknown methods, bad headers, 431 and CL+TE with problem+json, and stays up', async () => {
    const port = Number(new URL(h.url).port);
    const cases: [string, number, string][] = [
      ['GARBAGE / HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'VALIDATION_FAILED'],
      ['GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n', 400, 'VALIDATION_FAILED'],
      [`GET /api/v1/activities HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
      [
        'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        400,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [payload, status, code] of cases) {
      const answer = await raw(port, payload);
      expect(answer, payload.slice(0, 40)).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(answer.toLowerCase()).toContain('content-type: application/problem+json');
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { status: number; code: string };
      expect(body).toMatchObject({ status, code });
    }
    expect((await h.api('GET', '/healthz')).status).toBe(200);
  });
});
