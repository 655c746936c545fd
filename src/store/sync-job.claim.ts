import { sql, type CompiledQuery, type Kysely, type Selectable } from 'kysely';
import { transitionJob } from '../core/index.js';
import { capabilitiesOf } from './dialect.js';
import { toRecord } from './sync-job.rows.js';
import type { Database, Db } from './schema.js';
import type { SyncJobsTable } from './sync.tables.js';
import { claimable, rankedCandidates } from './sync-job.ranking.js';
import type { SyncJobRecord } from './sync-job.types.js';

/**
 * Claims up to `limit` claimable jobs for `owner` at once and returns them in claim order (none
 * when nothing is left): pending jobs (→ running through `transitionJob`) and running jobs whose
 * lease expired or was released (a crashed or stopped worker's job: it stays running and resumes).
 * Sets each lease and counts the attempt. A worker with several free slots fills them with one
 * claim (issue 17): one ranking, one lock, one update per status instead of one round of each per job.
 *
 * Fair across users (issue 12.6): the next job goes to the user with the fewest jobs running under
 * a live lease, then to the one served least recently (the latest start of any of their jobs;
 * never served first), then to the one whose oldest claimable job is oldest; a user's jobs go
 * oldest first. So one user's queue of hundreds of jobs takes one slot while another user waits
 * for none, and with a single slot the users take turns.
 *
 * A batch takes exactly the jobs, in exactly the order, that `limit` claims one at a time at the
 * same instant would take (tested): the comparison above is evaluated for each candidate as it
 * will stand when its turn comes — a user's n-th job of the batch counts the user's live jobs plus
 * the n − 1 before it, and a user whose pending job the batch already started was served now. Each
 * user's candidates then rise strictly in that order, so sorting by it equals picking the best one
 * at a time. The per-user figures are computed once per user with claimable jobs, not once per
 * candidate row (issue 17: the per-row subqueries made one claim over a backlog of 1,000 jobs
 * take 0.2–0.7 s on PostgreSQL).
 *
 * Where the dialect supports it (PostgreSQL) the chosen rows are locked with FOR UPDATE SKIP LOCKED
 * in a transaction, so concurrent claimers take disjoint sets; otherwise (SQLite) the guarded
 * update decides (one writer at a time). Either way a job is claimed by exactly one worker. Jobs in
 * `exclude` (the claimer's own running jobs) are never claimed. A batch never adds active jobs,
 * so it cannot take a user past the per-user limit, which `createOrGetActive` enforces.
 */
export async function claimJobs(
  db: Db,
  owner: string,
  now: number,
  leaseMs: number,
  limit: number,
  exclude: readonly string[] = [],
): Promise<SyncJobRecord[]> {
  if (limit < 1) return [];
  const { supportsSkipLocked, dataModifyingCtes } = capabilitiesOf(db);
  // PostgreSQL: rank, lock and update in ONE statement (issue 17: no BEGIN, SELECT, UPDATE, COMMIT
  // round trips per claim). Row locks taken by the statement decide between concurrent claimers.
  if (supportsSkipLocked && dataModifyingCtes) {
    const won = await claimInOneStatement(db, owner, now, leaseMs, limit, exclude, limit + LOCKED_SLACK);
    if (won.length === limit) return won;
    // Short: nothing more is claimable, or more than LOCKED_SLACK of a user's first jobs were locked
    // by concurrent claimers. Rank the whole backlog for the rest (cheap when the backlog is small).
    const more = await claimInOneStatement(db, owner, now, leaseMs, limit - won.length, [...exclude, ...won.map((j) => j.job_id)]);
    return [...won, ...more];
  }
  const claim = async (tx: Db): Promise<SyncJobRecord[] | null> => {
    const candidates = await rankedCandidates(tx, now, limit, exclude, supportsSkipLocked).execute();
    if (candidates.length === 0) return null;
    const lease = { lease_owner: owner, lease_expires_at: now + leaseMs, updated_at: now };
    const pending = candidates.filter((c) => c.status === 'pending').map((c) => c.job_id);
    const expired = candidates.filter((c) => c.status === 'running').map((c) => c.job_id);
    const won = [];
    if (pending.length > 0) {
      const started = transitionJob({ job_id: pending[0]!, status: 'pending' }, 'running', now);
      won.push(
        ...(await tx
          .updateTable('sync_jobs')
          .set({ ...started, ...lease })
          .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
          .where('job_id', 'in', pending)
          .where('status', '=', 'pending')
          .returningAll()
          .execute()),
      );
    }
    if (expired.length > 0) {
      won.push(
        ...(await tx
          .updateTable('sync_jobs')
          .set(lease)
          .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
          .where('job_id', 'in', expired)
          .where((eb) => claimable(eb, 'sync_jobs', now))
          .returningAll()
          .execute()),
      );
    }
    const order = new Map(candidates.map((c, i) => [c.job_id, i]));
    return won.map(toRecord).sort((a, b) => order.get(a.job_id)! - order.get(b.job_id)!);
  };
  // Every candidate may be won by a concurrent claimer (SQLite); read again until one is won or none is left.
  for (let round = 0; round < 10; round++) {
    const jobs = supportsSkipLocked && !db.isTransaction ? await (db as Kysely<Database>).transaction().execute(claim) : await claim(db);
    if (jobs === null) return [];
    if (jobs.length > 0) return jobs;
  }
  return [];
}

