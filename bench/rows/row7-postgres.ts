// Row 7: job claims on PostgreSQL with 4 worker processes. The service has no PostgreSQL backend
// yet (issue 6); the row reports that instead of a number until it does.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from '../lib/paths.js';
import { notRun, type RowResult } from '../lib/result.js';

const TITLE = 'PostgreSQL with 4 worker processes: job claims/s and pickup latency';
const TARGETS = ['≥500 claims/s', 'pickup p50 ≤50 ms'];

export async function row7(): Promise<RowResult> {
  const main = await readFile(path.join(ROOT, 'src', 'server', 'main.ts'), 'utf8').catch(() => '');
  const hasPg = /--workers-only/.test(main) && /postgres/i.test(main);
  const reason = hasPg
    ? 'the service has a PostgreSQL mode, but this bench row is not written yet'
    : 'PostgreSQL backend not built yet (issue 6): the service has no `--workers-only` / PostgreSQL mode';
  return notRun(7, TITLE, reason, TARGETS);
}
