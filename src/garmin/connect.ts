/**
 * GarminConnect: the typed Connect API over one account's tokens (kept fresh by TokenKeeper),
 * every answer validated where it enters, FIT downloads streamed and verified.
 */
import { AppError, silentLogger } from '../core/index.js';
import type { Clock, Logger, Random } from '../core/index.js';
import { apiGet, apiGetJson, fetchSocialProfile } from './api-request.js';
import type { ApiCall } from './api-request.js';
import type { GarminAuth } from './auth.js';
import { parseActivityList, parseDaily, parseObjectWithChild, parseObjectWithId, parseWorkoutList } from './connect-parsers.js';
import type { GarminEndpoints } from './endpoints.js';
import { verifyFit } from './fit.js';
import { FitZipExtractor } from './fit-zip.js';
import { GarminHealthApi } from './health-api.js';
import { streamBody } from './upstream-answer.js';
import { TokenKeeper } from './token-keeper.js';
import { retryPolicy, type RetryPolicy } from './retry.js';
import { defaultHttpDeps, type HttpDeps } from './http.js';
import type { TransportFetch } from '../transport/index.js';
import type { GarminActivitySummary, GarminProfile, GarminTokenStore, GarminWorkoutSummary, RequestLimiter } from './types.js';
import { expectObject } from './validate.js';
import { parseLastUsedDevice, type GarminLastUsedDevice } from './last-used-device.js';
import type { Json } from './validate.js';

export interface GarminConnectOptions {
  endpoints: GarminEndpoints;
  auth: GarminAuth;
  tokenStore: GarminTokenStore;
  fetch?: TransportFetch;
  clock: Clock;
  random?: Random;
  logger?: Logger;
  limiter?: RequestLimiter;
  /** The retry policy of every GET (retry.ts; defaults DEFAULT_RETRY_POLICY). POSTs are never retried. */
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  /** Refresh this long before expiry; default 15 min (python-garminconnect's 900 s). */
  refreshMarginMs?: number;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** Upper bound of one FIT file; Garmin's largest originals are a few MB. */
const MAX_FIT_BYTES = 64 * 1024 * 1024;

function checkDate(value: string, field: string): string {
  if (!DATE_RE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new AppError('VALIDATION_FAILED', `${field} must be a date YYYY-MM-DD.`, { field });
  }
  return value;
}

function checkId(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new AppError('VALIDATION_FAILED', `${field} must be a positive integer.`, { field });
  return value;
}

export class GarminConnect {
  private readonly http: HttpDeps;
  private readonly logger: Logger;
  private readonly retry: RetryPolicy;
  private readonly keeper: TokenKeeper;
  /** The rest of the health surface (body battery reports, respiration, SpO2, readiness, details…). */
  readonly health: GarminHealthApi;

  constructor(private readonly opts: GarminConnectOptions) {
    this.logger = (opts.logger ?? silentLogger).child({ component: 'garmin-connect' });
    this.retry = retryPolicy(opts.retry);
    this.keeper = new TokenKeeper({
      auth: opts.auth,
      tokenStore: opts.tokenStore,
      clock: opts.clock,
      logger: this.logger,
      marginMs: opts.refreshMarginMs ?? 15 * 60_000,
    });
    const limiter = opts.limiter;
    this.http = {
      ...defaultHttpDeps(opts, this.logger),
      beforeRequest: limiter ? (signal) => limiter.acquire(signal) : undefined,
      onRateLimited: limiter?.pause ? (ms) => limiter.pause!(ms) : undefined,
      backoff: this.retry,
    };
    this.health = new GarminHealthApi((call, signal) => this.getJson(call, signal));
  }

  private withRetries(call: Omit<ApiCall, 'retries'>): ApiCall {
    return { ...call, retries: this.retry.transientRetries, rateLimitRetries: this.retry.rateLimitRetries };
  }

  private getJson(call: Omit<ApiCall, 'retries'>, signal?: AbortSignal): Promise<unknown> {
    return this.keeper.withToken(signal, (token) => apiGetJson(this.http, this.opts.endpoints, token, this.withRetries(call), signal));
  }

