import { Prng, deriveSeed } from './prng.js';
import { DAY_MS } from './time.js';

/**
 * When activities happen and which ids they get. Each day has three slots (morning, midday,
 * evening) with duration caps so that activities on one day never overlap; the history is
 * walked back from the end date, so the newest activity is on the end date itself. Ids grow
 * with time like Garmin's (about 100 per second plus jitter), so "newest first" is also
 * "highest id first".
 */
export interface Placement {
  startMs: number;
  maxMinutes: number;
  id: number;
}

const SLOTS = [
  { fromHour: 5.5, toHour: 7.5, maxMinutes: 270 },
  { fromHour: 12, toHour: 13, maxMinutes: 240 },
  { fromHour: 17.5, toHour: 19, maxMinutes: 180 },
] as const;

/** The longest history generated; past that, activities share days (up to three a day). */
const MAX_SPAN_DAYS = 365 * 12;

/**
 * Placements for `count` activities, oldest first, ending on `endDateMs` (00:00 UTC of the end
 * date) — or, with `notAfterMs`, in the latest slot that has surely ended by then.
 */
export function initialPlacements(seed: number, count: number, endDateMs: number, offsetMs: number, notAfterMs?: number): Placement[] {
  if (count <= 0) return [];
  const spanDays = Math.min(count * 1.9, MAX_SPAN_DAYS);
  const meanGap = Math.max(1, (spanDays * SLOTS.length) / count);
  const endDay = Math.floor(endDateMs / DAY_MS);
  const slots: number[] = new Array<number>(count);
  let slot = endDay * SLOTS.length + new Prng(deriveSeed(seed, 'newest-slot')).int(0, SLOTS.length - 1);
  if (notAfterMs !== undefined) {
    // Garmin has no activity that has not happened yet: step back to a slot whose latest possible
    // end (its last start hour plus its longest duration, in UTC) is not after notAfterMs.
    const latestEnd = (s: number) => {
      const part = SLOTS[s % SLOTS.length] ?? SLOTS[0];
      return Math.floor(s / SLOTS.length) * DAY_MS + part.toHour * 3_600_000 + part.maxMinutes * 60_000 - offsetMs;
    };
    while (latestEnd(slot) > notAfterMs) slot -= 1;
  }
  for (let k = count - 1; k >= 0; k--) {
    slots[k] = slot;
    const prng = new Prng(deriveSeed(seed, 'gap', k));
    slot -= Math.max(1, Math.round(meanGap * prng.range(0.2, 1.8)));
  }
  const starts = slots.map((s, k) => {
    const part = SLOTS[s % SLOTS.length] ?? SLOTS[0];
    const prng = new Prng(deriveSeed(seed, 'start', k));
    const localMs = Math.floor(s / SLOTS.length) * DAY_MS + Math.round(prng.range(part.fromHour, part.toHour) * 3600) * 1000;
    return { startMs: localMs - offsetMs, maxMinutes: part.maxMinutes };
  });
  const placements: Placement[] = new Array<Placement>(count);
  let id = 60_000_000_000 + (deriveSeed(seed, 'ids') % 1_000_000_000);
  for (let k = count - 1; k >= 0; k--) {
    const s = starts[k];
    if (!s) continue;
    placements[k] = { ...s, id };
    const older = starts[k - 1];
    if (older) id -= idStep(seed, k, (s.startMs - older.startMs) / 1000);
  }
  return placements;
}

function idStep(seed: number, index: number, gapSeconds: number): number {
  return Math.round(gapSeconds * 100) + new Prng(deriveSeed(seed, 'id-jitter', index)).int(1, 500_000);
}

/**
 * Placement of an activity added after the newest one (the control API's "new upstream
 * activities"): 5–30 minutes after the previous one ends and at most 90 minutes long, so that
 * a handful of additions stay close to the end date.
 */
export function appendedPlacement(seed: number, index: number, previous: { startMs: number; durationS: number; id: number }): Placement {
  const prng = new Prng(deriveSeed(seed, 'appended', index));
  const startMs = previous.startMs + previous.durationS * 1000 + prng.int(5, 30) * 60_000;
  return { startMs, maxMinutes: 90, id: previous.id + idStep(seed, index, (startMs - previous.startMs) / 1000) };
}
