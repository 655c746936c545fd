import type { AthleteProfile } from './account-profile.js';
import { buildDayExtras, type DayExtras } from './health-extras.model.js';
import type { DayModel } from './health.model.js';
import type { HealthStore } from './health.store.js';
import { bodyBatteryReport, emptyStepsChart, floorsChart, stepBuckets, stepsChart } from './intraday.dto.js';
import {
  bloodPressureMeasurement,
  enduranceScore,
  fitnessAge,
  hillScore,
  maxMetrics,
  racePredictions,
  trainingReadiness,
  trainingStatus,
  type DayParts,
} from './metrics.dto.js';
import { DAY_MS, formatCalendarDate } from './time.js';
import { average, weightMetric } from './weight.dto.js';
import { hydrationDay, intensityMinutesDay, respirationDay, spo2Day, type NightDay } from './wellness-extras.dto.js';

type Json = Record<string, unknown>;

/**
 * The health endpoints beyond the original six, over the same day models as HealthStore (so the
 * steps, floors, body battery, respiration and SpO2 agree with the daily summary and stress
 * answers), plus each day's extras. Dates are 00:00 UTC epoch ms of validated calendar dates.
 */
export class HealthSurface {
  private readonly extras = new Map<number, DayExtras>();

  constructor(
    private readonly seed: number,
    private readonly athlete: AthleteProfile,
    private readonly profilePk: number,
    private readonly health: HealthStore,
  ) {}

  private parts(dayMs: number): DayParts | undefined {
    const day = this.health.day(dayMs);
    if (!day) return undefined;
    let extras = this.extras.get(dayMs);
    if (!extras) {
      extras = buildDayExtras(this.seed, this.athlete, day);
      this.extras.set(dayMs, extras);
    }
    return { day, extras };
  }

  private startGmt(dayMs: number): number {
    return dayMs - this.athlete.offsetMs;
  }

  private daysIn(startMs: number, endMs: number): DayParts[] {
    const out: DayParts[] = [];
    for (let ms = startMs; ms <= endMs && out.length <= 3660; ms += DAY_MS) {
      const p = this.parts(ms);
      if (p) out.push(p);
    }
    return out;
  }

  stepsChart(dayMs: number): Json[] {
    const day = this.health.day(dayMs);
    return day ? stepsChart(day) : emptyStepsChart(this.startGmt(dayMs));
  }

  /** /usersummary-service/stats/steps/daily/{s}/{e}: the summary's totals (= the chart's sums). */
  stepStats(startMs: number, endMs: number): Json[] {
    return this.daysIn(startMs, endMs).map(({ day }) => ({
      calendarDate: day.date,
      totalSteps: stepBuckets(day).reduce((a, b) => a + b, 0),
      totalDistance: day.distanceM,
      stepGoal: day.stepGoal,
    }));
  }

  /**
   * /usersummary-service/stats/steps/weekly/{end}/{weeks}: 7-day weeks ending on `end`, keyed by
   * their first day; weeks without any wellness day are left out (recorded: [] beyond the data).
   */
  weeklySteps(endMs: number, weeks: number): Json[] {
    const out: Json[] = [];
    for (let w = weeks - 1; w >= 0; w--) {
      const startMs = endMs - (w * 7 + 6) * DAY_MS;
      const days = this.daysIn(startMs, startMs + 6 * DAY_MS);
      if (days.length === 0) continue;
      const steps = days.map(({ day }) => stepBuckets(day).reduce((a, b) => a + b, 0));
      const distance = days.reduce((a, { day }) => a + day.distanceM, 0);
      const total = steps.reduce((a, b) => a + b, 0);
      out.push({
        calendarDate: formatCalendarDate(startMs),
        values: {
          totalSteps: total,
          averageSteps: total / days.length,
          wellnessDataDaysCount: days.length,
          averageDistance: distance / days.length,
          totalDistance: distance,
        },
      });
    }
    return out;
  }

  floors(dayMs: number): Json {
    return floorsChart(this.health.day(dayMs), dayMs, this.startGmt(dayMs));
  }

  bodyBatteryReports(startMs: number, endMs: number): Json[] {
    const out: Json[] = [];
    for (let ms = startMs; ms <= endMs && out.length < 3660; ms += DAY_MS)
      out.push(bodyBatteryReport(this.health.day(ms), formatCalendarDate(ms), ms, this.startGmt(ms)));
    return out;
  }

  respiration(dayMs: number): Json {
    return respirationDay(this.nightDay(dayMs));
  }

  spo2(dayMs: number): Json {
    const week = [0, 1, 2, 3, 4, 5, 6]
      .map((i) => this.health.day(dayMs - i * DAY_MS)?.sleep?.avgSpO2)
      .filter((v): v is number => v !== undefined);
    const avg = week.length ? week.reduce((a, b) => a + b, 0) / week.length : null;
    return spo2Day(this.nightDay(dayMs), avg);
  }

