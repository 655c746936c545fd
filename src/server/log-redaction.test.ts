import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/index.js';
import { LOG_REDACTION } from './log-redaction.js';

function capture(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk.toString('utf8'));
      cb();
    },
  });
  return {
    logger: pino({ level: 'debug', redact: LOG_REDACTION }, sink),
    lines: () =>
      out
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('log redaction (issue 12.13)', () => {
  it("keeps error codes (ours, Node's, PostgreSQL's) and redacts secrets, MFA codes included", () => {
    const { logger, lines } = capture();
    const listen = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8787'), { code: 'EADDRINUSE' });
    logger.error({ err: listen }, 'start-up failed');
    logger.error({ err: new AppError('FIT_INVALID', 'bad crc'), code: 'FIT_INVALID' }, 'sync job failed');
    logger.warn({ item: 'activity:1', code: 'GARMIN_NOT_FOUND', pg: { code: '3F000' } }, 'skipped');
    logger.info(
      { code: '123456', body: { code: '654321', password: 'hunter22' }, mfa: { code: 'abc123' }, access_token: 'at', tokens: { x: 1 } },
      'secrets',
    );
    const [l1, l2, l3, l4] = lines() as [any, any, any, any]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(l1.err.code).toBe('EADDRINUSE');
    expect(l2.code).toBe('FIT_INVALID');
    expect(l2.err.code).toBe('FIT_INVALID');
    expect(l3.code).toBe('GARMIN_NOT_FOUND');
    expect(l3.pg.code).toBe('3F000');
    expect(l4).toMatchObject({
      code: '[redacted]',
      body: { code: '[redacted]', password: '[redacted]' },
      mfa: { code: '[redacted]' },
      access_token: '[redacted]',
      tokens: '[redacted]',
    });
    expect(JSON.stringify(lines())).not.toMatch(/123456|654321|hunter22|abc123/);
  });
});
