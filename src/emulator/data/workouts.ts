import { Prng, deriveSeed } from './prng.js';
import { DAY_MS, formatTenths } from './time.js';

/**
 * Workout definitions (structured sessions with a warm-up, repeat groups and a cool-down) and
 * their Connect JSON shape (/workout-service/workouts and /workout/{id}).
 */
export interface WorkoutStepModel {
  kind: 'warmup' | 'interval' | 'recovery' | 'cooldown';
  /** 'time' in seconds, 'distance' in metres, or 'lap.button'. */
  end: 'time' | 'distance' | 'lap.button';
  endValue: number | null;
  /** Heart-rate zone target (1–5) or none. */
  hrZone: number | null;
}

export interface WorkoutGroup {
  repeat: number;
  steps: WorkoutStepModel[];
}

export interface WorkoutModel {
  id: number;
  name: string;
  sport: { sportTypeId: number; sportTypeKey: string; displayOrder: number; fitSport: string };
  createdMs: number;
  updatedMs: number;
  /** Top-level items: single steps or repeat groups. */
  items: (WorkoutStepModel | WorkoutGroup)[];
  description: string | null;
}

const SPORTS = {
  running: { sportTypeId: 1, sportTypeKey: 'running', displayOrder: 1, fitSport: 'running' },
  cycling: { sportTypeId: 2, sportTypeKey: 'cycling', displayOrder: 2, fitSport: 'cycling' },
  swimming: { sportTypeId: 4, sportTypeKey: 'swimming', displayOrder: 3, fitSport: 'swimming' },
  strength: { sportTypeId: 5, sportTypeKey: 'strength_training', displayOrder: 5, fitSport: 'training' },
} as const;

interface Template {
  sport: keyof typeof SPORTS;
  name: (p: Prng) => [string, WorkoutGroup];
}

const step = (
  kind: WorkoutStepModel['kind'],
  end: WorkoutStepModel['end'],
  endValue: number | null,
  hrZone: number | null,
): WorkoutStepModel => ({ kind, end, endValue, hrZone });

const TEMPLATES: readonly Template[] = [
  {
    sport: 'running',
    name: (p) => {
      const n = p.int(4, 8);
      const m = p.pick([400, 800, 1000]);
      return [`${n}x${m}m Intervals`, { repeat: n, steps: [step('interval', 'distance', m, 5), step('recovery', 'time', 120, 1)] }];
    },
  },
  {
    sport: 'running',
    name: (p) => {
      const n = p.int(2, 4);
      const min = p.pick([8, 10, 12]);
      return [`Tempo ${n}x${min}min`, { repeat: n, steps: [step('interval', 'time', min * 60, 4), step('recovery', 'time', 180, 2)] }];
    },
  },
  {
    sport: 'running',
    name: (p) => {
      const km = p.int(12, 24);
      return [`Long Run ${km}K`, { repeat: 1, steps: [step('interval', 'distance', km * 1000, 2)] }];
    },
  },
  {
    sport: 'cycling',
    name: (p) => {
      const n = p.int(2, 4);
      const min = p.pick([10, 12, 15]);
      return [`Sweet Spot ${n}x${min}`, { repeat: n, steps: [step('interval', 'time', min * 60, 4), step('recovery', 'time', 300, 1)] }];
    },
  },
  {
    sport: 'cycling',
    name: (p) => {
      const h = p.int(2, 4);
      return [`Endurance Ride ${h}h`, { repeat: 1, steps: [step('interval', 'time', h * 3600, 2)] }];
    },
  },
  {
    sport: 'swimming',
    name: (p) => {
      const n = p.int(6, 12);
      return [`CSS ${n}x100`, { repeat: n, steps: [step('interval', 'distance', 100, 4), step('recovery', 'time', 20, null)] }];
    },
  },
  {
    sport: 'strength',
    name: (p) => {
      const n = p.int(3, 5);
      return [
        `Full Body ${n} Rounds`,
        { repeat: n, steps: [step('interval', 'lap.button', null, null), step('recovery', 'time', 90, null)] },
      ];
    },
  },
];

export function buildWorkouts(seed: number, count: number, endDateMs: number): WorkoutModel[] {
  const out: WorkoutModel[] = [];
  let id = 900_000_000 + (deriveSeed(seed, 'workout-ids') % 100_000_000);
  for (let i = 0; i < count; i++) {
    const p = new Prng(deriveSeed(seed, 'workout', i));
    const template = p.pick(TEMPLATES);
    const [name, main] = template.name(p);
    const sport = SPORTS[template.sport];
    // Oldest first, spread over the two years before the end date.
    const createdMs = endDateMs - Math.round(((count - i) / Math.max(1, count)) * 730 * DAY_MS) + p.int(6, 20) * 3600_000;
    const updatedMs = Math.min(endDateMs, createdMs + p.int(0, 30) * DAY_MS);
    const items: (WorkoutStepModel | WorkoutGroup)[] = [];
    if (template.sport !== 'strength') items.push(step('warmup', 'time', template.sport === 'swimming' ? 300 : 600, 1));
    if (main.repeat > 1) items.push(main);
    else items.push(...main.steps);
    if (template.sport !== 'strength')
      items.push(step('cooldown', template.sport === 'swimming' ? 'distance' : 'time', template.sport === 'swimming' ? 200 : 600, 1));
    id += p.int(1_000, 4_000_000);
    out.push({ id, name, sport, createdMs, updatedMs, items, description: p.chance(0.3) ? 'Created by the emulator' : null });
  }
  return out;
}

function isGroup(item: WorkoutStepModel | WorkoutGroup): item is WorkoutGroup {
  return 'repeat' in item;
}

