import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { SQLITE_BUSY_TIMEOUT_MS } from './migration-lock.js';
import { MIGRATIONS } from './migrations.js';

const CHILD = fileURLToPath(new URL('./testing/migrate-at.ts', import.meta.url));
const OPENER = fileURLToPath(new URL('./testing/open-at.ts', import.meta.url));
/** Processes racing on one fresh file per round (the issue saw 2 failures in 30 starts of two). */
const PROCESSES = 6;
const ROUNDS = 8;

/** A child that migrates each database it is sent (testing/migrate-at.ts); `next()` is its next line. */
function racer(script = CHILD): { child: ChildProcess; next: () => Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, next: async () => String((await lines.next()).value ?? 'exited') };
}

// The three parts run side by side, each on files of its own: most of this file's time is its 16
// child processes loading the store (started when the file is collected) and a lock held for
// longer than the busy timeout, and neither has to wait for the other.
describe.concurrent('migrations on one fresh SQLite file from many processes at once (issue 12.10)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'garminsync-migrate-race-'));
  const racers = Array.from({ length: PROCESSES }, () => racer());
  afterAll(() => {
    for (const r of racers) r.child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${PROCESSES} processes x ${ROUNDS} fresh files: every start succeeds and each migration ran once`, async () => {
    expect(await Promise.all(racers.map((r) => r.next()))).toEqual(racers.map(() => 'ready'));
    for (let round = 0; round < ROUNDS; round++) {
      const file = join(dir, `race-${round}.db`);
      // All loaded and told at once: they open and migrate the fresh file together.
      for (const r of racers) r.child.stdin!.write(`${file}\n`);
      const outcomes = await Promise.all(racers.map((r) => r.next()));
      expect(
        outcomes.filter((o) => o !== 'migrated'),
        `round ${round}`,
      ).toEqual([]);
      const db = new Database(file, { readonly: true });
      const names = db.prepare('select name from kysely_migration order by name').all() as { name: string }[];
      db.close();
      expect(names.map((n) => n.name)).toEqual(Object.keys(MIGRATIONS).sort());
    }
  }, 240_000);
});

describe.concurrent('a start-up behind a slow migration run on the same SQLite file', () => {
  it('waits past the normal busy timeout for the write lock, also before the migration tables exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'garminsync-migrate-slow-'));
    const file = join(dir, 'slow.db');
    const holdMs = SQLITE_BUSY_TIMEOUT_MS + 1500;
    // Another process holds the write lock on the fresh file longer than the normal busy timeout,
    // as a first process migrating on a loaded disk does (CI saw "database is locked" from this).
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const d = new D(process.argv[1]); d.pragma('journal_mode = WAL');
         d.exec('BEGIN IMMEDIATE'); console.log('held'); setTimeout(() => { d.exec('COMMIT'); d.close(); }, ${holdMs});`,
        file,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const lines = createInterface({ input: holder.stdout! })[Symbol.asyncIterator]();
      expect((await lines.next()).value).toBe('held');
      const started = Date.now();
      const db = await openDatabase({ file });
      await db.destroy();
      expect(Date.now() - started).toBeGreaterThan(SQLITE_BUSY_TIMEOUT_MS);
      const check = new Database(file, { readonly: true });
      const names = check.prepare('select name from kysely_migration order by name').all() as { name: string }[];
      check.close();
      expect(names.map((n) => n.name)).toEqual(Object.keys(MIGRATIONS).sort());
    } finally {
      holder.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe.concurrent('opening one fresh SQLite file from many processes at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'garminsync-wal-race-'));
  const openers = Array.from({ length: 10 }, () => racer(OPENER));
  afterAll(() => {
    for (const r of openers) r.child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('10 processes x 60 fresh files: every switch to WAL succeeds (SQLite refuses one of two at once, not after the busy timeout)', async () => {
    expect(await Promise.all(openers.map((r) => r.next()))).toEqual(openers.map(() => 'ready'));
    for (let round = 0; round < 60; round++) {
      const file = join(dir, `open-${round}.db`);
      for (const r of openers) r.child.stdin!.write(`${file}\n`);
      const outcomes = await Promise.all(openers.map((r) => r.next()));
      expect(
        outcomes.filter((o) => o !== 'opened'),
        `round ${round}`,
      ).toEqual([]);
      const db = new Database(file, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    }
  }, 120_000);
});
