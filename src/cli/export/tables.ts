import { stringify } from 'csv-stringify/sync';
import type { Activity, Workout } from '../../contract/index.js';

/**
 * The CSV files of the export, one column list each. The columns are part of the export's
 * documented interface (docs/cli.md): new columns go at the end, none is renamed or removed.
 * Units are in the header names. Rows are oldest first, so a new export appends.
 */
export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null;
}

/** RFC 4180 CSV with a header line (csv-stringify quotes what needs quoting). */
export function csv<T>(columns: readonly Column<T>[], rows: readonly T[]): Buffer {
  return Buffer.from(
    stringify(
      rows.map((r) => columns.map((c) => c.value(r) ?? '')),
      { header: true, columns: columns.map((c) => c.header), record_delimiter: '\n' },
    ),
  );
}

/** An activity with the files the export holds for it. */
export interface ActivityRow extends Activity {
  fit_file: string | null;
  gpx_file: string | null;
}

export const ACTIVITY_COLUMNS: readonly Column<ActivityRow>[] = [
  { header: 'activity_id', value: (a) => a.activity_id },
  { header: 'start_time_utc', value: (a) => a.start_time },
  { header: 'start_time_local', value: (a) => a.start_time_local },
  { header: 'sport', value: (a) => a.sport },
  { header: 'name', value: (a) => a.name },
  { header: 'duration_s', value: (a) => a.duration_seconds },
  { header: 'distance_m', value: (a) => a.distance_meters },
  { header: 'calories_kcal', value: (a) => a.calories },
  { header: 'average_hr_bpm', value: (a) => a.average_hr },
  { header: 'fit_size_bytes', value: (a) => a.fit?.size_bytes ?? null },
  { header: 'fit_sha256', value: (a) => a.fit?.sha256 ?? null },
  { header: 'fit_file', value: (a) => a.fit_file },
  { header: 'gpx_file', value: (a) => a.gpx_file },
];

export interface WorkoutRow extends Workout {
  fit_file: string | null;
}

export const WORKOUT_COLUMNS: readonly Column<WorkoutRow>[] = [
  { header: 'workout_id', value: (w) => w.workout_id },
  { header: 'name', value: (w) => w.name },
  { header: 'sport', value: (w) => w.sport },
  { header: 'updated_at_utc', value: (w) => w.updated_at },
  { header: 'fit_size_bytes', value: (w) => w.fit?.size_bytes ?? null },
  { header: 'fit_sha256', value: (w) => w.fit?.sha256 ?? null },
  { header: 'fit_file', value: (w) => w.fit_file },
];

const byKey =
  <T>(key: (r: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** Oldest first, then by id: a stable order that new activities append to. */
export const activityOrder = byKey<Activity>((a) => `${a.start_time}|${a.activity_id.padStart(20, '0')}`);
export const workoutOrder = byKey<Workout>((w) => w.workout_id.padStart(20, '0'));