/**
 * The claim as one statement: the ranked candidates locked with SKIP LOCKED (rows another claimer
 * holds are skipped; a row another claimer took since the snapshot is re-checked on its newest
 * version and dropped), numbered in claim order, then updated — a pending job through
 * `transitionJob` to running, an expired or released one keeping its status and start — guarded by
 * the claimable test again. Returns the won jobs in claim order.
 */
async function claimInOneStatement(
  db: Db,
  owner: string,
  now: number,
  leaseMs: number,
  limit: number,
  exclude: readonly string[],
  capPerUser?: number,
): Promise<SyncJobRecord[]> {
  const shape = `${limit}|${capPerUser ?? ''}|${exclude.length}`;
  let byShape = compiledClaims.get(db);
  if (!byShape) compiledClaims.set(db, (byShape = new Map()));
  let template = byShape.get(shape);
  if (!template) {
    const slots = Array.from({ length: exclude.length }, (_, n) => `${SLOT_EXCLUDE}${n}`);
    template = claimStatement(db, SLOT_OWNER, SLOT_NOW, SLOT_LEASE, limit, slots, capPerUser).compile();
    // A slot written into the SQL text (Kysely inlines some values, e.g. CASE … THEN) would not be replaced.
    if (/9000000000001|9000000000002/.test(template.sql) || template.sql.includes(SLOT_OWNER[0]!))
      throw new Error('claim statement: a slot value was inlined');
    byShape.set(shape, template);
  }
  const lease = now + leaseMs;
  const parameters = template.parameters.map((p) => {
    if (p === SLOT_NOW) return now;
    if (p === SLOT_LEASE) return lease;
    if (p === SLOT_OWNER) return owner;
    if (typeof p === 'string' && p.startsWith(SLOT_EXCLUDE)) return exclude[Number(p.slice(SLOT_EXCLUDE.length))];
    return p;
  });
  const { rows } = await db.executeQuery<ClaimedRow>({ ...template, parameters });
  return rows.sort((a, b) => Number(a.ord) - Number(b.ord)).map(({ ord: _ord, ...row }) => toRecord(row));
}

/**
 * The claim statement of one shape (limit, cap, number of excluded jobs) is built and compiled
 * once per database handle with the slot values below in place of the varying ones, which each
 * claim then puts in (issue 17: building and compiling this query cost a worker process more CPU
 * than anything else it did per job). The slots cannot collide with a real value: no clock reads
 * a negative time, and no owner or job id starts with NUL.
 */
type ClaimedRow = Selectable<SyncJobsTable> & { ord: number };
const compiledClaims = new WeakMap<Db, Map<string, CompiledQuery<ClaimedRow>>>();
const SLOT_NOW = -9_000_000_000_001;
const SLOT_LEASE = -9_000_000_000_002;
const SLOT_OWNER = '\u0000owner';
const SLOT_EXCLUDE = '\u0000exclude:';

function claimStatement(
  db: Db,
  owner: string,
  now: number,
  leaseExpiresAt: number,
  limit: number,
  exclude: readonly string[],
  capPerUser?: number,
) {
  const started = transitionJob({ job_id: '', status: 'pending' }, 'running', now);
  return db
    .with('locked', () => rankedCandidates(db, now, limit, exclude, true, capPerUser))
    .with('picked', (w) =>
      w
        .selectFrom('locked')
        .select([
          'locked.job_id',
          sql<number>`row_number() over (order by locked.turn, locked.served_at, locked.created_at, locked.job_id)`.as('ord'),
        ]),
    )
    .updateTable('sync_jobs')
    .from('picked')
    .set((eb) => ({
      status: started.status,
      start_time: eb
        .case()
        .when('sync_jobs.status', '=', 'pending')
        .then(eb.val(started.start_time!))
        .else(eb.ref('sync_jobs.start_time'))
        .end(),
      lease_owner: owner,
      lease_expires_at: leaseExpiresAt,
      updated_at: now,
      attempts: eb('sync_jobs.attempts', '+', 1),
    }))
    .whereRef('sync_jobs.job_id', '=', 'picked.job_id')
    .where((eb) => claimable(eb, 'sync_jobs', now))
    .returningAll('sync_jobs')
    .returning('picked.ord');
}

/**
 * A batch of `limit` takes at most `limit` jobs of one user, the user's first ones in claim order:
 * ranking each user's first `limit` claimable jobs gives the same batch as ranking all of them. A
 * few more are ranked because SKIP LOCKED passes over rows concurrent claimers hold (each holds at
 * most its free slots); when even these are taken, the claim falls back to ranking everything.
 */
const LOCKED_SLACK = 32;
