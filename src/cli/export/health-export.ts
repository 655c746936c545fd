import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HealthDayDetail, HealthDayList, HealthDayRow } from '../../contract/index.js';
import { familyColumns, familyRows, HEALTH_METRICS } from './health-columns.js';
import type { Mirror } from './mirror.js';
import { healthDayPath, healthFamilyCsvPath } from './names.js';
import { csv, type Column } from './tables.js';

/** What the health part of the export needs from the service. */
export interface HealthExportApi {
  listHealthDays(query: { from?: string; limit?: number; cursor?: string }, signal?: AbortSignal): Promise<HealthDayList>;
  getHealthDay(date: string, metric?: string, signal?: AbortSignal): Promise<HealthDayDetail>;
}

export const DAILY_COLUMNS: readonly Column<HealthDayRow>[] = [
  { header: 'calendar_date', value: (d) => d.calendar_date },
  { header: 'steps', value: (d) => d.steps },
  { header: 'resting_heart_rate_bpm', value: (d) => d.resting_heart_rate },
  { header: 'sleep_s', value: (d) => d.sleep_seconds },
  { header: 'hrv_last_night_ms', value: (d) => d.hrv_last_night_ms },
  { header: 'stress_average', value: (d) => d.stress_average },
  { header: 'body_battery_high', value: (d) => d.body_battery_high },
  { header: 'body_battery_low', value: (d) => d.body_battery_low },
  { header: 'weight_kg', value: (d) => d.weight_kg },
  { header: 'families', value: (d) => d.families.join(';') },
  { header: 'synced_at_utc', value: (d) => d.synced_at },
];

/** All health day rows, oldest first. */
export async function listHealthDays(api: HealthExportApi, signal: AbortSignal): Promise<HealthDayRow[]> {
  const rows: HealthDayRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listHealthDays({ limit: 3660, cursor }, signal);
    rows.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return rows.sort((a, b) => (a.calendar_date < b.calendar_date ? -1 : a.calendar_date > b.calendar_date ? 1 : 0));
}

/**
 * One day's document: from the folder when its JSON is still the one made from this sync of the
 * day (`synced_at`), else from the service (only for days in scope). Writes the JSON when asked.
 */
export async function exportHealthDay(
  api: HealthExportApi,
  mirror: Mirror,
  row: HealthDayRow,
  o: { dir: string; json: boolean; inScope: boolean; signal: AbortSignal; dryRun: boolean },
): Promise<HealthDayDetail | null> {
  const rel = healthDayPath(row.calendar_date);
  if (await mirror.upToDate(rel, row.synced_at)) {
    if (o.json) mirror.skip();
    try {
      return JSON.parse(await readFile(join(o.dir, ...rel.split('/')), 'utf8')) as HealthDayDetail;
    } catch {
      // Unreadable after all: fetch it again below.
    }
  }
  if (!o.inScope) return null;
  const day = await api.getHealthDay(row.calendar_date, undefined, o.signal);
  if (o.json)
    await mirror.put(rel, Buffer.from(`${JSON.stringify(day, null, 2)}\n`), {
      type: 'health_day',
      id: row.calendar_date,
      from: row.synced_at,
    });
  return day;
}

/** `health/daily.csv` and one `health/<family>.csv` per family that has any stored day. */
export async function writeHealthTables(mirror: Mirror, rows: readonly HealthDayRow[], days: readonly HealthDayDetail[]): Promise<void> {
  await mirror.put('health/daily.csv', csv(DAILY_COLUMNS, rows), { type: 'table', id: 'health/daily' });
  for (const family of HEALTH_METRICS) {
    const familyData = familyRows(family, days);
    if (familyData.length === 0 && !(healthFamilyCsvPath(family) in mirror.manifest.files)) continue;
    await mirror.put(healthFamilyCsvPath(family), csv(familyColumns(family), familyData), { type: 'table', id: `health/${family}` });
  }
}
