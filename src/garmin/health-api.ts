/**
 * The Connect API's health surface beyond the original six daily answers (garmin-endpoints-2.md
 * §2–§5), typed and validated where it enters: ranged endpoints where Garmin offers them (body
 * battery reports, weight date range, VO2max), one day otherwise. Days without data come back as
 * Garmin's empty shapes (or null for a 204).
 */
import { AppError } from '../core/index.js';
import { parseDaily } from './connect-parsers.js';
import type { ApiCall } from './api-request.js';
import { expectArray, expectObject, isObject, protocolChanged, reqString } from './validate.js';
import type { Json } from './validate.js';

type GetJson = (call: Omit<ApiCall, 'retries'>, signal?: AbortSignal) => Promise<unknown>;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function checkDate(value: string, field: string): string {
  if (!DATE_RE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw new AppError('VALIDATION_FAILED', `${field} must be a date YYYY-MM-DD.`, { field });
  return value;
}

function checkRange(start: string, end: string): [string, string] {
  checkDate(start, 'startDate');
  checkDate(end, 'endDate');
  if (end < start) throw new AppError('VALIDATION_FAILED', 'endDate must not be before startDate.', { field: 'endDate' });
  return [start, end];
}

/** A list whose items are objects carrying `key` as a date string (e.g. body battery `date`). */
function datedList(v: unknown, key: string, label: string): Json[] {
  return expectArray(v, label).map((item) => {
    const o = expectObject(item, label, 'item');
    if (!DATE_RE.test(reqString(o, key, label))) throw protocolChanged(label, `${key} is not a date`);
    return o;
  });
}

export class GarminHealthApi {
  constructor(private readonly getJson: GetJson) {}

  /** /wellness-service/wellness/bodyBattery/reports/daily?startDate&endDate: one report per day (`date`). */
  async getBodyBatteryReports(startDate: string, endDate: string, signal?: AbortSignal): Promise<Json[]> {
    const [s, e] = checkRange(startDate, endDate);
    const label = 'body battery reports';
    return datedList(
      await this.getJson(
        { path: '/wellness-service/wellness/bodyBattery/reports/daily', query: { startDate: s, endDate: e }, label },
        signal,
      ),
      'date',
      label,
    );
  }

  /** /wellness-service/wellness/daily/respiration/{D}. */
  async getRespiration(date: string, signal?: AbortSignal): Promise<Json> {
    const label = 'respiration';
    return parseDaily(
      await this.getJson({ path: `/wellness-service/wellness/daily/respiration/${checkDate(date, 'date')}`, label }, signal),
      label,
    );
  }

  /** /wellness-service/wellness/daily/spo2/{D}. */
  async getSpo2(date: string, signal?: AbortSignal): Promise<Json> {
    const label = 'SpO2';
    return parseDaily(
      await this.getJson({ path: `/wellness-service/wellness/daily/spo2/${checkDate(date, 'date')}`, label }, signal),
      label,
    );
  }

  /** /metrics-service/metrics/trainingreadiness/{D}: snapshots newest first ([] without data). */
  async getTrainingReadiness(date: string, signal?: AbortSignal): Promise<Json[]> {
    const label = 'training readiness';
    const body = await this.getJson({ path: `/metrics-service/metrics/trainingreadiness/${checkDate(date, 'date')}`, label }, signal);
    return body === null ? [] : expectArray(body, label).map((i) => expectObject(i, label, 'snapshot'));
  }

  /** /wellness-service/wellness/dailySummaryChart/{displayName}?date=D: 15-minute step buckets. */
  async getStepsChart(date: string, displayName: string, signal?: AbortSignal): Promise<Json[]> {
    const label = 'steps chart';
    const body = await this.getJson(
      {
        path: `/wellness-service/wellness/dailySummaryChart/${encodeURIComponent(displayName)}`,
        query: { date: checkDate(date, 'date') },
        label,
      },
      signal,
    );
    return expectArray(body, label).map((b) => {
      const o = expectObject(b, label, 'bucket');
      if (typeof o.steps !== 'number') throw protocolChanged(label, 'steps is not a number');
      return o;
    });
  }

  /** /weight-service/weight/dateRange?startDate&endDate (dateWeightList checked). */
  async getWeightDateRange(startDate: string, endDate: string, signal?: AbortSignal): Promise<Json> {
    const [s, e] = checkRange(startDate, endDate);
    const label = 'weight date range';
    const o = expectObject(
      await this.getJson({ path: '/weight-service/weight/dateRange', query: { startDate: s, endDate: e }, label }, signal),
      label,
    );
    expectArray(o.dateWeightList, label, 'dateWeightList');
    return o;
  }

  /** /wellness-service/wellness/floorsChartData/daily/{D}: 15-minute floors (both arrays [] without data). */
  async getFloors(date: string, signal?: AbortSignal): Promise<Json> {
    return this.daily(`/wellness-service/wellness/floorsChartData/daily/${checkDate(date, 'date')}`, 'floors', signal);
  }

  /** /usersummary-service/usersummary/hydration/daily/{D}. */
  async getHydration(date: string, signal?: AbortSignal): Promise<Json> {
    return this.daily(`/usersummary-service/usersummary/hydration/daily/${checkDate(date, 'date')}`, 'hydration', signal);
  }

  /** /wellness-service/wellness/daily/im/{D}: the day's and the week's intensity minutes. */
  async getIntensityMinutes(date: string, signal?: AbortSignal): Promise<Json> {
    return this.daily(`/wellness-service/wellness/daily/im/${checkDate(date, 'date')}`, 'intensity minutes', signal);
  }

  /** /metrics-service/metrics/trainingstatus/aggregated/{D} (sections may be null). */
  async getTrainingStatus(date: string, signal?: AbortSignal): Promise<Json> {
    return this.daily(`/metrics-service/metrics/trainingstatus/aggregated/${checkDate(date, 'date')}`, 'training status', signal);
  }

  /** /metrics-service/metrics/endurancescore?calendarDate=D; null on 204 (no score that day). */
  async getEnduranceScore(date: string, signal?: AbortSignal): Promise<Json | null> {
    return this.score('/metrics-service/metrics/endurancescore', date, 'endurance score', signal);
  }

  /** /metrics-service/metrics/hillscore?calendarDate=D; null on 204. */
  async getHillScore(date: string, signal?: AbortSignal): Promise<Json | null> {
    return this.score('/metrics-service/metrics/hillscore', date, 'hill score', signal);
  }

  /** /fitnessage-service/fitnessage/{D}; null when Garmin has none for the day. */
  async getFitnessAge(date: string, signal?: AbortSignal): Promise<Json | null> {
    const label = 'fitness age';
    const body = await this.getJson({ path: `/fitnessage-service/fitnessage/${checkDate(date, 'date')}`, label }, signal);
    return body === null ? null : expectObject(body, label);
  }

  /** /metrics-service/metrics/racepredictions/daily/{displayName}?fromCalendarDate&toCalendarDate (≤ 366 days): rows by calendarDate. */
  async getRacePredictions(startDate: string, endDate: string, displayName: string, signal?: AbortSignal): Promise<Json[]> {
    const [s, e] = checkRange(startDate, endDate);
    const label = 'race predictions';
    const body = await this.getJson(
      {
        path: `/metrics-service/metrics/racepredictions/daily/${encodeURIComponent(displayName)}`,
        query: { fromCalendarDate: s, toCalendarDate: e },
        label,
      },
      signal,
    );
    return body === null ? [] : datedList(body, 'calendarDate', label);
  }

  /** /bloodpressure-service/bloodpressure/range/{s}/{e}: one summary per day with measurements (startDate checked). */
  async getBloodPressure(startDate: string, endDate: string, signal?: AbortSignal): Promise<Json[]> {
    const [s, e] = checkRange(startDate, endDate);
    const label = 'blood pressure';
    const o = expectObject(await this.getJson({ path: `/bloodpressure-service/bloodpressure/range/${s}/${e}`, label }, signal), label);
    return datedList(o.measurementSummaries ?? [], 'startDate', label);
  }

  /**
   * /usersummary-service/stats/steps/weekly/{end}/{weeks} (≤ 52 weeks ending on `end`): one row
   * per week that has wellness data, keyed by the week's first day; [] before the account's data.
   */
  async getWeeklySteps(end: string, weeks: number, signal?: AbortSignal): Promise<Json[]> {
    const n = Math.max(1, Math.min(52, Math.floor(weeks)));
    const label = 'weekly steps';
    const body = await this.getJson({ path: `/usersummary-service/stats/steps/weekly/${checkDate(end, 'end')}/${n}`, label }, signal);
    return body === null ? [] : datedList(body, 'calendarDate', label);
  }

  /** /usersummary-service/stats/steps/daily/{s}/{e} (≤ 28 days): one row per day with data. */
  async getDailySteps(startDate: string, endDate: string, signal?: AbortSignal): Promise<Json[]> {
    const [s, e] = checkRange(startDate, endDate);
    const label = 'daily steps';
    const body = await this.getJson({ path: `/usersummary-service/stats/steps/daily/${s}/${e}`, label }, signal);
    return body === null ? [] : datedList(body, 'calendarDate', label);
  }

  private async daily(path: string, label: string, signal?: AbortSignal): Promise<Json> {
    return parseDaily(await this.getJson({ path, label }, signal), label);
  }

  private async score(path: string, date: string, label: string, signal?: AbortSignal): Promise<Json | null> {
    const body = await this.getJson({ path, query: { calendarDate: checkDate(date, 'date') }, label }, signal);
    return body === null ? null : expectObject(body, label);
  }

  /** /metrics-service/metrics/maxmet/daily/{s}/{e}: VO2max, one element per day with data. */
  async getMaxMetrics(startDate: string, endDate: string, signal?: AbortSignal): Promise<Json[]> {
    const [s, e] = checkRange(startDate, endDate);
    const label = 'max metrics';
    const body = await this.getJson({ path: `/metrics-service/metrics/maxmet/daily/${s}/${e}`, label }, signal);
    return expectArray(body, label).map((i) => {
      const o = expectObject(i, label, 'item');
      if (o.generic !== null && o.generic !== undefined && !isObject(o.generic)) throw protocolChanged(label, 'generic is not an object');
      return o;
    });
  }

  /**
   * /activity-service/activity/{id}/details?maxChartSize&maxPolylineSize: metric descriptors,
   * rows and polyline; every descriptor's metricsIndex is checked (Garmin's order is not fixed).
   */
  async getActivityDetails(
    activityId: number,
    opts: { maxChartSize?: number; maxPolylineSize?: number } = {},
    signal?: AbortSignal,
  ): Promise<Json> {
    if (!Number.isSafeInteger(activityId) || activityId <= 0)
      throw new AppError('VALIDATION_FAILED', 'activityId must be a positive integer.', { field: 'activityId' });
    const label = 'activity details';
    const o = expectObject(
      await this.getJson(
        {
          path: `/activity-service/activity/${activityId}/details`,
          query: { maxChartSize: opts.maxChartSize ?? 2000, maxPolylineSize: opts.maxPolylineSize ?? 4000 },
          label,
        },
        signal,
      ),
      label,
    );
    const descriptors = expectArray(o.metricDescriptors ?? [], label, 'metricDescriptors');
    for (const d of descriptors) {
      if (!isObject(d) || typeof d.metricsIndex !== 'number' || typeof d.key !== 'string')
        throw protocolChanged(label, 'a metric descriptor lacks metricsIndex or key');
    }
    expectArray(o.activityDetailMetrics ?? [], label, 'activityDetailMetrics');
    return o;
  }
}
