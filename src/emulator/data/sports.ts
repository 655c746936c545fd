/**
 * The sports the generator knows: Garmin Connect's activity type ids/keys (as seen in recorded
 * responses), the FIT sport/sub-sport to encode, and the ranges that make a plausible session.
 */
export interface SportDef {
  typeId: number;
  typeKey: string;
  parentTypeId: number;
  sportTypeId: number;
  /** Label used in Garmin's default names ("<place> Running"). */
  label: string;
  /** FIT `sport` / `sub_sport` enum names of @garmin/fitsdk. */
  fitSport: string;
  fitSubSport: string;
  gps: boolean;
  /** Distance is measured (false for strength). */
  hasDistance: boolean;
  /** Moving speed range in m/s. */
  speed: readonly [number, number];
  /** Duration range in minutes. */
  minutes: readonly [number, number];
  /** Average heart rate range. */
  hr: readonly [number, number];
  /** Cadence range (steps/min for foot sports, rpm for cycling, strokes/min for swimming). */
  cadence: readonly [number, number];
  /** Terrain: peak-to-peak elevation variation along the route in metres. */
  hilliness: number;
  /** Lap length in metres (0 = one lap per activity). */
  lapMeters: number;
  /** kcal per minute at the average effort. */
  kcalPerMin: number;
  /** Relative frequency in a typical athlete's history. */
  weight: number;
  /** Has a step count (foot sports). */
  steps: boolean;
  /** Extra names besides "<place> <label>". */
  names: readonly string[];
}

