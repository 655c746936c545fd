import { EARLIEST_SYNC_DATE, addDays } from '../../core/index.js';
import type { GarminConnectLike } from '../garmin.port.js';

type Call = <T>(fn: (g: GarminConnectLike, signal: AbortSignal) => Promise<T>) => Promise<T>;
type Json = Record<string, unknown>;

/** Weeks per weekly-steps request (Garmin's maximum). */
const WEEKS = 52;

const hasData = (w: Json) => {
  const v = w.values as Json | undefined;
  return typeof v?.wellnessDataDaysCount === 'number' ? v.wellnessDataDaysCount > 0 : typeof v?.totalSteps === 'number';
};

/**
 * The first calendar day the account has wellness data, found cheaply for `--full` (issue 13):
 * Garmin's weekly step stats cover 52 weeks per request and leave out weeks without data (an
 * empty list before the account's data), so walking back a year per request finds the oldest
 * week; one daily-steps request over that week finds the day. About one request per year of
 * history plus two. A year without any data ends the walk (older data behind such a gap is not
 * reached). null: the account has no wellness data.
 */
export async function firstHealthDay(call: Call, today: string): Promise<string | null> {
  let end = today;
  let oldestWeek: string | null = null;
  while (end >= EARLIEST_SYNC_DATE) {
    const blockEnd = end;
    const weeks = (await call((g, s) => g.health.getWeeklySteps(blockEnd, WEEKS, s))).filter(hasData);
    if (weeks.length === 0) break;
    oldestWeek = weeks.map((w) => String(w.calendarDate)).sort()[0]!;
    end = addDays(end, -WEEKS * 7);
  }
  if (oldestWeek === null) return null;
  const week = oldestWeek;
  const days = await call((g, s) => g.health.getDailySteps(week, addDays(week, 6), s));
  const first = days
    .filter((d) => typeof d.totalSteps === 'number')
    .map((d) => String(d.calendarDate))
    .sort()[0];
  const day = first ?? week;
  return day < EARLIEST_SYNC_DATE ? EARLIEST_SYNC_DATE : day;
}
