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
