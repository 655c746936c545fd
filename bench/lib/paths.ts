// Where things are, relative to this file, so the bench runs from any working directory.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'garminsync.js');
export const NODE = process.execPath;

/** The compiled entry points a row needs; a missing one makes the row "not run". */
export const DIST = {
  emulator: path.join(ROOT, 'dist', 'emulator', 'main.js'),
  server: path.join(ROOT, 'dist', 'server', 'main.js'),
  cli: path.join(ROOT, 'dist', 'cli', 'main.js'),
} as const;

export function missingParts(parts: (keyof typeof DIST)[]): string | undefined {
  const missing = parts.filter((p) => !existsSync(DIST[p]));
  if (missing.length === 0) return undefined;
  const names = missing.map((p) => `the ${p === 'server' ? 'service' : p === 'cli' ? 'CLI' : p}`);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
  return `${list} ${missing.length > 1 ? 'are' : 'is'} not built yet (${missing.map((p) => path.relative(ROOT, DIST[p])).join(', ')} missing)`;
}

const temps: string[] = [];

/** A fresh temp directory, removed by cleanupTemps() at the end of the bench. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `garminsync-bench-${prefix}-`));
  temps.push(dir);
  return dir;
}

export async function cleanupTemps(): Promise<void> {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}
