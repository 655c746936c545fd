// The GC probe (bench/lib/gc-probe.mjs) as the rows use it: preload it into a service, read what
// it recorded over a stretch of the service's life (lines appended after a mark), and reduce that
// to the three figures rows 6 and 9 report.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from './paths.js';

const PROBE = path.join(ROOT, 'bench', 'lib', 'gc-probe.mjs');
const MiB = 1024 * 1024;

interface GcLine {
  kind: 'major' | 'incremental';
  heapUsed: number;
}

export interface GcSummary {
  /** Old-generation collections (mark-compact) in the stretch. */
  majors: number;
  /** V8 heap used when it first began marking in the stretch (MiB): how far it let garbage pile up. */
  heapAtFirstMarkMiB: number | undefined;
  /** V8 heap used after the stretch's last mark-compact (MiB): what was live. */
  liveAfterMiB: number | undefined;
}

/** Node flags and environment that preload the probe, writing to `file`. */
export function gcProbe(file: string): { nodeFlags: string[]; env: NodeJS.ProcessEnv } {
  return { nodeFlags: ['--import', PROBE], env: { GARMINSYNC_BENCH_GC_OUT: file } };
}

async function lines(file: string): Promise<GcLine[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as GcLine);
}

/** Where the probe's file ends now: pass it to `gcSince` to summarize what follows. */
export async function gcMark(file: string): Promise<number> {
  return (await lines(file)).length;
}

export async function gcSince(file: string, mark: number): Promise<GcSummary> {
  const gcs = (await lines(file)).slice(mark);
  const majors = gcs.filter((g) => g.kind === 'major');
  const first = gcs.find((g) => g.kind === 'incremental') ?? majors[0];
  return {
    majors: majors.length,
    heapAtFirstMarkMiB: first && first.heapUsed / MiB,
    liveAfterMiB: majors.length > 0 ? majors[majors.length - 1]!.heapUsed / MiB : undefined,
  };
}
