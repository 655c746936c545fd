import { sql, type Kysely } from 'kysely';
import { transitionJob } from '../core/index.js';
import { capabilitiesOf } from './dialect.js';
import type { Database, Db } from './schema.js';

/**
 * Claims the next claimable job for `owner` and returns its id (undefined when none is left): a
 * pending job (→ running through `transitionJob`) or a running job whose lease expired or was
 * released (a crashed or stopped worker's job: it stays running and resumes). Sets the lease and
 * counts the attempt.
 *
 * Fair across users (issue 12.6): the candidates are ordered by how many jobs their user has
 * running under a live lease (fewest first), then by when that user was last served (the latest
 * start of any of their jobs; never served first), and only then by age. So one user's queue of
 * hundreds of jobs takes one slot while another user waits for none, and with a single slot the
 * users take turns.
 *
 * Where the dialect supports it (PostgreSQL) the chosen row is locked with FOR UPDATE SKIP LOCKED
 * in a transaction; otherwise (SQLite) the guarded update decides (one writer at a time). Either way a job is claimed by exactly one worker. Jobs in
 * `exclude` (the claimer's own running jobs) are never claimed.
 */
export async function claimNextJob(
  db: Db,
  owner: string,
  now: number,
  leaseMs: number,
  exclude: readonly string[] = [],
): Promise<string | undefined> {
  const { supportsSkipLocked } = capabilitiesOf(db);
  const claim = async (tx: Db): Promise<string | null | undefined> => {
    let q = tx
      .selectFrom('sync_jobs')
      .select(['sync_jobs.job_id', 'sync_jobs.status'])
      .$if(exclude.length > 0, (qb) => qb.where('sync_jobs.job_id', 'not in', exclude))
      .where((eb) =>
        eb.or([
          eb('sync_jobs.status', '=', 'pending'),
          eb.and([
            eb('sync_jobs.status', '=', 'running'),
            eb.or([eb('sync_jobs.lease_expires_at', 'is', null), eb('sync_jobs.lease_expires_at', '<', now)]),
          ]),
        ]),
      )
      .orderBy((eb) =>
        eb
          .selectFrom('sync_jobs as served')
          .select((s) => s.fn.countAll<number>().as('n'))
          .whereRef('served.user_id', '=', 'sync_jobs.user_id')
          .where('served.status', '=', 'running')
          .where('served.lease_expires_at', '>=', now),
      )
      .orderBy((eb) =>
        eb
          .selectFrom('sync_jobs as last')
          // COALESCE: NULL sorts first in SQLite and last in PostgreSQL; never served = 0 on both.
          .select((s) => s.fn.coalesce(s.fn.max('last.start_time'), sql<number>`0`).as('t'))
          .whereRef('last.user_id', '=', 'sync_jobs.user_id'),
      )
      .orderBy('sync_jobs.created_at', 'asc')
      .orderBy('sync_jobs.job_id', 'asc');
    // With SKIP LOCKED: lock ONE row, skipping rows other claimers hold (locking several would
    // starve them). Without row locks (SQLite rejects the clause): read a few, win one by the guard.
    q = supportsSkipLocked ? q.limit(1).forUpdate('sync_jobs').skipLocked() : q.limit(5);
    const candidates = await q.execute();
    if (candidates.length === 0) return null;
    for (const c of candidates) {
      const lease = { lease_owner: owner, lease_expires_at: now + leaseMs, updated_at: now };
      let uq = tx.updateTable('sync_jobs').where('job_id', '=', c.job_id).where('status', '=', c.status);
      uq =
        c.status === 'pending'
          ? uq.set({ ...transitionJob({ job_id: c.job_id, status: 'pending' }, 'running', now), ...lease })
          : uq.set(lease).where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', now)]));
      const res = await uq.set((eb) => ({ attempts: eb('attempts', '+', 1) })).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) return c.job_id;
    }
    return undefined; // all lost to concurrent claimers
  };
  // Every candidate read may be won by a concurrent claimer; read again until one is won or none is left.
  for (let round = 0; round < 10; round++) {
    const id = supportsSkipLocked && !db.isTransaction ? await (db as Kysely<Database>).transaction().execute(claim) : await claim(db);
    if (id === null) return undefined;
    if (id !== undefined) return id;
  }
  return undefined;
}
