import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../core/index.js';
import { prepareDataDir } from './index.js';

describe('prepareDataDir (issue 12.9)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const warnings: object[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (o) => void warnings.push(o), error() {}, child: () => logger };

  it('creates a missing data dir 0700 under a lax umask', async () => {
    const base = mkdtempSync(join(tmpdir(), 'garminsync-datadir-'));
    dirs.push(base);
    const old = process.umask(0);
    try {
      expect(await prepareDataDir(join(base, 'a', 'data'), logger)).toEqual({ tightenedFrom: null });
    } finally {
      process.umask(old);
    }
    expect(statSync(join(base, 'a', 'data')).mode & 0o777).toBe(0o700);
  });

  it('tightens an existing 0755 data dir to 0700 and says so once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'garminsync-datadir-'));
    dirs.push(dir);
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    expect(await prepareDataDir(dir, logger)).toEqual({ tightenedFrom: 0o755 });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(warnings).toEqual([{ dir, from: '0755', to: '0700' }]);
    expect(await prepareDataDir(dir, logger)).toEqual({ tightenedFrom: null });
    expect(warnings).toHaveLength(1);
  });
});
