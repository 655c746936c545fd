import type { AthleteProfile } from './account-profile.js';
import { Prng, deriveSeed } from './prng.js';
import { drawRoute, elevationStats, positionAt, type RouteParams } from './route.js';
import { SPORT_WEIGHTS, type SportDef } from './sports.js';

/**
 * One generated activity: everything the JSON DTOs and the FIT file are built from. All values
 * come from the activity's own PRNG stream (seed + index), so a model never depends on which
 * other activities were generated before it.
 */
export interface ActivityModel {
  index: number;
  id: number;
  uuid: string;
  name: string;
  locationName: string | null;
  sport: SportDef;
  /** Start instant (GMT, epoch ms; whole seconds). */
  startMs: number;
  offsetMs: number;
  /** Elapsed = timer duration in seconds (no pauses are generated). */
  durationS: number;
  movingS: number;
  distanceM: number;
  avgSpeed: number;
  maxSpeed: number;
  avgHr: number;
  maxHr: number;
  minHr: number;
  calories: number;
  bmrCalories: number;
  elevGain: number | null;
  elevLoss: number | null;
  minElev: number | null;
  maxElev: number | null;
  avgCadence: number | null;
  maxCadence: number | null;
  steps: number | null;
  lapCount: number;
  start: { lat: number; lon: number } | null;
  end: { lat: number; lon: number } | null;
  route: RouteParams | null;
  aerobicTE: number;
  anaerobicTE: number;
  trainingLoad: number;
  moderateMinutes: number;
  vigorousMinutes: number;
  hrZones: readonly [number, number, number, number, number];
  deviceId: number;
  /** Seed of the stream used for the second-by-second FIT data. */
  fitSeed: number;
  /** When the activity was last edited in "Garmin Connect" (control API); its detail's lastUpdateDate. */
  editedMs?: number;
  /** Set by an edit (control API); Garmin's detail carries it, its list summaries do not. */
  description?: string;
}

/** Rounds to the precision of a 32-bit float, like the values Garmin returns. */
export function f32(v: number): number {
  return Math.fround(v);
}

/**
 * Builds an activity at a given start time. `maxMinutes` bounds its duration so that the
 * day's activities never overlap.
 */
export function buildActivity(
  seed: number,
  athlete: AthleteProfile,
  index: number,
  id: number,
  startMs: number,
  maxMinutes: number,
): ActivityModel {
  const prng = new Prng(deriveSeed(seed, 'activity', index));
  const candidates = SPORT_WEIGHTS.filter(([s]) => s.minutes[0] <= maxMinutes);
  const sport = prng.weighted(candidates.length > 0 ? candidates : SPORT_WEIGHTS);
  const minutes = Math.min(prng.range(sport.minutes[0], sport.minutes[1]), Math.max(maxMinutes, sport.minutes[0]));
  const durationS = Math.round(minutes * 60);
  const movingS = sport.hasDistance ? Math.round(durationS * prng.range(0.94, 0.995)) : durationS;
  const avgSpeed = sport.hasDistance ? prng.range(sport.speed[0], sport.speed[1]) : 0;
  const distanceM = sport.hasDistance ? Math.round(avgSpeed * durationS * 100) / 100 : 0;
  const avgHr = prng.int(sport.hr[0], sport.hr[1]);
  const maxHr = Math.min(athlete.maxHr, avgHr + prng.int(10, 28));
  const minHr = Math.max(athlete.restingHr + 15, avgHr - prng.int(25, 45));
  const calories = Math.round(minutes * sport.kcalPerMin * prng.range(0.85, 1.15));
  const far = sport.typeKey === 'hiking' || sport.typeKey === 'trail_running' || sport.typeKey === 'mountain_biking';
  const route = sport.gps ? drawRoute(prng, athlete.home, distanceM, sport.hilliness, far) : null;
  const elev = route ? elevationStats(route) : null;
  const cadence = sport.cadence[1] > 0 ? prng.range(sport.cadence[0], sport.cadence[1]) : null;
  const lapCount = sport.lapMeters > 0 && distanceM > 0 ? Math.max(1, Math.ceil(distanceM / sport.lapMeters)) : 1;
  const place = prng.pick(athlete.places);
  // Garmin's default names: "<place> <sport>" with GPS, just the sport indoors; some renamed.
  const renamed = prng.chance(0.35);
  const name = sport.gps
    ? renamed
      ? `${place} - ${prng.pick(sport.names)}`
      : `${place} ${sport.label}`
    : renamed
      ? prng.pick(sport.names)
      : sport.label;
  const aerobicTE = Math.round(prng.range(1.5, 4.2) * 10) / 10;
  const intensity = (avgHr - athlete.restingHr) / (athlete.maxHr - athlete.restingHr);
  const vigorous = intensity > 0.7 ? Math.round(minutes * prng.range(0.5, 0.9)) : Math.round(minutes * prng.range(0, 0.15));
  const zoneWeights = [prng.range(0.05, 0.2), prng.range(0.2, 0.5), prng.range(0.1, 0.4), prng.range(0, 0.2), prng.range(0, 0.05)];
  const zoneTotal = zoneWeights.reduce((a, b) => a + b, 0);
  const zones = zoneWeights.map((w) => Math.round((durationS * w * 1000) / zoneTotal) / 1000);
  return {
    index,
    id,
    uuid: prng.uuid(),
    name,
    locationName: sport.gps ? place : null,
    sport,
    startMs,
    offsetMs: athlete.offsetMs,
    durationS,
    movingS,
    distanceM,
    avgSpeed,
    maxSpeed: sport.hasDistance ? avgSpeed * prng.range(1.25, 1.6) : 0,
    avgHr,
    maxHr,
    minHr,
    calories,
    bmrCalories: Math.round(minutes * 1.2),
    elevGain: elev ? Math.round(elev.gain) : null,
    elevLoss: elev ? Math.round(elev.loss) : null,
    minElev: elev ? Math.round(elev.min * 10) / 10 : null,
    maxElev: elev ? Math.round(elev.max * 10) / 10 : null,
    avgCadence: cadence,
    maxCadence: cadence === null ? null : Math.round(cadence * prng.range(1.08, 1.2)),
    steps: sport.steps && cadence !== null ? Math.round((cadence * movingS) / 60) : null,
    lapCount,
    start: route ? positionAt(route, 0) : null,
    end: route ? positionAt(route, 1) : null,
    route,
    aerobicTE,
    anaerobicTE: Math.round(prng.range(0, Math.max(0, aerobicTE - 1.5)) * 10) / 10,
    trainingLoad: Math.round(calories * prng.range(0.08, 0.2) * 100) / 100,
    moderateMinutes: Math.max(0, Math.round(minutes) - vigorous),
    vigorousMinutes: vigorous,
    hrZones: [zones[0] ?? 0, zones[1] ?? 0, zones[2] ?? 0, zones[3] ?? 0, zones[4] ?? 0],
    deviceId: athlete.deviceId,
    fitSeed: deriveSeed(seed, 'fit', index),
  };
}