  private nightDay(dayMs: number): NightDay {
    return {
      day: this.health.day(dayMs),
      next: this.health.day(dayMs + DAY_MS),
      date: formatCalendarDate(dayMs),
      dayMs,
      startGmtMs: this.startGmt(dayMs),
      offsetMs: this.athlete.offsetMs,
      profilePk: this.profilePk,
    };
  }

  intensityMinutes(dayMs: number): Json {
    const weekday = (new Date(dayMs).getUTCDay() + 6) % 7; // Monday = 0
    const week: DayModel[] = [];
    for (let i = weekday; i >= 0; i--) {
      const d = this.health.day(dayMs - i * DAY_MS);
      if (d) week.push(d);
    }
    return intensityMinutesDay(this.health.day(dayMs), week, formatCalendarDate(dayMs), dayMs, this.startGmt(dayMs), this.profilePk);
  }

  /** /usersummary-service/stats/im/daily/{s}/{e}. */
  intensityMinuteStats(startMs: number, endMs: number): Json[] {
    return this.daysIn(startMs, endMs).map(({ day }) => ({
      calendarDate: day.date,
      weeklyGoal: 150,
      moderateValue: day.moderateMinutes,
      vigorousValue: day.vigorousMinutes,
    }));
  }

  hydration(dayMs: number): Json {
    const p = this.parts(dayMs);
    const logged = this.daysIn(dayMs - 6 * DAY_MS, dayMs)
      .map((d) => d.extras.hydrationMl)
      .filter((v): v is number => v !== null);
    const avg = logged.length ? Math.round(logged.reduce((a, b) => a + b, 0) / logged.length) : null;
    return hydrationDay(p?.day, p?.extras, formatCalendarDate(dayMs), this.profilePk, avg);
  }

  trainingReadiness(dayMs: number): Json[] {
    return trainingReadiness(this.parts(dayMs), this.profilePk, this.athlete.deviceId);
  }

  trainingStatus(dayMs: number): Json {
    return trainingStatus(this.parts(dayMs), this.profilePk, this.athlete.deviceId);
  }

  maxMetrics(startMs: number, endMs: number): Json[] {
    return this.daysIn(startMs, endMs).map((d) => maxMetrics(d, this.profilePk));
  }

  /** /metrics-service/metrics/racepredictions/latest/{displayName}: the newest day's predictions. */
  racePredictionsLatest(): Json | undefined {
    const ms = this.health.lastDayMs();
    const p = ms === undefined ? undefined : this.parts(ms);
    return p ? racePredictions(p, this.profilePk) : undefined;
  }

  racePredictionsRange(startMs: number, endMs: number): Json[] {
    return this.daysIn(startMs, endMs).map((d) => racePredictions(d, this.profilePk));
  }

  enduranceScore(dayMs: number): Json | undefined {
    return enduranceScore(this.parts(dayMs), this.profilePk, this.athlete.deviceId);
  }

  hillScore(dayMs: number): Json | undefined {
    return hillScore(this.parts(dayMs), this.profilePk, this.athlete.deviceId);
  }

  fitnessAge(dayMs: number): Json | undefined {
    const p = this.parts(dayMs);
    if (!p) return undefined;
    const latest = [...this.health.allWeighIns()].reverse().find((w) => w.date <= p.day.date && w.bmi !== null);
    return fitnessAge(p, new Date(dayMs).getUTCFullYear() - this.athlete.birthYear, latest?.bmi ?? null);
  }

  /** /bloodpressure-service/bloodpressure/range/{s}/{e}: one summary per day with measurements. */
  bloodPressure(startMs: number, endMs: number): Json {
    const days = this.daysIn(startMs, endMs)
      .filter((d) => d.extras.bloodPressure.length > 0)
      .reverse();
    return {
      from: formatCalendarDate(startMs),
      until: formatCalendarDate(endMs),
      measurementSummaries: days.map((d) => {
        const ms = d.extras.bloodPressure.map((_, i) => bloodPressureMeasurement(d, i));
        return {
          startDate: d.day.date,
          endDate: d.day.date,
          highSystolic: Math.max(...d.extras.bloodPressure.map((m) => m.systolic)),
          highDiastolic: Math.max(...d.extras.bloodPressure.map((m) => m.diastolic)),
          numOfMeasurements: ms.length,
          measurements: ms,
        };
      }),
      categoryStats: null,
    };
  }

  /** /weight-service/weight/dateRange?startDate&endDate: the weigh-ins inside, newest first. */
  weightDateRange(startMs: number, endMs: number): Json {
    const inside = this.health.allWeighIns().filter((w) => {
      const ms = Date.parse(`${w.date}T00:00:00Z`);
      return ms >= startMs && ms <= endMs;
    });
    return {
      startDate: formatCalendarDate(startMs),
      endDate: formatCalendarDate(endMs),
      dateWeightList: [...inside].reverse().map(weightMetric),
      totalAverage: average([...inside], startMs, endMs + 86_399_999),
    };
  }
}
