import { Encoder } from '@garmin/fitsdk';
import type { ActivityModel } from './activity.model.js';
import { MESG, fitMesg } from './fit-mesg.js';
import { assembleFit, dataSection, encodeRecordChunk, type RecordRow } from './fit-records.js';
import { Prng } from './prng.js';
import { altitudeAt, positionAt, toSemicircles } from './route.js';

/**
 * The "original" FIT file of an activity, as a Garmin watch would have recorded it: file_id,
 * device_info, timer events, one `record` per second (every 2–4 s for long sessions) with
 * position, heart rate, distance, speed, altitude and cadence, then laps, the session and the
 * activity message. Built from the activity model and its own PRNG stream, so the bytes only
 * depend on the seed and the activity.
 */

const PRODUCT_ID = 3113; // a fēnix-class watch
// FIT timestamps count seconds from 1989-12-31T00:00:00Z.
const FIT_EPOCH_MS = 631_065_600_000;

export interface Sample {
  t: number;
  distance: number;
  speed: number;
  hr: number;
  cadence: number | null;
  lat: number | null;
  lon: number | null;
  altitude: number | null;
}

function recordInterval(durationS: number): number {
  if (durationS <= 7200) return 1;
  if (durationS <= 14_400) return 2;
  return 4;
}

/** A first-order autoregressive noise: smooth wiggles instead of white noise. */
function noise(prng: Prng, count: number, smoothing: number): number[] {
  const out = new Array<number>(count);
  let v = 0;
  for (let i = 0; i < count; i++) {
    v = v * smoothing + prng.range(-1, 1) * (1 - smoothing);
    out[i] = v;
  }
  return out;
}

/** The second-by-second samples the FIT records are written from (activity details reuse them). */
export function samplesOf(a: ActivityModel): Sample[] {
  const prng = new Prng(a.fitSeed);
  const dt = recordInterval(a.durationS);
  const count = Math.floor(a.durationS / dt) + 1;
  const speedNoise = noise(prng, count, 0.97);
  const hrNoise = noise(prng, count, 0.95);
  const cadNoise = noise(prng, count, 0.9);
  const period = prng.range(300, 900);
  const phase = prng.range(0, 2 * Math.PI);

  const rawSpeeds = new Array<number>(count);
  let rawTotal = 0;
  for (let i = 0; i < count; i++) {
    const t = i * dt;
    const wave = 1 + 0.06 * Math.sin((2 * Math.PI * t) / period + phase) + 0.6 * (speedNoise[i] ?? 0);
    rawSpeeds[i] = Math.max(0.05, a.avgSpeed * wave);
    if (i > 0) rawTotal += (rawSpeeds[i] ?? 0) * dt;
  }
  // Scale so that the last record's distance is exactly the summary distance.
  const scale = rawTotal > 0 && a.distanceM > 0 ? a.distanceM / rawTotal : 0;
  const warm = a.minHr;
  const target = a.avgHr - 2;
  const samples: Sample[] = new Array<Sample>(count);
  let distance = 0;
  for (let i = 0; i < count; i++) {
    const t = i * dt;
    const speed = (rawSpeeds[i] ?? 0) * scale;
    if (i > 0) distance += speed * dt;
    if (i === count - 1) distance = a.distanceM;
    const ramp = 1 - Math.exp(-t / 240);
    const drift = (t / Math.max(1, a.durationS)) * 6;
    const hr = Math.round(Math.min(a.maxHr, Math.max(a.minHr, warm + (target - warm) * ramp + drift + 40 * (hrNoise[i] ?? 0))));
    const fraction = a.distanceM > 0 ? distance / a.distanceM : t / Math.max(1, a.durationS);
    const pos = a.route ? positionAt(a.route, fraction) : null;
    const cadence = a.avgCadence === null ? null : Math.max(0, Math.round(a.avgCadence * (1 + 0.5 * (cadNoise[i] ?? 0))));
    samples[i] = {
      t,
      distance,
      speed,
      hr,
      // FIT running cadence is strides (not steps) per minute.
      cadence: cadence === null ? null : a.sport.steps ? Math.round(cadence / 2) : cadence,
      lat: pos ? pos.lat : null,
      lon: pos ? pos.lon : null,
      altitude: a.route ? altitudeAt(a.route, fraction) : null,
    };
  }
  return samples;
}

