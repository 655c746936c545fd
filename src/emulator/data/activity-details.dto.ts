import { samplesOf, type Sample } from './activity.fit.js';
import type { ActivityModel } from './activity.model.js';
import { Prng } from './prng.js';

/**
 * /activity-service/activity/{id}/details: the FIT records as metric channels. Rows are every
 * n-th sample so that at most `maxChartSize` (+ the last) come back, as Garmin's downsampling
 * may return a few more than asked; the polyline likewise with `maxPolylineSize` (0 → none).
 * The descriptor order is shuffled per response (`orderSeed`): Garmin's changes between
 * requests, so clients must map values through `metricsIndex`.
 */
type Json = Record<string, unknown>;

interface Channel {
  key: string;
  unit: { id: number; key: string; factor: number };
  value: (s: Sample) => number | null;
}

const SECOND = { id: 40, key: 'second', factor: 1000.0 };

function channels(a: ActivityModel): Channel[] {
  const out: Channel[] = [
    { key: 'directTimestamp', unit: { id: 120, key: 'gmt', factor: 0 }, value: (s) => a.startMs + s.t * 1000 },
    { key: 'sumDuration', unit: SECOND, value: (s) => s.t },
    { key: 'sumElapsedDuration', unit: SECOND, value: (s) => s.t },
    { key: 'sumMovingDuration', unit: SECOND, value: (s) => s.t },
    { key: 'directHeartRate', unit: { id: 100, key: 'bpm', factor: 1.0 }, value: (s) => s.hr },
  ];
  if (a.sport.hasDistance) {
    out.push({ key: 'sumDistance', unit: { id: 1, key: 'meter', factor: 100.0 }, value: (s) => Math.round(s.distance * 100) / 100 });
    out.push({ key: 'directSpeed', unit: { id: 20, key: 'mps', factor: 0.1 }, value: (s) => Math.round(s.speed * 1000) / 1000 });
  }
  if (a.route) {
    out.push({ key: 'directLatitude', unit: { id: 60, key: 'dd', factor: 1.0 }, value: (s) => s.lat });
    out.push({ key: 'directLongitude', unit: { id: 60, key: 'dd', factor: 1.0 }, value: (s) => s.lon });
    out.push({
      key: 'directElevation',
      unit: { id: 1, key: 'meter', factor: 100.0 },
      value: (s) => (s.altitude === null ? null : Math.round(s.altitude * 10) / 10),
    });
  }
  if (a.avgCadence !== null && a.sport.steps)
    out.push({
      key: 'directRunCadence',
      unit: { id: 92, key: 'stepsPerMinute', factor: 1.0 },
      value: (s) => (s.cadence === null ? null : s.cadence * 2),
    });
  return out;
}

function pickEvery<T>(items: T[], max: number): T[] {
  if (max <= 0) return [];
  if (items.length <= max) return items;
  const step = Math.ceil(items.length / max);
  const out = items.filter((_, i) => i % step === 0);
  if (out.at(-1) !== items.at(-1)) out.push(items.at(-1)!);
  return out;
}

export function activityDetails(a: ActivityModel, maxChartSize: number, maxPolylineSize: number, orderSeed: number): Json {
  const samples = samplesOf(a);
  const chans = channels(a);
  // Fisher–Yates with the response's seed: which channel sits at which index varies.
  const order = chans.map((_, i) => i);
  const p = new Prng(orderSeed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = p.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const placed = order.map((ci) => chans[ci]!);
  const rows = pickEvery(samples, maxChartSize).map((s) => ({ metrics: placed.map((c) => c.value(s)) }));
  const track = a.route
    ? pickEvery(
        samples.filter((s) => s.lat !== null),
        maxPolylineSize,
      )
    : [];
  const point = (s: Sample, i: number, n: number) => ({
    lat: s.lat,
    lon: s.lon,
    altitude: null,
    time: a.startMs + s.t * 1000,
    timerStart: i === 0,
    timerStop: i === n - 1,
    distanceFromPreviousPoint: null,
    distanceInMeters: null,
    speed: Math.round(s.speed * 1000) / 1000,
    cumulativeAscent: null,
    cumulativeDescent: null,
    extendedCoordinate: false,
    valid: true,
  });
  const points = track.map((s, i) => point(s, i, track.length));
  const lats = track.map((s) => s.lat!);
  const lons = track.map((s) => s.lon!);
  return {
    activityId: a.id,
    measurementCount: placed.length,
    metricsCount: rows.length,
    totalMetricsCount: samples.length,
    metricDescriptors: placed.map((c, i) => ({ metricsIndex: i, key: c.key, unit: c.unit })),
    activityDetailMetrics: rows,
    geoPolylineDTO: {
      startPoint: points[0] ?? null,
      endPoint: points.at(-1) ?? null,
      minLat: lats.length ? Math.min(...lats) : null,
      maxLat: lats.length ? Math.max(...lats) : null,
      minLon: lons.length ? Math.min(...lons) : null,
      maxLon: lons.length ? Math.max(...lons) : null,
      polyline: points,
    },
    heartRateDTOs: null,
    pendingData: null,
    detailsAvailable: true,
  };
}
