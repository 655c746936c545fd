import { Type, type TSchema } from 'typebox';
import { HEALTH_METRIC_DESCRIPTIONS, type HealthMetric } from '../core/index.js';

/**
 * The documented shape of each health family's `data`: Garmin's answer for that day, stored as
 * sent. Only the fields worth knowing are listed (with their types as Garmin sends them); every
 * other field Garmin sent is kept too (`additionalProperties`). Times without a zone are GMT
 * unless the name says Local; `ms` fields are epoch milliseconds.
 */
const num = (description?: string) => Type.Union([Type.Number(), Type.Null()], description ? { description } : {});
const int = (description?: string) => Type.Union([Type.Integer(), Type.Null()], description ? { description } : {});
const str = (description?: string) => Type.Union([Type.String(), Type.Null()], description ? { description } : {});
const open = (props: Record<string, TSchema>, description?: string) =>
  Type.Object(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Type.Optional(v)])), {
    additionalProperties: true,
    ...(description ? { description } : {}),
  });
const series = (description: string) => Type.Union([Type.Array(Type.Array(Type.Unknown())), Type.Null()], { description });

const WeightEntry = open({
  samplePk: int(),
  calendarDate: str(),
  weight: num('grams'),
  bmi: num(),
  bodyFat: num('%'),
  bodyWater: num('%'),
  boneMass: num('grams'),
  muscleMass: num('grams'),
  sourceType: str(),
  timestampGMT: int('ms'),
});
const BloodPressure = open({
  systolic: int(),
  diastolic: int(),
  pulse: int(),
  measurementTimestampLocal: str(),
  measurementTimestampGMT: str(),
  category: str(),
  sourceType: str(),
  notes: str(),
});

