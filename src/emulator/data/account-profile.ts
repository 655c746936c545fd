import type { Prng } from './prng.js';

/**
 * Per-account constants drawn once from the account seed: where the athlete lives (home
 * location for GPS routes, time zone), body measures and the device that "recorded" the data.
 * Only zones without daylight saving time are used so that local time is GMT + a fixed offset.
 */
export interface HomeCity {
  name: string;
  lat: number;
  lon: number;
  timeZone: string;
  timeZoneUnitId: number;
  /** Offset of local time from GMT in minutes. */
  offsetMinutes: number;
  altitude: number;
  location: string;
}

const CITIES: readonly HomeCity[] = [
  {
    name: 'San José',
    lat: 9.9281,
    lon: -84.0907,
    timeZone: 'America/Costa_Rica',
    timeZoneUnitId: 150,
    offsetMinutes: -360,
    altitude: 1170,
    location: 'San José, Costa Rica',
  },
  {
    name: 'Ciudad de México',
    lat: 19.4326,
    lon: -99.1332,
    timeZone: 'America/Mexico_City',
    timeZoneUnitId: 149,
    offsetMinutes: -360,
    altitude: 2240,
    location: 'Ciudad de México, CDMX',
  },
  {
    name: 'Phoenix',
    lat: 33.4484,
    lon: -112.074,
    timeZone: 'America/Phoenix',
    timeZoneUnitId: 26,
    offsetMinutes: -420,
    altitude: 331,
    location: 'Phoenix, AZ',
  },
  {
    name: 'Bogotá',
    lat: 4.711,
    lon: -74.0721,
    timeZone: 'America/Bogota',
    timeZoneUnitId: 139,
    offsetMinutes: -300,
    altitude: 2640,
    location: 'Bogotá, Colombia',
  },
  {
    name: 'Tokyo',
    lat: 35.6762,
    lon: 139.6503,
    timeZone: 'Asia/Tokyo',
    timeZoneUnitId: 73,
    offsetMinutes: 540,
    altitude: 40,
    location: 'Tokyo, Japan',
  },
  {
    name: 'Brisbane',
    lat: -27.4698,
    lon: 153.0251,
    timeZone: 'Australia/Brisbane',
    timeZoneUnitId: 87,
    offsetMinutes: 600,
    altitude: 30,
    location: 'Brisbane, QLD',
  },
  {
    name: 'Johannesburg',
    lat: -26.2041,
    lon: 28.0473,
    timeZone: 'Africa/Johannesburg',
    timeZoneUnitId: 12,
    offsetMinutes: 120,
    altitude: 1753,
    location: 'Johannesburg, South Africa',
  },
];

export interface AthleteProfile {
  home: HomeCity;
  /** Local time = GMT + offsetMs. */
  offsetMs: number;
  gender: 'MALE' | 'FEMALE';
  birthYear: number;
  heightCm: number;
  /** Baseline body weight in grams. */
  weightGrams: number;
  restingHr: number;
  maxHr: number;
  vo2Max: number;
  deviceId: number;
  /** Neighbourhood names used as activity location names. */
  places: readonly string[];
}

const PLACE_SUFFIXES = ['Centro', 'Norte', 'Park', 'Riverside', 'Hills', 'Lake'];

export function drawAthlete(prng: Prng): AthleteProfile {
  const home = prng.pick(CITIES);
  const gender = prng.chance(0.5) ? 'MALE' : 'FEMALE';
  const heightCm = Math.round(gender === 'MALE' ? prng.range(170, 192) : prng.range(158, 178));
  const bmi = prng.range(20.5, 25.5);
  const weightGrams = Math.round(bmi * (heightCm / 100) ** 2 * 10) * 100;
  const restingHr = prng.int(44, 62);
  const birthYear = prng.int(1968, 2002);
  return {
    home,
    offsetMs: home.offsetMinutes * 60_000,
    gender,
    birthYear,
    heightCm,
    weightGrams,
    restingHr,
    maxHr: prng.int(178, 198),
    vo2Max: prng.int(40, 58),
    deviceId: prng.int(3_300_000_000, 3_700_000_000),
    places: [home.name, ...PLACE_SUFFIXES.map((s) => `${home.name} ${s}`)],
  };
}
