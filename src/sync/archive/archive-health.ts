import type { HealthMetric } from '../../core/index.js';
import { isObj, num, type Json } from '../json-values.js';

/**
 * Garmin's archive health records turned into the payloads the Connect API gives for the same
 * family and day (so the day list, `health show`, export and coverage read one shape whatever
 * the source), each keeping the archive's record under `archiveRecord`. Junk is dropped:
 * records without a valid calendarDate, pre-device UDS records, `{retro}` placeholders
 * (garmin-archive.md §6). Field names of the API shapes: ../shared/garmin-recordings.
 */
export interface ArchiveHealthRecord {
  family: HealthMetric;
  date: string;
  payload: Json;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A strict YYYY-MM-DD date that exists (`2024-1-5`, `null` and `2024-02-30` are not). */
export function archiveDate(v: unknown): string | undefined {
  if (typeof v !== 'string' || !DATE.test(v)) return undefined;
  const ms = Date.parse(`${v}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === v ? v : undefined;
}

/** GMT ISO without zone (`2023-12-18T09:12:00.0`) → epoch ms. */
function gmtMs(v: unknown): number | null {
  if (typeof v === 'number') return num(v);
  if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/.test(v)) return null;
  const ms = Date.parse(`${v}Z`);
  return Number.isFinite(ms) ? ms : null;
}

function filled(r: Json): number {
  return Object.values(r).filter((v) => v !== null && v !== undefined).length;
}

/** UDS day records → `summary` (the API's usersummary/daily fields; stress and body battery from the nested blocks). */
export function udsToSummary(records: readonly unknown[]): ArchiveHealthRecord[] {
  const byDate = new Map<string, Json>();
  for (const r of records) {
    if (!isObj(r) || r.includesWellnessData === false) continue;
    const date = archiveDate(r.calendarDate);
    if (!date) continue;
    // Adjacent windows may both hold a day: keep the most complete record.
    const prev = byDate.get(date);
    if (!prev || filled(r) > filled(prev)) byDate.set(date, r);
  }
  return [...byDate].map(([date, r]) => {
    const { allDayStress, bodyBattery, respiration, hydration, ...scalars } = r;
    const total = (isObj(allDayStress) && Array.isArray(allDayStress.aggregatorList) ? allDayStress.aggregatorList : []).find(
      (a): a is Json => isObj(a) && a.type === 'TOTAL',
    );
    const stats =
      isObj(bodyBattery) && Array.isArray(bodyBattery.bodyBatteryStatList)
        ? (bodyBattery.bodyBatteryStatList as unknown[]).filter(isObj)
        : [];
    const stat = (type: string) => num(stats.find((s) => s.bodyBatteryStatType === type)?.statsValue);
    const resp = isObj(respiration) ? respiration : {};
    const payload: Json = {
      ...scalars,
      calendarDate: date,
      averageSpo2: num(r.averageSpo2Value),
      lowestSpo2: num(r.lowestSpo2Value),
      averageStressLevel: num(total?.averageStressLevel),
      maxStressLevel: num(total?.maxStressLevel),
      stressDuration: num(total?.stressDuration),
      restStressDuration: num(total?.restDuration),
      lowStressDuration: num(total?.lowDuration),
      mediumStressDuration: num(total?.mediumDuration),
      highStressDuration: num(total?.highDuration),
      totalStressDuration: num(total?.totalDuration),
      bodyBatteryChargedValue: isObj(bodyBattery) ? num(bodyBattery.chargedValue) : null,
      bodyBatteryDrainedValue: isObj(bodyBattery) ? num(bodyBattery.drainedValue) : null,
      bodyBatteryHighestValue: stat('HIGHEST'),
      bodyBatteryLowestValue: stat('LOWEST'),
      bodyBatteryMostRecentValue: stat('MOSTRECENT'),
      avgWakingRespirationValue: num(resp.avgWakingRespirationValue),
      highestRespirationValue: num(resp.highestRespirationValue),
      lowestRespirationValue: num(resp.lowestRespirationValue),
      archiveRecord: r,
    };
    if (isObj(hydration)) payload.hydration = hydration;
    return { family: 'summary' as const, date, payload };
  });
}

/** Sleep nights → `sleep` ({dailySleepDTO} as the API; totals deep + light + rem). */
export function sleepToSleep(records: readonly unknown[]): ArchiveHealthRecord[] {
  const out = new Map<string, ArchiveHealthRecord>();
  for (const r of records) {
    if (!isObj(r)) continue;
    const date = archiveDate(r.calendarDate);
    const start = gmtMs(r.sleepStartTimestampGMT);
    const end = gmtMs(r.sleepEndTimestampGMT);
    if (!date || start === null || end === null) continue;
    const deep = num(r.deepSleepSeconds) ?? 0;
    const light = num(r.lightSleepSeconds) ?? 0;
    const rem = num(r.remSleepSeconds) ?? 0;
    const scores = isObj(r.sleepScores) ? r.sleepScores : {};
    const spo2 = isObj(r.spo2SleepSummary) ? r.spo2SleepSummary : {};
    out.set(date, {
      family: 'sleep',
      date,
      payload: {
        dailySleepDTO: {
          id: start,
          calendarDate: date,
          sleepTimeSeconds: deep + light + rem,
          sleepStartTimestampGMT: start,
          sleepEndTimestampGMT: end,
          deepSleepSeconds: num(r.deepSleepSeconds),
          lightSleepSeconds: num(r.lightSleepSeconds),
          remSleepSeconds: num(r.remSleepSeconds),
          awakeSleepSeconds: num(r.awakeSleepSeconds),
          unmeasurableSleepSeconds: num(r.unmeasurableSeconds),
          averageRespirationValue: num(r.averageRespiration),
          lowestRespirationValue: num(r.lowestRespiration),
          highestRespirationValue: num(r.highestRespiration),
          avgSleepStress: num(r.avgSleepStress),
          awakeCount: num(r.awakeCount),
          averageSpO2Value: num(spo2.averageSPO2),
          lowestSpO2Value: num(spo2.lowestSPO2),
          sleepScores: num(scores.overallScore) === null ? null : { overall: { value: num(scores.overallScore) } },
        },
        archiveRecord: r,
      },
    });
  }
  return [...out.values()];
}

/** Health-status days → `hrv` (the archive's only HRV: `metrics[type=HRV]`). */
export function healthStatusToHrv(records: readonly unknown[]): ArchiveHealthRecord[] {
  const out: ArchiveHealthRecord[] = [];
  for (const r of records) {
    if (!isObj(r) || !Array.isArray(r.metrics)) continue;
    const date = archiveDate(r.calendarDate);
    const hrv = (r.metrics as unknown[]).find((m): m is Json => isObj(m) && m.type === 'HRV');
    if (!date || !hrv || num(hrv.value) === null) continue;
    out.push({
      family: 'hrv',
      date,
      payload: {
        hrvSummary: {
          calendarDate: date,
          lastNightAvg: num(hrv.value),
          baseline: { balancedLow: num(hrv.baselineLowerLimit), balancedUpper: num(hrv.baselineUpperLimit) },
          status: hrv.status ?? null,
        },
        archiveRecord: r,
      },
    });
  }
  return out;
}

/** Biometric snapshots → `weight` per day, deduplicated by weigh-in time (snapshots repeat). */
export function bioMetricsToWeight(records: readonly unknown[]): ArchiveHealthRecord[] {
  const seen = new Set<number>();
  const byDate = new Map<string, Json[]>();
  for (const r of records) {
    if (!isObj(r) || !isObj(r.weight) || !isObj(r.metaData)) continue;
    const ts = num(r.weight.timestampGMT);
    const grams = num(r.weight.weight);
    const date = typeof r.metaData.calendarDate === 'string' ? archiveDate(r.metaData.calendarDate.slice(0, 10)) : undefined;
    if (ts === null || grams === null || !date || seen.has(ts)) continue;
    seen.add(ts);
    const entry = {
      calendarDate: date,
      weight: grams,
      timestampGMT: ts,
      sourceType: r.weight.sourceType ?? null,
      bodyFat: num(r.bodyFat),
      bodyWater: num(r.bodyWater),
      boneMass: num(r.boneMass),
      muscleMass: num(r.muscleMass),
    };
    byDate.set(date, [...(byDate.get(date) ?? []), entry]);
  }
  return [...byDate].map(([date, entries]) => {
    const sorted = entries.sort((a, b) => (b.timestampGMT as number) - (a.timestampGMT as number));
    return {
      family: 'weight' as const,
      date,
      payload: { startDate: date, endDate: date, dateWeightList: sorted, latestWeight: sorted[0] },
    };
  });
}