function lapBoundaries(a: ActivityModel, samples: Sample[]): number[] {
  // Indices where a lap ends (inclusive), the last one being the last sample.
  const ends: number[] = [];
  if (a.sport.lapMeters > 0 && a.distanceM > 0) {
    let next = a.sport.lapMeters;
    for (let i = 0; i < samples.length - 1; i++) {
      const s = samples[i];
      if (s && s.distance >= next) {
        ends.push(i);
        next += a.sport.lapMeters;
      }
    }
  }
  ends.push(samples.length - 1);
  return ends;
}

function summarise(samples: Sample[], from: number, to: number) {
  let hrSum = 0;
  let hrMax = 0;
  let spMax = 0;
  let ascent = 0;
  let descent = 0;
  for (let i = from; i <= to; i++) {
    const s = samples[i];
    if (!s) continue;
    hrSum += s.hr;
    hrMax = Math.max(hrMax, s.hr);
    spMax = Math.max(spMax, s.speed);
    const prev = samples[i - 1];
    if (i > from && prev && s.altitude !== null && prev.altitude !== null) {
      if (s.altitude > prev.altitude) ascent += s.altitude - prev.altitude;
      else descent += prev.altitude - s.altitude;
    }
  }
  const n = Math.max(1, to - from + 1);
  return { avgHr: Math.round(hrSum / n), maxHr: hrMax, maxSpeed: spMax, ascent: Math.round(ascent), descent: Math.round(descent) };
}

function at(startMs: number, seconds: number): Date {
  return new Date(startMs + seconds * 1000);
}