export const SPORTS: readonly SportDef[] = [
  {
    typeId: 1, typeKey: 'running', parentTypeId: 17, sportTypeId: 1, label: 'Running',
    fitSport: 'running', fitSubSport: 'generic', gps: true, hasDistance: true,
    speed: [2.6, 3.6], minutes: [25, 95], hr: [138, 162], cadence: [160, 180], hilliness: 40,
    lapMeters: 1000, kcalPerMin: 11, weight: 30, steps: true,
    names: ['Easy Run', 'Tempo Run', 'Long Run', 'Recovery Run', 'Base', 'Intervals'],
  },
  {
    typeId: 6, typeKey: 'trail_running', parentTypeId: 1, sportTypeId: 1, label: 'Trail Running',
    fitSport: 'running', fitSubSport: 'trail', gps: true, hasDistance: true,
    speed: [1.9, 2.9], minutes: [40, 150], hr: [135, 158], cadence: [150, 172], hilliness: 220,
    lapMeters: 1000, kcalPerMin: 12, weight: 6, steps: true, names: ['Trail Run', 'Hill Repeats'],
  },
  {
    typeId: 18, typeKey: 'treadmill_running', parentTypeId: 1, sportTypeId: 1, label: 'Treadmill Running',
    fitSport: 'running', fitSubSport: 'treadmill', gps: false, hasDistance: true,
    speed: [2.6, 3.4], minutes: [20, 60], hr: [135, 160], cadence: [160, 178], hilliness: 0,
    lapMeters: 1000, kcalPerMin: 11, weight: 4, steps: true, names: ['Treadmill Run'],
  },
  {
    typeId: 2, typeKey: 'cycling', parentTypeId: 17, sportTypeId: 2, label: 'Cycling',
    fitSport: 'cycling', fitSubSport: 'generic', gps: true, hasDistance: true,
    speed: [6.0, 9.0], minutes: [45, 240], hr: [120, 150], cadence: [78, 95], hilliness: 160,
    lapMeters: 5000, kcalPerMin: 9, weight: 16, steps: false, names: ['Road Ride', 'Commute', 'Group Ride'],
  },
  {
    typeId: 5, typeKey: 'mountain_biking', parentTypeId: 2, sportTypeId: 2, label: 'Mountain Biking',
    fitSport: 'cycling', fitSubSport: 'mountain', gps: true, hasDistance: true,
    speed: [3.5, 6.0], minutes: [60, 180], hr: [128, 155], cadence: [65, 85], hilliness: 300,
    lapMeters: 5000, kcalPerMin: 10, weight: 4, steps: false, names: ['MTB Loop'],
  },
  {
    typeId: 25, typeKey: 'indoor_cycling', parentTypeId: 2, sportTypeId: 2, label: 'Indoor Cycling',
    fitSport: 'cycling', fitSubSport: 'indoorCycling', gps: false, hasDistance: true,
    speed: [7.0, 9.5], minutes: [30, 75], hr: [125, 155], cadence: [80, 95], hilliness: 0,
    lapMeters: 5000, kcalPerMin: 10, weight: 5, steps: false, names: ['Zwift Ride', 'Spin Class'],
  },
  {
    typeId: 9, typeKey: 'walking', parentTypeId: 17, sportTypeId: 11, label: 'Walking',
    fitSport: 'walking', fitSubSport: 'generic', gps: true, hasDistance: true,
    speed: [1.2, 1.6], minutes: [20, 90], hr: [90, 115], cadence: [100, 120], hilliness: 25,
    lapMeters: 1000, kcalPerMin: 4.5, weight: 14, steps: true, names: ['Evening Walk', 'Walk'],
  },
  {
    typeId: 3, typeKey: 'hiking', parentTypeId: 17, sportTypeId: 17, label: 'Hiking',
    fitSport: 'hiking', fitSubSport: 'generic', gps: true, hasDistance: true,
    speed: [1.0, 1.6], minutes: [90, 270], hr: [105, 135], cadence: [90, 112], hilliness: 450,
    lapMeters: 1000, kcalPerMin: 7, weight: 5, steps: true, names: ['Hike', 'Summit Hike'],
  },
  {
    typeId: 27, typeKey: 'lap_swimming', parentTypeId: 26, sportTypeId: 5, label: 'Pool Swim',
    fitSport: 'swimming', fitSubSport: 'lapSwimming', gps: false, hasDistance: true,
    speed: [0.7, 1.1], minutes: [25, 60], hr: [120, 145], cadence: [24, 32], hilliness: 0,
    lapMeters: 100, kcalPerMin: 9, weight: 8, steps: false, names: ['Pool Swim', 'Swim Drills'],
  },
  {
    typeId: 28, typeKey: 'open_water_swimming', parentTypeId: 26, sportTypeId: 5, label: 'Open Water Swimming',
    fitSport: 'swimming', fitSubSport: 'openWater', gps: true, hasDistance: true,
    speed: [0.7, 1.0], minutes: [20, 60], hr: [125, 148], cadence: [24, 32], hilliness: 0,
    lapMeters: 0, kcalPerMin: 9, weight: 2, steps: false, names: ['Open Water Swim'],
  },
  {
    typeId: 13, typeKey: 'strength_training', parentTypeId: 29, sportTypeId: 4, label: 'Strength',
    fitSport: 'training', fitSubSport: 'strengthTraining', gps: false, hasDistance: false,
    speed: [0, 0], minutes: [30, 70], hr: [95, 125], cadence: [0, 0], hilliness: 0,
    lapMeters: 0, kcalPerMin: 6, weight: 8, steps: false, names: ['Strength', 'Upper Body', 'Leg Day'],
  },
  {
    typeId: 163, typeKey: 'yoga', parentTypeId: 29, sportTypeId: 4, label: 'Yoga',
    fitSport: 'training', fitSubSport: 'yoga', gps: false, hasDistance: false,
    speed: [0, 0], minutes: [30, 75], hr: [75, 100], cadence: [0, 0], hilliness: 0,
    lapMeters: 0, kcalPerMin: 3.5, weight: 3, steps: false, names: ['Yoga', 'Morning Yoga'],
  },
];

export const SPORT_WEIGHTS: readonly (readonly [SportDef, number])[] = SPORTS.map((s) => [s, s.weight] as const);
