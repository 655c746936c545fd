import type { AthleteProfile } from './account-profile.js';
import { buildDay, type DayModel } from './health.model.js';
import { dailyHeartRate, dailyStress, emptyHeartRate, hrvDay } from './health.dto.js';
import { dailySleep, noSleep } from './sleep.dto.js';
import { dailySummary } from './summary.dto.js';
import { DAY_MS } from './time.js';
import { weightDayView, weightRange, type DatedWeighIn } from './weight.dto.js';

type Json = Record<string, unknown>;

/**
 * An account's daily health data for `days` days ending on the end date. Day models are small
 * and built up front (weigh-in deltas and 7-day averages need neighbours); intraday series are
 * generated per request. Dates are 00:00 UTC epoch ms of the calendar date.
 */
export class HealthStore {
  private readonly daysByMs = new Map<number, DayModel>();
  private readonly weighIns: DatedWeighIn[] = [];
  private readonly firstMs: number;

  constructor(
    seed: number,
    private readonly athlete: AthleteProfile,
    private readonly profilePk: number,
    private readonly endMs: number,
    days: number,
  ) {
    this.firstMs = endMs - Math.max(0, days - 1) * DAY_MS;
    let previousGrams: number | null = null;
    for (let ms = this.firstMs; ms <= endMs && days > 0; ms += DAY_MS) {
      const day = buildDay(seed, athlete, ms);
      this.daysByMs.set(ms, day);
      // Chronological within the day: the morning scale reading, then a manual evening entry.
      const chronological = [...day.weighIns].sort((a, b) => a.timestampMs - b.timestampMs);
      for (const w of chronological) {
        this.weighIns.push({
          ...w,
          date: day.date,
          offsetMs: athlete.offsetMs,
          delta: previousGrams === null ? null : w.grams - previousGrams,
        });
        previousGrams = w.grams;
      }
    }
  }

  day(dayMs: number): DayModel | undefined {
    return this.daysByMs.get(dayMs);
  }

  /** 00:00 UTC of the newest day with data; undefined when there are none. */
  lastDayMs(): number | undefined {
    return this.daysByMs.has(this.endMs) ? this.endMs : undefined;
  }

  /** Every day model, oldest first. */
  allDays(): DayModel[] {
    return [...this.daysByMs.values()];
  }

  /** Every weigh-in, oldest first. */
  allWeighIns(): readonly DatedWeighIn[] {
    return this.weighIns;
  }

  private sevenDayResting(dayMs: number): number | null {
    const values: number[] = [];
    for (let i = 0; i < 7; i++) {
      const d = this.daysByMs.get(dayMs - i * DAY_MS);
      if (d) values.push(d.restingHr);
    }
    return values.length === 0 ? null : Math.round(values.reduce((a, b) => a + b, 0) / values.length);
  }

  summary(date: string, dayMs: number): Json {
    return dailySummary(this.day(dayMs), date, dayMs, this.athlete.offsetMs, this.profilePk, this.sevenDayResting(dayMs));
  }

  heartRate(date: string, dayMs: number): Json {
    const d = this.day(dayMs);
    return d
      ? dailyHeartRate(d, this.profilePk, this.sevenDayResting(dayMs) ?? d.restingHr)
      : emptyHeartRate(date, dayMs, this.athlete.offsetMs, this.profilePk);
  }

  /** `withNeed`: the sleep-service variant adds sleepNeed/nextSleepNeed. */
  sleep(date: string, dayMs: number, withNeed: boolean): Json {
    const d = this.day(dayMs);
    return d ? dailySleep(d, this.profilePk, this.athlete.deviceId, withNeed) : noSleep(date, this.profilePk);
  }

  /** null outside the data: Garmin answers a JSON `null` body. */
  stress(dayMs: number): Json | null {
    const d = this.day(dayMs);
    return d ? dailyStress(d, this.profilePk) : null;
  }

  /** undefined when the night has no HRV (the route answers 204). */
  hrv(dayMs: number): Json | undefined {
    const d = this.day(dayMs);
    return d ? hrvDay(d, this.profilePk) : undefined;
  }

  weightDay(date: string, dayMs: number): Json {
    const entries = this.weighIns.filter((w) => w.date === date).reverse();
    return weightDayView(date, dayMs, entries);
  }

  weightRange(startMs: number, endMs: number): Json {
    const dayOf = (w: DatedWeighIn) => Math.floor((w.timestampMs + w.offsetMs) / DAY_MS) * DAY_MS;
    const inside = this.weighIns.filter((w) => dayOf(w) >= startMs && dayOf(w) <= endMs);
    const byDay = new Map<number, DatedWeighIn[]>();
    for (const w of inside) byDay.set(dayOf(w), [w, ...(byDay.get(dayOf(w)) ?? [])]);
    const days = [...byDay.entries()].sort((a, b) => b[0] - a[0]).map(([, list]) => list);
    const previous = [...this.weighIns].reverse().find((w) => dayOf(w) < startMs);
    const next = this.weighIns.find((w) => dayOf(w) > endMs);
    return weightRange(startMs, endMs, days, previous, next);
  }
}
