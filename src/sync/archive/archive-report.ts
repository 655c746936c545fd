import type { SyncData } from '../syncer.js';

/** What the walk itself counts: the whole archive is walked on every attempt, so these are complete. */
export interface WalkCounts {
  activities: number;
  fit_files: number;
  other_fits: number;
}

/** The report stored on the import (the API's ImportReport). */
export interface ArchiveReport extends WalkCounts {
  activities_stored: number;
  activity_fits_matched: number;
  activity_fits_unmatched: number;
  health_days: number;
  health_records_kept_api: number;
  skipped_entries: { path: string; code: string; message: string }[];
  unmatched_fits: { entry_name: string; sha256: string; size_bytes: number; start_time: string | null }[];
}

/** The item keys the archive syncer gives each kind of entry (and an unreadable entry). */
export const ITEM_PREFIX = { activity: 'activity:', health: 'health:', fit: 'fit:', entry: 'entry:' } as const;

/**
 * An archive job's report, built at its completion from what is durable — the job's checkpoints,
 * its recorded failures, the rows it wrote — never from counters held in memory: a job resumed
 * after a crash (or on another process) did part of its work in an earlier attempt, and the
 * report still counts all of it exactly once.
 */
export async function archiveReport(
  tx: SyncData,
  o: { userId: string; jobId: string; importId: string; walk: WalkCounts },
): Promise<ArchiveReport> {
  const done = (prefix: string) => tx.jobItems.doneWithPrefix(o.jobId, prefix);
  const activities = await done(ITEM_PREFIX.activity);
  const health = await done(ITEM_PREFIX.health);
  const fits = await done(ITEM_PREFIX.fit);
  const writtenHealth = await tx.healthMetrics.countWrittenBy(o.userId, o.jobId);
  const unmatched = await tx.imports.unmatched(o.userId, o.importId);
  const failures = await tx.failures.listForJob(o.jobId);
  const prefixes = Object.values(ITEM_PREFIX) as string[];
  return {
    ...o.walk,
    activities_stored: activities.length,
    activity_fits_matched: fits.length - unmatched.length,
    activity_fits_unmatched: unmatched.length,
    // Keys are health:<family>:<YYYY-MM-DD>.
    health_days: new Set(health.map((k) => k.slice(k.lastIndexOf(':') + 1))).size,
    health_records_kept_api: Math.max(0, health.length - writtenHealth),
    skipped_entries: failures.map((f) => ({
      path: f.item_key.slice((prefixes.find((p) => f.item_key.startsWith(p)) ?? '').length),
      code: f.error_code,
      message: f.error_message,
    })),
    unmatched_fits: unmatched.map((u) => ({
      entry_name: u.entry_name,
      sha256: u.sha256,
      size_bytes: u.size_bytes,
      start_time: u.start_time === null ? null : new Date(u.start_time).toISOString(),
    })),
  };
}