/** Encodes the activity's original FIT file. Deterministic for a given model. */
export function encodeActivityFit(a: ActivityModel): Uint8Array {
  const samples = samplesOf(a);
  const head = new Encoder();
  const start = new Date(a.startMs);
  const end = at(a.startMs, a.durationS);
  head.writeMesg(
    fitMesg({
      mesgNum: MESG.FILE_ID,
      type: 'activity',
      manufacturer: 'garmin',
      product: PRODUCT_ID,
      serialNumber: a.deviceId,
      timeCreated: start,
    }),
  );
  head.writeMesg(
    fitMesg({
      mesgNum: MESG.DEVICE_INFO,
      timestamp: start,
      deviceIndex: 'creator',
      manufacturer: 'garmin',
      product: PRODUCT_ID,
      serialNumber: a.deviceId,
      softwareVersion: 25.1,
    }),
  );
  head.writeMesg(fitMesg({ mesgNum: MESG.EVENT, timestamp: start, event: 'timer', eventType: 'start', eventGroup: 0 }));
  const headFile = head.close();

  const startFit = (a.startMs - FIT_EPOCH_MS) / 1000;
  const rows: RecordRow[] = samples.map((s) => {
    const row: RecordRow = { timestamp: startFit + s.t, heartRate: s.hr };
    if (s.lat !== null && s.lon !== null) {
      row.lat = toSemicircles(s.lat);
      row.lon = toSemicircles(s.lon);
    }
    if (s.altitude !== null) row.altitude = s.altitude;
    if (a.sport.hasDistance) {
      row.distance = s.distance;
      row.speed = s.speed;
    }
    if (s.cadence !== null) row.cadence = s.cadence;
    return row;
  });
  const records = encodeRecordChunk(rows, {
    position: a.route !== null,
    altitude: a.route !== null,
    cadence: a.avgCadence !== null,
    distance: a.sport.hasDistance,
  });

  const enc = new Encoder();
  enc.writeMesg(fitMesg({ mesgNum: MESG.EVENT, timestamp: end, event: 'timer', eventType: 'stopAll', eventGroup: 0 }));

  const ends = lapBoundaries(a, samples);
  let from = 0;
  ends.forEach((to, lapIndex) => {
    const first = samples[from];
    const last = samples[to];
    if (!first || !last) return;
    const st = summarise(samples, from, to);
    const elapsed = last.t - first.t;
    const lap: Record<string, unknown> & { mesgNum: number } = {
      mesgNum: MESG.LAP,
      messageIndex: lapIndex,
      timestamp: at(a.startMs, last.t),
      startTime: at(a.startMs, first.t),
      totalElapsedTime: elapsed,
      totalTimerTime: elapsed,
      avgHeartRate: st.avgHr,
      maxHeartRate: st.maxHr,
      event: 'lap',
      eventType: 'stop',
      lapTrigger: lapIndex === ends.length - 1 ? 'sessionEnd' : 'distance',
      sport: a.sport.fitSport,
    };
    if (a.sport.hasDistance) {
      lap.totalDistance = Math.round((last.distance - first.distance) * 100) / 100;
      lap.avgSpeed = elapsed > 0 ? Math.round(((last.distance - first.distance) / elapsed) * 1000) / 1000 : 0;
      lap.maxSpeed = Math.round(st.maxSpeed * 1000) / 1000;
    }
    if (first.lat !== null && first.lon !== null && last.lat !== null && last.lon !== null) {
      Object.assign(lap, {
        startPositionLat: toSemicircles(first.lat),
        startPositionLong: toSemicircles(first.lon),
        endPositionLat: toSemicircles(last.lat),
        endPositionLong: toSemicircles(last.lon),
        totalAscent: st.ascent,
        totalDescent: st.descent,
      });
    }
    enc.writeMesg(fitMesg(lap));
    from = to;
  });

  const all = summarise(samples, 0, samples.length - 1);
  const session: Record<string, unknown> & { mesgNum: number } = {
    mesgNum: MESG.SESSION,
    messageIndex: 0,
    timestamp: end,
    startTime: start,
    totalElapsedTime: a.durationS,
    totalTimerTime: a.durationS,
    totalCalories: a.calories,
    avgHeartRate: all.avgHr,
    maxHeartRate: all.maxHr,
    sport: a.sport.fitSport,
    subSport: a.sport.fitSubSport,
    firstLapIndex: 0,
    numLaps: ends.length,
    event: 'session',
    eventType: 'stop',
    trigger: 'activityEnd',
  };
  if (a.sport.hasDistance)
    Object.assign(session, {
      totalDistance: a.distanceM,
      avgSpeed: Math.round(a.avgSpeed * 1000) / 1000,
      maxSpeed: Math.round(all.maxSpeed * 1000) / 1000,
    });
  if (a.avgCadence !== null) session.avgCadence = Math.round(a.sport.steps ? a.avgCadence / 2 : a.avgCadence);
  if (a.start)
    Object.assign(session, {
      startPositionLat: toSemicircles(a.start.lat),
      startPositionLong: toSemicircles(a.start.lon),
      totalAscent: all.ascent,
      totalDescent: all.descent,
    });
  enc.writeMesg(fitMesg(session));
  enc.writeMesg(
    fitMesg({
      mesgNum: MESG.ACTIVITY,
      timestamp: end,
      totalTimerTime: a.durationS,
      numSessions: 1,
      type: 'manual',
      event: 'activity',
      eventType: 'stop',
      localTimestamp: (end.getTime() + a.offsetMs - FIT_EPOCH_MS) / 1000,
    }),
  );
  return assembleFit(headFile, [dataSection(headFile), records, dataSection(enc.close())]);
}

/**
 * A corrupted copy (for the `corruptFitIds` fault knob): a few bytes in the middle of the data
 * are flipped, so the header still says FIT but the file CRC no longer matches.
 */
export function corruptFit(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes);
  const middle = Math.floor(copy.length / 2);
  for (let i = middle; i < Math.min(copy.length - 2, middle + 16); i++) copy[i] = (copy[i] ?? 0) ^ 0xa5;
  return copy;
}
