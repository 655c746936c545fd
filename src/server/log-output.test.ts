import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/index.js';
import { createServiceLogger, resolvedLogFormat } from './log-output.js';

const SECRETS = [
  'hunter22-password',
  '482913',
  'at-0123456789abcdef',
  'rt-fedcba9876543210',
  'Bearer at-0123456789abcdef',
  'sid=cookie-secret',
];

/** A logger of the given format writing to a buffer; logs one line of each kind the service writes, secrets included. */
function logOnce(format: 'auto' | 'pretty' | 'json', stderrIsTTY: boolean, noColor = false): string {
  const out: string[] = [];
  const logger = createServiceLogger({ level: 'trace', format, noColor, pid: 4242 }, { stderr: (s) => void out.push(s), stderrIsTTY });
  logger.info({ url: 'http://127.0.0.1:8787', mode: 'both' }, 'started');
  logger.warn({ err: new AppError('FIT_INVALID', 'bad crc'), code: 'FIT_INVALID', item: 'activity:1' }, 'item failed');
  logger.debug(
    {
      body: { username: 'demo@example.com', password: SECRETS[0], code: SECRETS[1] },
      access_token: SECRETS[2],
      tokens: { refresh_token: SECRETS[3] },
      req: { method: 'GET', url: '/api/v1/auth/session', headers: { authorization: SECRETS[4], cookie: SECRETS[5] } },
    },
    'a log call handed secrets',
  );
  return out.join('');
}

describe('server log format (issue 18.10)', () => {
  it('auto: readable lines when stderr is a terminal, JSON otherwise; an explicit format wins', () => {
    expect(resolvedLogFormat('auto', true)).toBe('pretty');
    expect(resolvedLogFormat('auto', false)).toBe('json');
    expect(resolvedLogFormat('json', true)).toBe('json');
    expect(resolvedLogFormat('pretty', false)).toBe('pretty');
  });

  it('readable lines: time, level, message and fields on one line per entry, colours only on a terminal without NO_COLOR', () => {
    const text = logOnce('auto', true, true);
    // One line per entry; an error's fields and stack follow its line, indented.
    const lines = text
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith(' '));
    expect(lines).toHaveLength(3);
    expect(text).toMatch(/^ {4}err: \{\n {6}"type": "AppError",\n {6}"message": "bad crc",/m);
    expect(lines[0]).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO: started \{"url":"http:\/\/127\.0\.0\.1:8787","mode":"both"\}$/,
    );
    expect(lines[1]).toMatch(/^\[[^\]]+\] WARN: item failed /);
    expect(lines[1]).toContain('"code":"FIT_INVALID"'); // error codes are not secrets
    expect(lines[2]).toMatch(/^\[[^\]]+\] DEBUG: a log call handed secrets /);
    expect(text).not.toContain('\u001b['); // NO_COLOR
    expect(text).not.toMatch(/^\{/m);
    expect(logOnce('pretty', true)).toContain('\u001b['); // colours on a terminal
    expect(logOnce('pretty', false)).not.toContain('\u001b['); // forced pretty into a file: no escape codes
  });

  it('JSON: one object per line with level, time, pid and msg', () => {
    for (const text of [logOnce('auto', false), logOnce('json', true)]) {
      const lines = text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.msg)).toEqual(['started', 'item failed', 'a log call handed secrets']);
      expect(lines[0]).toMatchObject({ level: 30, pid: 4242, url: 'http://127.0.0.1:8787' });
      expect(lines[1]).toMatchObject({ code: 'FIT_INVALID' });
    }
  });

  it('secrets are redacted in both formats', () => {
    for (const [format, tty] of [
      ['pretty', true],
      ['pretty', false],
      ['json', false],
      ['auto', true],
      ['auto', false],
    ] as const) {
      const text = logOnce(format, tty, true);
      for (const secret of SECRETS) expect(text, `${format}/${tty}: ${secret}`).not.toContain(secret);
      expect(text.match(/\[redacted\]/g)?.length, `${format}/${tty}`).toBe(6);
      expect(text).toContain('demo@example.com'); // what is not a secret stays
    }
  });
});

describe('the asynchronous stderr log (issue 17, bench row 5)', () => {
  // A process that logs many lines and then dies at once: every line must still reach stderr
  // (a pipe, as under systemd or the bench), redacted.
  const script = `
    import { createServiceLogger, stderrDestination } from ${JSON.stringify(fileURLToPath(new URL('./log-output.ts', import.meta.url)))};
    const logger = createServiceLogger({ level: 'info', format: 'json', noColor: true, pid: 1 },
      { logs: stderrDestination(), stderr: () => {}, stderrIsTTY: false });
    for (let i = 0; i < 20000; i++) logger.info({ i, body: { password: 'hunter22-password' } }, 'line');
    if (process.argv[1] === 'throw') throw new Error('fatal');
    process.exit(3);
  `;
  const run = (mode: string) =>
    new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, mode], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      child.on('error', reject).on('close', (code) => resolve({ code, stderr }));
    });

  it.each(['exit', 'throw'])(
    'every line is written before the process ends (%s), secrets redacted',
    async (mode) => {
      const { code, stderr } = await run(mode);
      expect(code).toBe(mode === 'exit' ? 3 : 1);
      const lines = stderr.split('\n').filter((l) => l.startsWith('{'));
      expect(lines).toHaveLength(20000);
      expect((JSON.parse(lines[19999] as string) as { i: number }).i).toBe(19999);
      expect(stderr).not.toContain('hunter22-password');
      if (mode === 'throw') expect(stderr).toContain('Error: fatal');
    },
    60_000,
  );
});
