import type { Prng } from './prng.js';

/**
 * A plausible GPS route as a closed, wobbly loop around a start point, plus a smooth altitude
 * profile. Both are analytic functions of the fraction of distance covered, so the activity
 * summary (computed for every activity) and the FIT records (computed lazily) agree without
 * simulating every second up front.
 */
export interface RouteParams {
  startLat: number;
  startLon: number;
  radius: number;
  theta0: number;
  direction: 1 | -1;
  harmonics: readonly (readonly [amplitude: number, phase: number])[];
  baseAltitude: number;
  altAmplitude: number;
  altWaves: readonly (readonly [cycles: number, phase: number, share: number])[];
}

const M_PER_DEG_LAT = 111_320;

export function drawRoute(
  prng: Prng,
  home: { lat: number; lon: number; altitude: number },
  distanceM: number,
  hilliness: number,
  farFromHome: boolean,
): RouteParams {
  const spread = farFromHome ? prng.range(3000, 25_000) : prng.range(0, 2500);
  const bearing = prng.range(0, 2 * Math.PI);
  const startLat = home.lat + (spread * Math.cos(bearing)) / M_PER_DEG_LAT;
  const startLon = home.lon + (spread * Math.sin(bearing)) / (M_PER_DEG_LAT * Math.cos((home.lat * Math.PI) / 180));
  const harmonics = [1, 2, 3].map(() => [prng.range(0, 0.22), prng.range(0, 2 * Math.PI)] as const);
  return {
    startLat,
    startLon,
    // A loop of perimeter ≈ distance (the harmonics add a few percent).
    radius: Math.max(distanceM, 1) / (2 * Math.PI * 1.04),
    theta0: prng.range(0, 2 * Math.PI),
    direction: prng.chance(0.5) ? 1 : -1,
    harmonics,
    baseAltitude: home.altitude + (farFromHome ? prng.range(0, 400) : prng.range(-20, 40)),
    altAmplitude: hilliness * prng.range(0.4, 1.0),
    altWaves: [
      [prng.int(1, 2), prng.range(0, 2 * Math.PI), 0.65],
      [prng.int(3, 7), prng.range(0, 2 * Math.PI), 0.35],
    ],
  };
}

function radiusAt(r: RouteParams, theta: number): number {
  let k = 1;
  for (let i = 0; i < r.harmonics.length; i++) {
    const h = r.harmonics[i];
    if (h) k += h[0] * Math.sin((i + 1) * theta + h[1]);
  }
  return r.radius * k;
}

/** Position (degrees) after covering `fraction` (0..1) of the loop. fraction 0 and 1 give the start. */
export function positionAt(r: RouteParams, fraction: number): { lat: number; lon: number } {
  const theta = r.theta0 + r.direction * 2 * Math.PI * fraction;
  const ox = radiusAt(r, r.theta0) * Math.cos(r.theta0);
  const oy = radiusAt(r, r.theta0) * Math.sin(r.theta0);
  const rr = radiusAt(r, theta);
  const dx = rr * Math.cos(theta) - ox;
  const dy = rr * Math.sin(theta) - oy;
  const lat = r.startLat + dy / M_PER_DEG_LAT;
  const lon = r.startLon + dx / (M_PER_DEG_LAT * Math.cos((r.startLat * Math.PI) / 180));
  return { lat, lon };
}

/** Altitude in metres after covering `fraction` of the route. */
export function altitudeAt(r: RouteParams, fraction: number): number {
  let v = 0;
  for (const [cycles, phase, share] of r.altWaves) {
    // Minus sin(phase): the profile starts at the base altitude, and whole cycles end there too.
    v += share * (Math.sin(2 * Math.PI * cycles * fraction + phase) - Math.sin(phase));
  }
  return r.baseAltitude + (r.altAmplitude / 2) * v;
}

/** Elevation gain/loss and extremes sampled along the profile. */
export function elevationStats(r: RouteParams, samples = 120): { gain: number; loss: number; min: number; max: number } {
  let gain = 0;
  let loss = 0;
  let prev = altitudeAt(r, 0);
  let min = prev;
  let max = prev;
  for (let i = 1; i <= samples; i++) {
    const a = altitudeAt(r, i / samples);
    if (a > prev) gain += a - prev;
    else loss += prev - a;
    min = Math.min(min, a);
    max = Math.max(max, a);
    prev = a;
  }
  return { gain, loss, min, max };
}

/** Degrees to FIT semicircles. */
export function toSemicircles(deg: number): number {
  return Math.round((deg * 2 ** 31) / 180);
}
