import type { AthleteProfile } from './account-profile.js';
import { Prng, deriveSeed } from './prng.js';
import { DAY_MS, formatCalendarDate } from './time.js';

/**
 * One calendar day of wellness data (the sleep that ended that morning, resting HR, steps,
 * stress and body battery levels, HRV, weigh-ins). Drawn from the day's own PRNG stream so a
 * day never depends on which other days were asked for. Intraday series are produced on
 * demand from the same numbers.
 */
export interface SleepModel {
  /** GMT epoch ms. */
  startMs: number;
  endMs: number;
  deep: number;
  light: number;
  rem: number;
  awake: number;
  score: number;
  avgSpO2: number;
  lowSpO2: number;
  respiration: number;
  avgSleepStress: number;
  awakeCount: number;
}

export interface WeighIn {
  timestampMs: number;
  grams: number;
  source: 'INDEX_SCALE' | 'MANUAL';
  bodyFat: number | null;
  bodyWater: number | null;
  boneMass: number | null;
  muscleMass: number | null;
  bmi: number | null;
  samplePk: number;
}

export interface DayModel {
  date: string;
  /** 00:00 UTC of the calendar date. */
  dayMs: number;
  /** The day's local midnight as a GMT instant. */
  startGmtMs: number;
  offsetMs: number;
  restingHr: number;
  steps: number;
  stepGoal: number;
  distanceM: number;
  activeKcal: number;
  bmrKcal: number;
  floorsUp: number;
  floorsDown: number;
  moderateMinutes: number;
  vigorousMinutes: number;
  highlyActiveSeconds: number;
  activeSeconds: number;
  avgStress: number;
  maxStress: number;
  bbHigh: number;
  bbLow: number;
  bbAtWake: number;
  sleep: SleepModel | null;
  hrv: { lastNightAvg: number; high5Min: number; weeklyAvg: number; baselineLow: number; baselineHigh: number } | null;
  weighIns: WeighIn[];
  /** Seed for the intraday series of this day. */
  seriesSeed: number;
}

export function buildDay(seed: number, athlete: AthleteProfile, dayMs: number): DayModel {
  const date = formatCalendarDate(dayMs);
  const p = new Prng(deriveSeed(seed, 'day', date));
  const startGmtMs = dayMs - athlete.offsetMs;
  const dayNumber = Math.floor(dayMs / DAY_MS);
  const restingHr = athlete.restingHr + p.int(-2, 3);
  const steps = p.int(2500, 17_000);
  const hasSleep = p.chance(0.92);
  let sleep: SleepModel | null = null;
  if (hasSleep) {
    const startMs = startGmtMs - Math.round(p.range(0.4, 2.2) * 3600) * 1000;
    const total = Math.round(p.range(5.5, 8.8) * 60) * 60;
    const deep = Math.round((total * p.range(0.13, 0.25)) / 60) * 60;
    const rem = Math.round((total * p.range(0.17, 0.26)) / 60) * 60;
    const awake = Math.round((total * p.range(0.01, 0.08)) / 60) * 60;
    sleep = {
      startMs,
      endMs: startMs + total * 1000,
      deep,
      rem,
      awake,
      light: total - deep - rem - awake,
      score: p.int(48, 95),
      avgSpO2: p.int(91, 97),
      lowSpO2: p.int(82, 90),
      respiration: p.int(12, 16),
      avgSleepStress: p.int(8, 25),
      awakeCount: p.int(0, 4),
    };
  }
  const hasHrv = sleep !== null && p.chance(0.88);
  const base = 38 + (athlete.vo2Max - 40);
  const hrv = hasHrv
    ? {
        lastNightAvg: p.int(base - 8, base + 10),
        high5Min: p.int(base + 12, base + 30),
        weeklyAvg: p.int(base - 3, base + 4),
        baselineLow: base - 4,
        baselineHigh: base + 10,
      }
    : null;
  const weighIns: WeighIn[] = [];
  // Weight drifts slowly over months around the athlete's baseline.
  const trend = athlete.weightGrams + 1500 * Math.sin((2 * Math.PI * dayNumber) / 120 + (seed % 7));
  if (p.chance(0.35)) {
    const ts = startGmtMs + Math.round(p.range(6, 8.5) * 3600) * 1000;
    const grams = Math.round((trend + p.range(-300, 300)) / 10) * 10;
    const bmi = Math.round((grams / 1000 / (athlete.heightCm / 100) ** 2) * 10) / 10;
    weighIns.push({
      timestampMs: ts,
      grams,
      source: 'INDEX_SCALE',
      bmi,
      bodyFat: Math.round(p.range(14, 26) * 10) / 10,
      bodyWater: Math.round(p.range(52, 62) * 10) / 10,
      boneMass: Math.round(grams * 0.058),
      muscleMass: Math.round(grams * 0.45),
      samplePk: ts + p.int(1000, 60_000),
    });
  }
  if (p.chance(0.08)) {
    const ts = startGmtMs + Math.round(p.range(19, 22) * 3600) * 1000;
    const grams = Math.round((trend + p.range(-200, 500)) / 100) * 100;
    weighIns.unshift({
      timestampMs: ts,
      grams,
      source: 'MANUAL',
      bmi: null,
      bodyFat: null,
      bodyWater: null,
      boneMass: null,
      muscleMass: null,
      samplePk: ts + p.int(1000, 60_000),
    });
  }
  const bbHigh = p.int(55, 100);
  return {
    date,
    dayMs,
    startGmtMs,
    offsetMs: athlete.offsetMs,
    restingHr,
    steps,
    stepGoal: 10_000,
    distanceM: Math.round(steps * p.range(0.72, 0.85)),
    activeKcal: p.int(80, 1200),
    bmrKcal: p.int(1500, 2200),
    floorsUp: Math.round(p.range(0, 25) * 1000) / 1000,
    floorsDown: Math.round(p.range(0, 25) * 1000) / 1000,
    moderateMinutes: p.int(0, 60),
    vigorousMinutes: p.int(0, 60),
    highlyActiveSeconds: p.int(0, 4000),
    activeSeconds: p.int(2000, 12_000),
    avgStress: p.int(18, 42),
    maxStress: p.int(70, 99),
    bbHigh,
    bbLow: p.int(5, Math.min(45, bbHigh - 10)),
    bbAtWake: bbHigh,
    sleep,
    hrv,
    weighIns,
    seriesSeed: deriveSeed(seed, 'series', date),
  };
}
