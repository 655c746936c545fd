import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { until as untilTruthy } from '../support/until.js';

/** The built entry point (`npm test` builds first; a stand-alone run needs `npm run build`). */
export const BIN = join(process.cwd(), 'bin', 'garminsync.js');
export const BUILT = existsSync(join(process.cwd(), 'dist', 'server', 'main.js'));

/** One `garminsync server …` child process, its output kept for assertions. */
export interface ServerProcess {
  name: string;
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
  /** The JSON log lines written so far (partial lines of a killed process are skipped). */
  logs: () => Record<string, unknown>[];
}

/** Starts `node bin/garminsync.js server ARGS` with `env` added to this environment. */
export function spawnServer(name: string, args: string[], env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, [BIN, 'server', ...args], {
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const logs = () =>
    stderr.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return { name, child, out: () => stdout, err: () => stderr, exited, logs };
}

/** Polls `fn` until it returns a truthy value (no fixed sleeps). */
export function until<T>(
  what: string,
  fn: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  everyMs = 25,
): Promise<T> {
  return untilTruthy(what, fn, { timeoutMs, everyMs });
}

/** A fresh PostgreSQL schema for one test run: its URL (search_path set), a query helper and a dropper. */
export async function freshSchema(
  baseUrl: string,
): Promise<{ url: string; query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<R[]>; drop(): Promise<void> }> {
  const schema = `scale_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`SET search_path TO ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    query: async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await admin.query<R>(text, values)).rows,
    async drop() {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** Reads a Server-Sent Events stream into parsed `{event, data}` records until `stop` says so. */
export async function readSse(res: Response, onEvent: (e: { event: string; data: unknown }) => boolean | void): Promise<void> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buf += decoder.decode(value, { stream: true });
      let idx: number;
      while ((idx = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, idx);
        buf = buf.slice(idx + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data && onEvent({ event, data: JSON.parse(data) }) === true) return;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
