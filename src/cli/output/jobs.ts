import type { SyncJob } from '../../contract/index.js';
import { EXIT } from '../exit-codes.js';
import { durationText } from './format.js';
import type { Output } from './output.js';
import { printTable, type Cell, type Column } from './table.js';

/** The columns of the job table; `jobRow` gives one job's cells. */
export const JOB_COLUMNS: readonly Column[] = [
  { header: 'JOB', kind: 'id' },
  { header: 'TYPE' },
  { header: 'STATUS' },
  { header: 'PROGRESS' },
  { header: 'ITEMS' },
  { header: 'STARTED', kind: 'when' },
  { header: 'NOTE', shrink: true },
];

export function jobRow(j: SyncJob): Cell[] {
  return [
    j.job_id,
    j.sync_type,
    j.status,
    `${j.progress}%`,
    j.total_items === null ? `${j.processed_items}` : `${j.processed_items}/${j.total_items}`,
    j.start_time,
    j.error_message ?? (j.failed_items > 0 ? `${j.failed_items} item(s) failed` : ''),
  ];
}

/** The job table of `sync list`, `sync status` and `sync start`. */
export function printJobTable(out: Output, jobs: readonly SyncJob[], nowMs: number): void {
  printTable(out, JOB_COLUMNS, jobs.map(jobRow), nowMs);
}

/** `key: value` lines of one job for `sync status JOB`. */
export function jobDetail(out: Output, j: SyncJob, nowMs: number): string[] {
  const when = (iso: string | null) => out.fmt.when(iso, nowMs);
  const rows: [string, string][] = [
    ['Job', j.job_id],
    ['Type', j.sync_type],
    ['Status', j.status + (j.cancel_requested && j.status === 'running' ? ' (cancel requested)' : '')],
    ['Progress', `${j.progress}%`],
    [
      'Items',
      `${j.processed_items} of ${j.total_items ?? '?'} processed${j.resumed_items ? `, ${j.resumed_items} of them resumed from an earlier attempt` : ''}${j.failed_items ? `, ${j.failed_items} failed` : ''}`,
    ],
    [
      'Range',
      j.params.retry_failed_of
        ? `the failed items of job ${j.params.retry_failed_of}`
        : j.params.full
          ? 'full'
          : j.params.from || j.params.to
            ? `${j.params.from ?? '…'} to ${j.params.to ?? '…'}`
            : 'incremental',
    ],
    ['Created', when(j.created_at)],
    ['Started', when(j.start_time)],
    ['Ended', when(j.end_time)],
  ];
  if (j.start_time && j.end_time) rows.push(['Took', durationText((Date.parse(j.end_time) - Date.parse(j.start_time)) / 1000)]);
  if (j.error_message) rows.push(['Error', j.error_message]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${v}`);
}

/** Exit code for finished jobs: any failure → 5, else any cancellation → 6, else failed items → 9, else 0. */
export function outcomeExitCode(jobs: readonly SyncJob[]): number {
  if (jobs.some((j) => j.status === 'failed')) return EXIT.JOB_FAILED;
  if (jobs.some((j) => j.status === 'cancelled')) return EXIT.JOB_CANCELLED;
  if (jobs.some((j) => j.failed_items > 0)) return EXIT.COMPLETED_WITH_FAILURES;
  return EXIT.OK;
}

const NOUNS: Record<SyncJob['sync_type'], [string, string]> = {
  activities: ['activity', 'activities'],
  health: ['health day', 'health days'],
  workouts: ['workout', 'workouts'],
  archive: ['archive item', 'archive items'],
};

/** Items this job (this attempt) wrote itself: not resumed from an earlier attempt, not failed. */
export function writtenItems(j: SyncJob): number {
  return Math.max(0, j.processed_items - j.failed_items - j.resumed_items);
}

/** "168 activities, 90 health days and 12 workouts": what the jobs wrote themselves. */
export function itemsSummary(jobs: readonly SyncJob[]): string {
  const parts = jobs.map((j) => {
    const n = writtenItems(j);
    return `${n} ${NOUNS[j.sync_type][n === 1 ? 0 : 1]}`;
  });
  return parts.length <= 1 ? (parts[0] ?? 'nothing') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** ` (132 resumed from an earlier attempt, 3 failed)`, or nothing when neither happened. */
export function itemsNote(jobs: readonly SyncJob[]): string {
  const resumed = jobs.reduce((n, j) => n + j.resumed_items, 0);
  const failed = jobs.reduce((n, j) => n + j.failed_items, 0);
  const notes = [resumed ? `${resumed} resumed from an earlier attempt` : '', failed ? `${failed} failed` : ''].filter(Boolean);
  return notes.length ? ` (${notes.join(', ')})` : '';
}