export function estimatedSeconds(w: WorkoutModel): number {
  const paceFor = (_s: WorkoutStepModel) => (w.sport.sportTypeKey === 'cycling' ? 8 : w.sport.sportTypeKey === 'swimming' ? 0.9 : 3.2);
  const secs = (s: WorkoutStepModel): number =>
    s.end === 'time' ? (s.endValue ?? 0) : s.end === 'distance' ? (s.endValue ?? 0) / paceFor(s) : 120;
  return Math.round(w.items.reduce((sum, it) => sum + (isGroup(it) ? it.repeat * it.steps.reduce((a, s) => a + secs(s), 0) : secs(it)), 0));
}

const STEP_TYPES = { warmup: 1, cooldown: 2, interval: 3, recovery: 4 } as const;
const END_CONDITIONS = { 'lap.button': 1, time: 2, distance: 3 } as const;

function stepDto(s: WorkoutStepModel, stepId: number, stepOrder: number): Record<string, unknown> {
  return {
    type: 'ExecutableStepDTO',
    stepId,
    stepOrder,
    stepType: { stepTypeId: STEP_TYPES[s.kind], stepTypeKey: s.kind, displayOrder: STEP_TYPES[s.kind] },
    childStepId: null,
    description: null,
    endCondition: {
      conditionTypeId: END_CONDITIONS[s.end],
      conditionTypeKey: s.end,
      displayOrder: END_CONDITIONS[s.end],
      displayable: true,
    },
    endConditionValue: s.endValue,
    preferredEndConditionUnit: s.end === 'distance' ? { unitId: 2, unitKey: 'kilometer', factor: 100000.0 } : null,
    endConditionCompare: null,
    targetType:
      s.hrZone === null
        ? { workoutTargetTypeId: 1, workoutTargetTypeKey: 'no.target', displayOrder: 1 }
        : { workoutTargetTypeId: 4, workoutTargetTypeKey: 'heart.rate.zone', displayOrder: 4 },
    targetValueOne: null,
    targetValueTwo: null,
    targetValueUnit: null,
    zoneNumber: s.hrZone,
    secondaryTargetType: null,
    secondaryTargetValueOne: null,
    secondaryTargetValueTwo: null,
    secondaryTargetValueUnit: null,
    secondaryZoneNumber: null,
    endConditionZone: null,
    strokeType: { strokeTypeId: 0, strokeTypeKey: null, displayOrder: 0 },
    equipmentType: { equipmentTypeId: 0, equipmentTypeKey: null, displayOrder: 0 },
    category: null,
    exerciseName: null,
    workoutProvider: null,
    providerExerciseSourceId: null,
    weightValue: null,
    weightUnit: null,
  };
}

function summaryFields(w: WorkoutModel, ownerId: number): Record<string, unknown> {
  return {
    workoutId: w.id,
    ownerId,
    workoutName: w.name,
    description: w.description,
    updatedDate: formatTenths(w.updatedMs),
    createdDate: formatTenths(w.createdMs),
    sportType: { sportTypeId: w.sport.sportTypeId, sportTypeKey: w.sport.sportTypeKey, displayOrder: w.sport.displayOrder },
    trainingPlanId: null,
    author: {
      userProfilePk: ownerId,
      displayName: null,
      fullName: null,
      profileImgNameLarge: null,
      profileImgNameMedium: null,
      profileImgNameSmall: null,
      userPro: false,
      vivokidUser: false,
    },
    estimatedDurationInSecs: estimatedSeconds(w),
    estimatedDistanceInMeters: null,
    estimateType: null,
    estimatedDistanceUnit: { unitId: null, unitKey: null, factor: null },
    poolLength: w.sport.sportTypeKey === 'swimming' ? 25.0 : 0.0,
    poolLengthUnit:
      w.sport.sportTypeKey === 'swimming' ? { unitId: 1, unitKey: 'meter', factor: 100.0 } : { unitId: null, unitKey: null, factor: null },
    workoutProvider: null,
    workoutSourceId: null,
    consumer: null,
    atpPlanId: null,
    workoutNameI18nKey: null,
    descriptionI18nKey: null,
    shared: false,
    estimated: true,
  };
}

/** List item of /workout-service/workouts. */
export function workoutListItem(w: WorkoutModel, ownerId: number): Record<string, unknown> {
  return summaryFields(w, ownerId);
}

/** /workout-service/workout/{id}. */
export function workoutDetail(w: WorkoutModel, ownerId: number): Record<string, unknown> {
  let stepId = w.id * 10;
  let order = 0;
  const steps = w.items.map((item) => {
    if (!isGroup(item)) return stepDto(item, ++stepId, ++order);
    const groupId = ++stepId;
    const groupOrder = ++order;
    return {
      type: 'RepeatGroupDTO',
      stepId: groupId,
      stepOrder: groupOrder,
      stepType: { stepTypeId: 6, stepTypeKey: 'repeat', displayOrder: 6 },
      childStepId: 1,
      numberOfIterations: item.repeat,
      workoutSteps: item.steps.map((s) => stepDto({ ...s }, ++stepId, ++order)),
      endConditionValue: item.repeat,
      preferredEndConditionUnit: null,
      endConditionCompare: null,
      endCondition: { conditionTypeId: 7, conditionTypeKey: 'iterations', displayOrder: 7, displayable: false },
      skipLastRestStep: false,
      smartRepeat: false,
    };
  });
  return {
    ...summaryFields(w, ownerId),
    workoutSegments: [
      {
        segmentOrder: 1,
        sportType: { sportTypeId: w.sport.sportTypeId, sportTypeKey: w.sport.sportTypeKey, displayOrder: w.sport.displayOrder },
        workoutSteps: steps,
      },
    ],
  };
}

export { isGroup };
