// Micro-benchmark behind bench/findings.md's row-7 entry: wall time of one claim (the fair
// ranking, the lock and the update; `claimMany` with one free slot) over a backlog of pending jobs
// of one user with a history of finished ones, on each dialect the store tests use (SQLite in a
// temp file; PostgreSQL when GARMINSYNC_TEST_PG_URL is set). Each claimed job is completed before
// the next claim, as a worker's slot frees. Compare builds by running it in each worktree.
// `npx tsx bench/micro/claim.ts [pending] [history] [claims]`; prints JSON (median, min, max in ms).
import { testDialects } from '../../src/store/testing/dialects.js';
import { SyncStore } from '../../src/store/sync-store.js';

const pending = Number(process.argv[2] ?? 1000);
const history = Number(process.argv[3] ?? 2000);
const claims = Number(process.argv[4] ?? 50);
const T0 = Date.UTC(2026, 0, 1);

const results: Record<string, { median: number; min: number; max: number }> = {};
for (const dialect of testDialects()) {
  const t = await dialect.open();
  try {
    const store = new SyncStore(t.db);
    const rows = Array.from({ length: pending + history }, (_, i) => {
      const done = i < history;
      return {
        job_id: `job-${String(i).padStart(7, '0')}`,
        user_id: 'bench-user',
        session_id: 'bench-session',
        sync_type: 'activities',
        params: '{}',
        status: done ? 'completed' : 'pending',
        start_time: done ? T0 + i : null,
        end_time: done ? T0 + i : null,
        active_key: done ? null : `key-${i}`,
        created_at: T0 + i,
        updated_at: T0 + i,
        progress: 0,
        processed_items: 0,
        failed_items: 0,
        cancel_requested: 0,
        attempts: done ? 1 : 0,
      };
    });
    for (let i = 0; i < rows.length; i += 500)
      await t.db
        .insertInto('sync_jobs')
        .values(rows.slice(i, i + 500))
        .execute();
    const times: number[] = [];
    for (let i = 0; i < claims; i++) {
      const now = T0 + 10_000_000 + i;
      const started = performance.now();
      const [job] = await store.jobs.claimMany('bench-worker', now, 60_000, 1);
      times.push(performance.now() - started);
      if (!job) throw new Error('the backlog ran out');
      await store.jobs.transition(job, 'completed', now);
    }
    times.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    results[dialect.name] = { median: round(times[Math.floor(times.length / 2)]!), min: round(times[0]!), max: round(times.at(-1)!) };
  } finally {
    await t.close();
  }
}
console.log(JSON.stringify({ pending, history, claims, ms_per_claim: results }));
