/**
 * File names in the export folder. Everything that comes from Garmin (sport keys, workout names)
 * is made safe here: no path separators, no `..`, no control characters, no leading dot, no
 * characters that Windows or a shell would trip over, bounded length.
 */

const MAX_WORD = 60;

/** A name from Garmin as one safe file-name word: letters, digits, `.`, `_`, `-`; `fallback` when nothing is left. */
export function safeWord(value: string | null | undefined, fallback: string): string {
  const word = (value ?? '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/_+/g, '_')
    .replace(/^[._-]+|[._-]+$/g, '');
  const cut = [...word]
    .slice(0, MAX_WORD)
    .join('')
    .replace(/[._-]+$/, '');
  return cut === '' ? fallback : cut;
}

/** Garmin ids are digits; anything else never reaches a file name. */
function safeId(id: string): string {
  if (!/^[0-9]{1,20}$/.test(id)) throw new Error(`not a Garmin id: ${JSON.stringify(id).slice(0, 40)}`);
  return id;
}

/**
 * "2026-11-27 07:30:00" (Garmin's startTimeLocal) or an ISO timestamp → `2026-11-27`, `0730`.
 * The local time is what the user saw on the watch; UTC when Garmin sent no local time.
 */
function dayAndTime(startLocal: string | null, startUtc: string): { year: string; day: string; hhmm: string } {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(startLocal ?? '') ?? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(startUtc);
  if (!m) throw new Error(`not a timestamp: ${startUtc}`);
  return { year: m[1]!, day: `${m[1]}-${m[2]}-${m[3]}`, hhmm: `${m[4]}${m[5]}` };
}

/** `activities/YYYY/YYYY-MM-DD_HHMM_<sport>_<activityId>` (add `.fit` or `.gpx`). */
export function activityStem(a: { activity_id: string; sport: string; start_time: string; start_time_local: string | null }): string {
  const t = dayAndTime(a.start_time_local, a.start_time);
  return `activities/${t.year}/${t.day}_${t.hhmm}_${safeWord(a.sport, 'activity')}_${safeId(a.activity_id)}`;
}

/** `workouts/<workoutId>_<name>.fit`. */
export function workoutFitPath(w: { workout_id: string; name: string | null }): string {
  return `workouts/${safeId(w.workout_id)}_${safeWord(w.name, 'workout')}.fit`;
}

/** `health/YYYY/YYYY-MM-DD.json`. */
export function healthDayPath(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a calendar date: ${date.slice(0, 20)}`);
  return `health/${date.slice(0, 4)}/${date}.json`;
}

/** `health/<family>.csv` (family names come from core's list, checked anyway). */
export function healthFamilyCsvPath(family: string): string {
  return `health/${safeWord(family, 'family')}.csv`;
}
