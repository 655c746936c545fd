import type { AthleteProfile } from './account-profile.js';
import type { DayModel } from './health.model.js';
import { Prng, deriveSeed } from './prng.js';

/**
 * The rest of a day's health surface (hydration, training readiness, VO2max, scores, blood
 * pressure…), drawn from a stream of its own (`seed`, 'day-extras', date) so the older day model
 * and everything served from it stay byte-identical. Values tie to the day model where Garmin's
 * do: readiness to sleep and HRV, intensity minutes to the summary, race times to VO2max.
 */
export interface BloodPressureReading {
  timestampMs: number;
  systolic: number;
  diastolic: number;
  pulse: number;
  version: number;
}

export interface DayExtras {
  hydrationMl: number | null;
  sweatLossMl: number | null;
  /** VO2max of the day (running), with its precise value. */
  vo2Max: number;
  vo2MaxPrecise: number;
  fitnessAge: number;
  readiness: { score: number; recoveryMinutes: number; acuteLoad: number; afterExercise: boolean } | null;
  trainingStatus: number;
  acuteLoad: number;
  chronicLoad: number;
  enduranceScore: number | null;
  hillScore: { strength: number; endurance: number; overall: number } | null;
  bloodPressure: BloodPressureReading[];
}

export function buildDayExtras(seed: number, athlete: AthleteProfile, day: DayModel): DayExtras {
  const p = new Prng(deriveSeed(seed, 'day-extras', day.date));
  const dayNumber = Math.floor(day.dayMs / 86_400_000);
  // VO2max drifts slowly (a few tenths over weeks), never jumps between neighbouring days.
  const vo2MaxPrecise = Math.round((athlete.vo2Max + 1.2 * Math.sin((2 * Math.PI * dayNumber) / 90 + (seed % 5))) * 10) / 10;
  const age = new Date(day.dayMs).getUTCFullYear() - athlete.birthYear;
  const hasReadiness = day.sleep !== null;
  const readinessScore =
    hasReadiness && day.sleep
      ? Math.max(
          1,
          Math.min(100, Math.round(day.sleep.score * 0.6 + (day.hrv ? day.hrv.lastNightAvg - day.hrv.baselineLow : 0) + p.int(-8, 12))),
        )
      : 0;
  const acuteLoad = p.int(150, 900);
  const chronicLoad = p.int(250, 700);
  const bp: BloodPressureReading[] = [];
  if (p.chance(0.15)) {
    const ts = day.startGmtMs + Math.round(p.range(7, 21) * 3600) * 1000;
    bp.push({
      timestampMs: ts,
      systolic: p.int(108, 138),
      diastolic: p.int(66, 88),
      pulse: day.restingHr + p.int(4, 18),
      version: p.int(1, 5),
    });
  }
  return {
    hydrationMl: p.chance(0.7) ? Math.round(p.range(800, 3400) / 50) * 50 : null,
    sweatLossMl: day.activeKcal > 300 ? Math.round(day.activeKcal * 0.9) : null,
    vo2Max: Math.round(vo2MaxPrecise),
    vo2MaxPrecise,
    fitnessAge: Math.max(20, age - Math.round((vo2MaxPrecise - 42) / 2)),
    readiness: hasReadiness ? { score: readinessScore, recoveryMinutes: p.int(0, 2900), acuteLoad, afterExercise: p.chance(0.4) } : null,
    trainingStatus: p.pick([4, 5, 7]),
    acuteLoad,
    chronicLoad,
    enduranceScore: p.chance(0.9) ? p.int(4200, 7800) : null,
    hillScore: p.chance(0.9) ? { strength: p.int(2, 40), endurance: p.int(10, 60), overall: p.int(15, 70) } : null,
    bloodPressure: bp,
  };
}

/** Race time (seconds) from VO2max by Daniels' formula, solved by bisection on the velocity. */
export function raceSeconds(vo2Max: number, metres: number): number {
  let lo = 60;
  let hi = 6 * 3600;
  for (let i = 0; i < 50; i++) {
    const t = (lo + hi) / 2;
    const minutes = t / 60;
    const v = metres / minutes;
    const cost = -4.6 + 0.182258 * v + 0.000104 * v * v;
    const share = 0.8 + 0.1894393 * Math.exp(-0.012778 * minutes) + 0.2989558 * Math.exp(-0.1932605 * minutes);
    if (cost / share > vo2Max) lo = t;
    else hi = t;
  }
  return Math.round((lo + hi) / 2);
}
