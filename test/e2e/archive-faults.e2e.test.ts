import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRegistry } from '../../src/emulator/accounts.js';
import { writeArchive, type ArchiveSummary } from '../../src/emulator/archive/archive.writer.js';
import { freshPgSchema } from '../service/harness.js';
import { cli, ensureBuilt, startStack, tempHome, type Stack } from './harness.js';

/**
 * Issue 16's done-when, the faults: a corrupt entry is reported (job failures, `sync status`,
 * the import's report) and skipped while the rest is imported; a ZIP that is not a Garmin export
 * is refused at the upload with a clear error (problem+json; one sentence and exit 2 from the
 * CLI) and nothing is stored. Real binary, real service and emulator, on both dialects.
 */
const OPTS = { seed: 4, activities: 20, days: 15, workouts: 1, endDate: '2026-10-31', account: 'nomfa@example.com', partSize: 12 };
const dialects = process.env.GARMINSYNC_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

let dir: string;
let damaged: string;
let summary: ArchiveSummary;
const data = new AccountRegistry(OPTS.seed, OPTS).byEmail(OPTS.account)!.data;

beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'gs-archive-faults-'));
  damaged = join(dir, 'damaged.zip');
  summary = await writeArchive({ ...OPTS, out: damaged, corrupt: ['activity-fit', 'sleep-json'] });
}, 120_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each(dialects)('archive import faults (real binary, service, emulator; %s)', (dialect) => {
  let stack: Stack;
  let home: string;
  let dropPg: (() => Promise<void>) | undefined;
  const run = (args: string[]) => cli(args, { home, server: stack.url, timeoutMs: 120_000 });
  const api = async (method: string, path: string, init: { body?: Buffer; type?: string } = {}) => {
    const token = (await run(['auth', 'token'])).stdout.trim();
    return fetch(`${stack.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(init.type ? { 'content-type': init.type } : {}) },
      ...(init.body ? { body: init.body } : {}),
    });
  };

  beforeAll(async () => {
    let env: Record<string, string> | undefined;
    if (dialect === 'postgres') {
      const pg = await freshPgSchema(process.env.GARMINSYNC_TEST_PG_URL!, 'arcf');
      dropPg = pg.drop;
      env = { GARMINSYNC_DATABASE: pg.url };
    }
    stack = await startStack({ activities: 1, days: 1, workouts: 1, ...(env ? { env } : {}) });
    home = await tempHome();
    const login = await cli(['auth', 'login', '-u', OPTS.account, '--password-stdin'], { home, server: stack.url, input: 'demo-password' });
    expect(login.code, login.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await dropPg?.();
  });

  it('reports a corrupt activity FIT and a corrupt sleep file, skips them and imports the rest (exit 9)', async () => {
    expect(summary.corrupt_entries.map((c) => c.kind)).toEqual(['activity-fit', 'sleep-json']);
    const [fitEntry, sleepEntry] = summary.corrupt_entries;
    const r = await run(['import', 'archive', damaged, '--wait']);
    expect(r.code, r.stderr + r.stdout).toBe(9);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const jobId = /garminsync sync status (\S+)/.exec(r.stderr + r.stdout)?.[1];
    expect(jobId, r.stderr + r.stdout).toBeTruthy();

    // Where the user looks: `sync status JOB` names each skipped entry with its reason.
    const status = await run(['sync', 'status', jobId!]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('Failed items:');
    expect(status.stdout).toContain(`fit:${fitEntry!.path}  FIT_INVALID`);
    expect(status.stdout).toContain(`entry:${sleepEntry!.path}  ARCHIVE_ENTRY_CORRUPT`);
    const job = JSON.parse((await run(['sync', 'status', jobId!, '--json'])).stdout);
    expect(job).toMatchObject({ sync_type: 'archive', status: 'completed', failed_items: 2 });

    // The import's own report lists them too.
    const imports = (await (await api('GET', '/imports')).json()) as {
      items: { job_id: string; report: { skipped_entries: { path: string; code: string }[]; activities_stored: number } }[];
    };
    const report = imports.items.find((i) => i.job_id === jobId)!.report;
    expect(report.skipped_entries.map((s) => [s.path, s.code])).toEqual(
      expect.arrayContaining([
        [fitEntry!.path, 'FIT_INVALID'],
        [sleepEntry!.path, 'ARCHIVE_ENTRY_CORRUPT'],
      ]),
    );
    expect(report.skipped_entries).toHaveLength(2);
    expect(report).toMatchObject({ activities: 20, activities_stored: 20, activity_fits_matched: 19, activity_fits_unmatched: 0 });

    // The rest is imported: every activity, every FIT but the damaged one (byte for byte), every day.
    const list = JSON.parse((await run(['activities', 'list', '--limit', '100', '--json'])).stdout).items as {
      activity_id: string;
      fit: unknown;
    }[];
    expect(list).toHaveLength(20);
    for (const a of list) {
      if (a.activity_id === fitEntry!.activity_id) {
        expect(a.fit).toBeNull();
        continue;
      }
      const fit = await api('GET', `/activities/${a.activity_id}/fit`);
      expect(fit.status).toBe(200);
      expect(Buffer.from(await fit.arrayBuffer()).equals(Buffer.from(data.fitBytes(Number(a.activity_id))!))).toBe(true);
    }
    const cov = JSON.parse((await run(['coverage', '--from', '2026-10-17', '--to', '2026-10-31', '--json'])).stdout) as {
      totals: { metric: string; present: number; from_archive: number }[];
    };
    expect(cov.totals.find((t) => t.metric === 'summary')).toMatchObject({ present: 15, from_archive: 15 });
    // The only sleep file was the damaged one.
    expect(cov.totals.find((t) => t.metric === 'sleep')).toMatchObject({ from_archive: 0 });
  }, 240_000);

  it('refuses a ZIP that is not a Garmin export: problem+json from the API, one sentence and exit 2 from the CLI, nothing stored', async () => {
    const photos = join(dir, `photos-${dialect}.zip`);
    await writeFile(
      photos,
      zipSync({ 'Holiday/IMG_0001.jpg': new Uint8Array(4096).fill(7), 'Holiday/notes.txt': new TextEncoder().encode('a nice trip') }),
    );
    const imports = async () => ((await (await api('GET', '/imports')).json()) as { items: unknown[] }).items.length;
    const jobs = async () => JSON.parse((await run(['sync', 'list', '--json'])).stdout).items.length as number;
    const before = [await imports(), await jobs()];

    const r = await run(['import', 'archive', photos]);
    expect(r.code).toBe(2);
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('Uploading')),
    ).toEqual([expect.stringMatching(/^The ZIP is not a Garmin account export: .*\.$/)]);
    expect(r.stdout).toBe('');

    const answer = await api('POST', '/imports', {
      body: await import('node:fs/promises').then((f) => f.readFile(photos)),
      type: 'application/zip',
    });
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await answer.json()).toMatchObject({ code: 'ARCHIVE_INVALID', detail: expect.stringMatching(/not a Garmin account export/) });

    expect([await imports(), await jobs()]).toEqual(before);
  }, 120_000);
});
