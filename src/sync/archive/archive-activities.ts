import { AppError } from '../../core/index.js';
import type { ActivityUpsert } from '../../store/index.js';
import { num, type Json } from '../json-values.js';

/**
 * Garmin's archive activity records (`*_summarizedActivities.json`) read into the fields we store
 * for an activity, with the archive's units converted (garmin-archive.md §3.1): durations ms → s,
 * distance cm → m, epoch-ms times (also in exponent form, which JSON.parse reads exactly).
 * Multisport parents are skipped (their legs are separate records; the parent would double-count).
 */
export type ArchiveActivity = Omit<ActivityUpsert, 'user_id' | 'raw' | 'fit' | 'job_id'> & {
  /** The archive record as it was (its own units). */
  raw: Record<string, unknown>;
};

/** The activity records of one file: from every `summarizedActivitiesExport` element, or a bare array. */
export function parseSummarizedActivities(text: string, path: string): Json[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new AppError('ARCHIVE_ENTRY_CORRUPT', `The archive entry ${path} is not valid JSON.`);
  }
  if (!Array.isArray(doc)) throw new AppError('ARCHIVE_ENTRY_CORRUPT', `The archive entry ${path} is not a list of activities.`);
  const out: Json[] = [];
  for (const el of doc as unknown[]) {
    if (el && typeof el === 'object' && Array.isArray((el as Json).summarizedActivitiesExport)) {
      for (const a of (el as Json).summarizedActivitiesExport as unknown[]) if (a && typeof a === 'object') out.push(a as Json);
    } else if (el && typeof el === 'object' && 'activityId' in el) {
      out.push(el as Json);
    }
  }
  return out;
}

/** One record as an activity, or undefined when it is not one we import (no id/start, a multisport parent). */
export function toArchiveActivity(r: Json): ArchiveActivity | undefined {
  const id = num(r.activityId) ?? (typeof r.activityId === 'string' && /^\d{1,19}$/.test(r.activityId) ? Number(r.activityId) : null);
  const start = num(r.startTimeGmt) ?? num(r.beginTimestamp);
  if (id === null || !Number.isSafeInteger(id) || id <= 0 || start === null) return undefined;
  if (r.parent === true && /multi_?sport/i.test(String(r.activityType ?? r.sportType ?? ''))) return undefined;
  const type =
    typeof r.activityType === 'string'
      ? r.activityType
      : typeof (r.activityType as Json | undefined)?.typeKey === 'string'
        ? ((r.activityType as Json).typeKey as string)
        : 'unknown';
  const ms = num(r.duration) ?? num(r.elapsedDuration);
  const cm = num(r.distance);
  return {
    activity_id: String(id),
    name: typeof r.name === 'string' ? r.name : null,
    sport: type,
    start_time: Math.round(start),
    duration_seconds: ms === null ? null : ms / 1000,
    distance_meters: cm === null ? null : cm / 100,
    calories: num(r.calories),
    average_hr: num(r.avgHr),
    raw: r,
  };
}

/**
 * The archive's `beginTimestamp` (ms) to match a FIT file's session start by: sources join on
 * it exactly, within ±5 s, or the nearest within 300 s (garmin-archive.md §4).
 */
export function beginTimestampOf(r: Json): number | null {
  return num(r.beginTimestamp) ?? num(r.startTimeGmt);
}