export const HEALTH_FAMILY_SHAPES: Readonly<Record<HealthMetric, TSchema>> = {
  summary: open(
    {
      calendarDate: Type.String(),
      totalSteps: int(),
      dailyStepGoal: int(),
      totalDistanceMeters: num('metres'),
      totalKilocalories: num(),
      activeKilocalories: num(),
      restingHeartRate: int(),
      minHeartRate: int(),
      maxHeartRate: int(),
      averageStressLevel: int(),
      maxStressLevel: int(),
      bodyBatteryHighestValue: int(),
      bodyBatteryLowestValue: int(),
      moderateIntensityMinutes: int(),
      vigorousIntensityMinutes: int(),
      floorsAscended: num(),
      sleepingSeconds: int(),
      wellnessStartTimeGmt: str(),
      wellnessEndTimeGmt: str('end of the local day (GMT)'),
    },
    '/usersummary-service/usersummary/daily',
  ),
  heart_rate: open(
    {
      calendarDate: Type.String(),
      restingHeartRate: int(),
      minHeartRate: int(),
      maxHeartRate: int(),
      lastSevenDaysAvgRestingHeartRate: int(),
      heartRateValues: series('[ms, bpm|null] every 2 minutes'),
    },
    '/wellness-service/wellness/dailyHeartRate',
  ),
  sleep: open(
    {
      dailySleepDTO: open({
        id: int('null when there was no sleep'),
        calendarDate: str(),
        sleepTimeSeconds: int(),
        deepSleepSeconds: int(),
        lightSleepSeconds: int(),
        remSleepSeconds: int(),
        awakeSleepSeconds: int(),
        sleepStartTimestampGMT: int('ms'),
        sleepEndTimestampGMT: int('ms'),
        sleepScores: Type.Unknown(),
      }),
      sleepLevels: Type.Unknown(),
      restingHeartRate: int(),
      avgOvernightHrv: num(),
    },
    '/wellness-service/wellness/dailySleepData/{displayName}',
  ),
  stress: open(
    {
      calendarDate: Type.String(),
      avgStressLevel: int(),
      maxStressLevel: int(),
      stressValuesArray: series('[ms, level] every 3 minutes; -1 = not measurable'),
      bodyBatteryValuesArray: series('[ms, status, level, version]'),
    },
    '/wellness-service/wellness/dailyStress/{date}',
  ),
  body_battery: open(
    {
      date: Type.String(),
      charged: int(),
      drained: int(),
      startTimestampGMT: str(),
      endTimestampGMT: str(),
      bodyBatteryValuesArray: series('[ms, level|null]: the key points of the day'),
    },
    'one element of /wellness-service/wellness/bodyBattery/reports/daily',
  ),
  hrv: open(
    {
      hrvSummary: open({
        calendarDate: str(),
        lastNightAvg: int('ms'),
        lastNight5MinHigh: int('ms'),
        weeklyAvg: int('ms'),
        status: str(),
        baseline: Type.Unknown(),
      }),
      hrvReadings: Type.Array(open({ hrvValue: int('ms'), readingTimeGMT: str() })),
    },
    '/hrv-service/hrv/{date}; no data: data null (204)',
  ),
  weight: open(
    {
      summaryDate: Type.String(),
      numOfWeightEntries: int(),
      minWeight: num('grams'),
      maxWeight: num('grams'),
      latestWeight: WeightEntry,
      allWeightMetrics: Type.Array(WeightEntry),
    },
    'one day of /weight-service/weight/range/{start}/{end}',
  ),
  steps: Type.Array(
    open({
      startGMT: Type.String(),
      endGMT: Type.String(),
      steps: Type.Integer(),
      pushes: int(),
      primaryActivityLevel: Type.String(),
      activityLevelConstant: Type.Boolean(),
    }),
    { description: '/wellness-service/wellness/dailySummaryChart/{displayName}: 15-minute buckets' },
  ),
  respiration: open(
    {
      calendarDate: Type.String(),
      lowestRespirationValue: num(),
      highestRespirationValue: num(),
      avgWakingRespirationValue: num(),
      avgSleepRespirationValue: num(),
      respirationValuesArray: series('[ms, breaths/min]'),
    },
    '/wellness-service/wellness/daily/respiration/{date}',
  ),
  spo2: open(
    {
      calendarDate: Type.String(),
      averageSpO2: num(),
      lowestSpO2: int(),
      latestSpO2: int(),
      avgSleepSpO2: num(),
      spO2HourlyAverages: series('[ms, %] hourly during sleep'),
    },
    '/wellness-service/wellness/daily/spo2/{date}',
  ),
  training_readiness: Type.Array(
    open({
      calendarDate: str(),
      timestamp: str(),
      level: str(),
      score: int(),
      inputContext: str(),
      sleepScore: int(),
      recoveryTime: int(),
      hrvWeeklyAverage: int(),
    }),
    { description: '/metrics-service/metrics/trainingreadiness/{date}, newest first' },
  ),
  training_status: open(
    {
      mostRecentVO2Max: Type.Unknown(),
      mostRecentTrainingLoadBalance: Type.Unknown(),
      mostRecentTrainingStatus: Type.Unknown(),
      heatAltitudeAcclimationDTO: Type.Unknown(),
    },
    '/metrics-service/metrics/trainingstatus/aggregated/{date}',
  ),
  max_metrics: open(
    {
      generic: Type.Union([open({ calendarDate: str(), vo2MaxPreciseValue: num(), vo2MaxValue: num(), fitnessAge: int() }), Type.Null()]),
      cycling: Type.Unknown(),
      heatAltitudeAcclimation: Type.Unknown(),
    },
    'one day of /metrics-service/metrics/maxmet/daily/{start}/{end}',
  ),
  hydration: open(
    {
      calendarDate: Type.String(),
      valueInML: num(),
      goalInML: num(),
      dailyAverageinML: num(),
      sweatLossInML: num(),
      activityIntakeInML: num(),
    },
    '/usersummary-service/usersummary/hydration/daily/{date}',
  ),
  intensity_minutes: open(
    {
      calendarDate: Type.String(),
      moderateMinutes: int(),
      vigorousMinutes: int(),
      weeklyModerate: int(),
      weeklyVigorous: int(),
      weeklyTotal: int('moderate + 2 × vigorous'),
      weekGoal: int(),
    },
    '/wellness-service/wellness/daily/im/{date}',
  ),
  floors: open(
    {
      startTimestampGMT: str(),
      endTimestampGMT: str(),
      floorValuesArray: series('[startGMT, endGMT, ascended, descended] per 15 minutes'),
    },
    '/wellness-service/wellness/floorsChartData/daily/{date}',
  ),
  race_predictions: open(
    {
      calendarDate: str(),
      time5K: int('seconds'),
      time10K: int('seconds'),
      timeHalfMarathon: int('seconds'),
      timeMarathon: int('seconds'),
    },
    'one day of /metrics-service/metrics/racepredictions/daily/{displayName}',
  ),
  endurance_score: open(
    { calendarDate: str(), overallScore: int(), classification: int(), contributors: Type.Unknown() },
    '/metrics-service/metrics/endurancescore?calendarDate; no data: data null (204)',
  ),
  hill_score: open(
    { calendarDate: str(), overallScore: int(), strengthScore: int(), enduranceScore: int(), vo2Max: num() },
    '/metrics-service/metrics/hillscore?calendarDate; no data: data null (204)',
  ),
  fitness_age: open(
    {
      chronologicalAge: num(),
      fitnessAge: num(),
      achievableFitnessAge: num(),
      previousFitnessAge: num(),
      components: Type.Unknown(),
      lastUpdated: str(),
    },
    '/fitnessage-service/fitnessage/{date}',
  ),
  blood_pressure: open(
    { summaryDate: str(), measurements: Type.Array(BloodPressure) },
    'one day of /bloodpressure-service/bloodpressure/range/{start}/{end}',
  ),
};

/** The description of a family in the API docs: what it holds and where Garmin serves it. */
export function familyDescription(family: HealthMetric): string {
  const shape = HEALTH_FAMILY_SHAPES[family] as { description?: string };
  return `${HEALTH_METRIC_DESCRIPTIONS[family]} (Garmin: ${shape.description ?? '?'})`;
}
