import { sql, type ExpressionBuilder } from 'kysely';
import type { Database, Db } from './schema.js';

// The fair ranking of claimable jobs behind claimJobs (sync-job.claim.ts), on both dialects.

/** The statuses of active jobs (those in the partial index of migration 018). */
const ACTIVE = ['pending', 'running'];

/** A pending job, or a running one whose lease ran out or was released. */
export function claimable(eb: ExpressionBuilder<Database, 'sync_jobs'>, table: 'sync_jobs', now: number) {
  return eb.or([
    eb(`${table}.status`, '=', 'pending'),
    eb.and([
      eb(`${table}.status`, '=', 'running'),
      eb.or([eb(`${table}.lease_expires_at`, 'is', null), eb(`${table}.lease_expires_at`, '<', now)]),
    ]),
  ]);
}

/**
 * The first `limit` claimable jobs in fair order (see claimJobs in sync-job.claim.ts). With SKIP LOCKED the rows are
 * locked here, skipping rows other claimers hold; the claimable test is repeated on the locked
 * table so that a row another claimer took after this statement's snapshot is re-checked on its
 * newest version (PostgreSQL's recheck of a locked row) and skipped. Without row locks (SQLite
 * rejects the clause) the guarded updates decide. With `capPerUser`, only each user's first
 * `capPerUser` claimable jobs are ranked (see LOCKED_SLACK), read from the partial index of active
 * jobs (LATERAL: PostgreSQL only).
 */
export function rankedCandidates(db: Db, now: number, limit: number, exclude: readonly string[], lockRows: boolean, capPerUser?: number) {
  const q = db
    .with('claimable', (w) =>
      capPerUser === undefined
        ? w
            .selectFrom('sync_jobs')
            .select(['sync_jobs.job_id', 'sync_jobs.user_id', 'sync_jobs.status', 'sync_jobs.created_at'])
            .where((eb) => claimable(eb, 'sync_jobs', now))
            .$if(exclude.length > 0, (qb) => qb.where('sync_jobs.job_id', 'not in', exclude))
        : // Each user's first `capPerUser` claimable jobs in their order, read from the partial index of
          // active jobs (migration 018) instead of the whole backlog.
          w
            .selectFrom((s) =>
              s.selectFrom('sync_jobs').select('sync_jobs.user_id').distinct().where('sync_jobs.status', 'in', ACTIVE).as('a'),
            )
            .innerJoinLateral(
              (eb) =>
                eb
                  .selectFrom('sync_jobs')
                  .select(['sync_jobs.job_id', 'sync_jobs.user_id', 'sync_jobs.status', 'sync_jobs.created_at'])
                  .whereRef('sync_jobs.user_id', '=', 'a.user_id')
                  .where('sync_jobs.status', 'in', ACTIVE)
                  .where((eb) => claimable(eb, 'sync_jobs', now))
                  .$if(exclude.length > 0, (qb) => qb.where('sync_jobs.job_id', 'not in', exclude))
                  .orderBy('sync_jobs.created_at')
                  .orderBy('sync_jobs.job_id')
                  .limit(capPerUser)
                  .as('j'),
              (join) => join.onTrue(),
            )
            .select(['j.job_id', 'j.user_id', 'j.status', 'j.created_at']),
    )
    // Materialized: SQLite would otherwise re-run the per-user subqueries for every candidate row.
    .with(
      (cte) => cte('users').materialized(),
      (w) =>
        w
          .selectFrom((s) => s.selectFrom('claimable').select('claimable.user_id').distinct().as('u'))
          .select((eb) => [
            'u.user_id',
            eb
              .selectFrom('sync_jobs as served')
              .select((s) => s.fn.countAll<number>().as('n'))
              .whereRef('served.user_id', '=', 'u.user_id')
              .where('served.status', '=', 'running')
              .where('served.lease_expires_at', '>=', now)
              .as('running'),
            eb
              .selectFrom('sync_jobs as last')
              // COALESCE: NULL sorts first in SQLite and last in PostgreSQL; never served = 0 on both.
              .select((s) => s.fn.coalesce(s.fn.max('last.start_time'), sql<number>`0`).as('t'))
              .whereRef('last.user_id', '=', 'u.user_id')
              .as('served_at'),
          ]),
    )
    .with('ranked', (w) =>
      w
        .selectFrom('claimable as c')
        .innerJoin('users as u', 'u.user_id', 'c.user_id')
        .select([
          'c.job_id',
          'c.created_at',
          sql<number>`u.running + row_number() over (partition by c.user_id order by c.created_at, c.job_id)`.as('turn'),
          // A pending job claimed earlier in the batch starts now, so its user was last served now;
          // resuming a running job keeps that job's start, as it does one claim at a time.
          sql<number>`case when coalesce(sum(case when c.status = 'pending' then 1 else 0 end) over (partition by c.user_id order by c.created_at, c.job_id rows between unbounded preceding and 1 preceding), 0) > 0 then ${now} else u.served_at end`.as(
            'served_at',
          ),
        ]),
    )
    .selectFrom('sync_jobs')
    .innerJoin('ranked as r', 'r.job_id', 'sync_jobs.job_id')
    .select(['sync_jobs.job_id', 'sync_jobs.status', 'r.turn', 'r.served_at', 'r.created_at'])
    .where((eb) => claimable(eb, 'sync_jobs', now))
    .orderBy('r.turn')
    .orderBy('r.served_at')
    .orderBy('r.created_at')
    .orderBy('r.job_id')
    .limit(limit);
  return lockRows ? q.forUpdate('sync_jobs').skipLocked() : q;
}