  private async downloadFit(call: Omit<ApiCall, 'retries'>, zipped: boolean, signal?: AbortSignal): Promise<Buffer> {
    const bytes = await this.keeper.withToken(signal, (token) =>
      apiGet(
        this.http,
        this.opts.endpoints,
        token,
        { ...this.withRetries(call), accept: '*/*' },
        async (res, attemptSignal) => {
          if (zipped) {
            const unzip = new FitZipExtractor(MAX_FIT_BYTES);
            try {
              await streamBody(res, (c) => unzip.push(c), attemptSignal);
              return await unzip.finish();
            } finally {
              unzip.dispose();
            }
          }
          const chunks: Uint8Array[] = [];
          let size = 0;
          await streamBody(
            res,
            (c) => {
              size += c.length;
              if (size > MAX_FIT_BYTES) throw new AppError('FIT_INVALID', 'The FIT file is too large.', { reason: 'too large' });
              chunks.push(c);
            },
            attemptSignal,
          );
          return Buffer.concat(chunks);
        },
        signal,
      ),
    );
    if (!bytes) throw new AppError('FIT_INVALID', 'Garmin sent no FIT bytes.', { reason: 'empty', endpoint: call.label });
    verifyFit(bytes);
    return bytes;
  }

  // ---- API ----------------------------------------------------------------------------------

  /** The account's social profile (displayName, profileId, …) plus the raw answer. */
  async getSocialProfile(signal?: AbortSignal): Promise<GarminProfile & { raw: Record<string, unknown> }> {
    return this.keeper.withToken(signal, (token) => fetchSocialProfile(this.http, this.opts.endpoints, token, this.retry, signal));
  }

  /** /userprofile-service/userprofile/user-settings (validated: userData is an object). */
  async getUserSettings(signal?: AbortSignal): Promise<Record<string, unknown>> {
    const label = 'user-settings';
    return parseObjectWithChild(
      await this.getJson({ path: '/userprofile-service/userprofile/user-settings', label }, signal),
      'userData',
      label,
    );
  }

  /** One page of activities, newest first (start = offset, limit ≤ 1000, dates YYYY-MM-DD). */
  async listActivities(
    q: { start: number; limit: number; startDate?: string; endDate?: string; activityType?: string },
    signal?: AbortSignal,
  ): Promise<GarminActivitySummary[]> {
    if (!Number.isSafeInteger(q.start) || q.start < 0)
      throw new AppError('VALIDATION_FAILED', 'start must be a non-negative integer.', { field: 'start' });
    if (!Number.isSafeInteger(q.limit) || q.limit < 1 || q.limit > 1000)
      throw new AppError('VALIDATION_FAILED', 'limit must be 1–1000.', { field: 'limit' });
    const label = 'activity list';
    const body = await this.getJson(
      {
        path: '/activitylist-service/activities/search/activities',
        query: {
          start: q.start,
          limit: q.limit,
          startDate: q.startDate && checkDate(q.startDate, 'startDate'),
          endDate: q.endDate && checkDate(q.endDate, 'endDate'),
          activityType: q.activityType,
        },
        label,
      },
      signal,
    );
    return parseActivityList(body, label);
  }

  /** /activity-service/activity/{id} (validated: activityId). */
  async getActivity(activityId: number, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const label = 'activity detail';
    const body = await this.getJson({ path: `/activity-service/activity/${checkId(activityId, 'activityId')}`, label }, signal);
    return parseObjectWithId(body, 'activityId', label);
  }

  /** Downloads the original (ZIP) streamed, unzips {id}_ACTIVITY.fit, verifies it. Corrupt/truncated → FIT_INVALID. */
  downloadActivityFit(activityId: number, signal?: AbortSignal): Promise<Buffer> {
    return this.downloadFit(
      { path: `/download-service/files/activity/${checkId(activityId, 'activityId')}`, label: 'activity FIT' },
      true,
      signal,
    );
  }

  /** /usersummary-service/usersummary/daily/?calendarDate=D (garth's form, no display name). */
  async getDailySummary(date: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const label = 'daily summary';
    return parseDaily(
      await this.getJson(
        { path: '/usersummary-service/usersummary/daily/', query: { calendarDate: checkDate(date, 'date') }, label },
        signal,
      ),
      label,
    );
  }

