import type { Selectable } from 'kysely';
import type { ErrorCode, JobProbe, JobStatus } from '../core/index.js';
import { fromFlag } from './json.js';
import type { SyncJobsTable } from './sync.tables.js';
import type { SyncJobParams, SyncJobRecord } from './sync-job.types.js';

/** Canonical JSON of params: equal params → equal text (dedupe compares text). */
export function canonicalParams(p: SyncJobParams): string {
  return JSON.stringify({
    from: p.from ?? null,
    to: p.to ?? null,
    full: Boolean(p.full),
    ...(p.import_id ? { import_id: p.import_id } : {}),
    ...(p.retry_failed_of ? { retry_failed_of: p.retry_failed_of } : {}),
    ...(p.metrics?.length ? { metrics: [...p.metrics] } : {}),
    ...(p.missing ? { missing: true } : {}),
  });
}

/** A sync_jobs row as the repository returns it. */
export function toRecord(row: Selectable<SyncJobsTable>): SyncJobRecord {
  const params = JSON.parse(row.params) as SyncJobParams;
  return {
    job_id: row.job_id,
    user_id: row.user_id,
    session_id: row.session_id,
    sync_type: row.sync_type as SyncJobRecord['sync_type'],
    status: row.status as JobStatus,
    progress: row.progress,
    total_items: row.total_items,
    processed_items: row.processed_items,
    failed_items: row.failed_items,
    resumed_items: row.resumed_items,
    start_time: row.start_time,
    end_time: row.end_time,
    error_message: row.error_message,
    error_code: row.error_code as ErrorCode | null,
    params: {
      from: params.from ?? null,
      to: params.to ?? null,
      full: Boolean(params.full),
      ...(typeof params.import_id === 'string' ? { import_id: params.import_id } : {}),
      ...(typeof params.retry_failed_of === 'string' ? { retry_failed_of: params.retry_failed_of } : {}),
      ...(Array.isArray(params.metrics) && params.metrics.length > 0 ? { metrics: params.metrics.map(String) } : {}),
      ...(params.missing === true ? { missing: true } : {}),
    },
    cancel_requested: fromFlag(row.cancel_requested),
    lease_owner: row.lease_owner,
    lease_expires_at: row.lease_expires_at,
    attempts: row.attempts,
    created_at: row.created_at,
    updated_at: row.updated_at,
    trigger: row.trigger === 'schedule' ? 'schedule' : 'manual',
    probe: row.probe === null ? null : (JSON.parse(row.probe) as JobProbe),
  };
}