  /** /wellness-service/wellness/dailyHeartRate/?date=D. */
  async getDailyHeartRate(date: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const label = 'daily heart rate';
    return parseDaily(
      await this.getJson({ path: '/wellness-service/wellness/dailyHeartRate/', query: { date: checkDate(date, 'date') }, label }, signal),
      label,
    );
  }

  /** /wellness-service/wellness/dailySleepData/{displayName}?nonSleepBufferMinutes=60&date=D (dailySleepDTO checked). */
  async getSleep(date: string, displayName: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const label = 'daily sleep';
    const body = await this.getJson(
      {
        path: `/wellness-service/wellness/dailySleepData/${encodeURIComponent(displayName)}`,
        query: { nonSleepBufferMinutes: 60, date: checkDate(date, 'date') },
        label,
      },
      signal,
    );
    return parseObjectWithChild(body, 'dailySleepDTO', label);
  }

  /** /wellness-service/wellness/dailyStress/{D}: stress and body battery of one day. */
  async getStress(date: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const label = 'daily stress';
    return parseDaily(
      await this.getJson({ path: `/wellness-service/wellness/dailyStress/${checkDate(date, 'date')}`, label }, signal),
      label,
    );
  }

  /** /hrv-service/hrv/{D}; null when Garmin answers 204 (no HRV that night). */
  async getHrv(date: string, signal?: AbortSignal): Promise<Record<string, unknown> | null> {
    const label = 'HRV';
    const body = await this.getJson({ path: `/hrv-service/hrv/${checkDate(date, 'date')}`, label }, signal);
    return body === null ? null : expectObject(body, label);
  }

  /** /weight-service/weight/range/{start}/{end}?includeAll=true. */
  async getWeightRange(startDate: string, endDate: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const label = 'weight range';
    const body = await this.getJson(
      {
        path: `/weight-service/weight/range/${checkDate(startDate, 'startDate')}/${checkDate(endDate, 'endDate')}`,
        query: { includeAll: 'true' },
        label,
      },
      signal,
    );
    return expectObject(body, label) as Json;
  }

  /** One page of workout summaries. */
  async listWorkouts(q: { start: number; limit: number }, signal?: AbortSignal): Promise<GarminWorkoutSummary[]> {
    if (!Number.isSafeInteger(q.start) || q.start < 0)
      throw new AppError('VALIDATION_FAILED', 'start must be a non-negative integer.', { field: 'start' });
    if (!Number.isSafeInteger(q.limit) || q.limit < 1 || q.limit > 1000)
      throw new AppError('VALIDATION_FAILED', 'limit must be 1–1000.', { field: 'limit' });
    const label = 'workout list';
    return parseWorkoutList(
      await this.getJson({ path: '/workout-service/workouts', query: { start: q.start, limit: q.limit }, label }, signal),
      label,
    );
  }

  /** /workout-service/workout/{id} (validated: workoutId). */
  async getWorkout(workoutId: number, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const label = 'workout detail';
    return parseObjectWithId(
      await this.getJson({ path: `/workout-service/workout/${checkId(workoutId, 'workoutId')}`, label }, signal),
      'workoutId',
      label,
    );
  }

  /**
   * /device-service/deviceservice/mylastused: when the account's last device upload happened — the
   * one-request probe a scheduled run asks before listing anything (issue 15 change detection).
   */
  async getLastUsedDevice(signal?: AbortSignal): Promise<GarminLastUsedDevice> {
    const label = 'last used device';
    return parseLastUsedDevice(await this.getJson({ path: '/device-service/deviceservice/mylastused', label }, signal), label);
  }

  /** /workout-service/workout/FIT/{id}: raw FIT bytes (not zipped), verified like activities. */
  downloadWorkoutFit(workoutId: number, signal?: AbortSignal): Promise<Buffer> {
    return this.downloadFit(
      { path: `/workout-service/workout/FIT/${checkId(workoutId, 'workoutId')}`, label: 'workout FIT' },
      false,
      signal,
    );
  }
}
