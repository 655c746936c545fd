import { AppError } from '../../src/core/index.js';
import type { GarminActivitySummaryLike, GarminConnectLike, GarminWorkoutSummaryLike } from '../../src/sync/index.js';

/**
 * A small in-test Garmin (the sync port only) used until the emulator serves the Connect API:
 * deterministic data, request counting, latency, 429 bursts, corrupt FITs and dead tokens.
 */
export class FakeGarmin implements GarminConnectLike {
  requests = 0;
  latencyMs = 0;
  /** Answer 429 to every request while this many remain. */
  rateLimitedRequests = 0;
  retryAfterMs = 200;
  corruptFitIds = new Set<number>();
  revoked = false;
  rateLimitHits = 0;
  /** Every n-th request fails as GARMIN_UNAVAILABLE (0 = never). */
  unavailableEvery = 0;
  private activities: { id: number; start: number; name?: string; updatedAt?: number }[] = [];
  private nextId = 1_000_000;
  /** The first day with wellness data: `days` days ending on the end date. */
  private get firstDay(): string {
    return new Date(Date.parse(`${this.endDate}T00:00:00Z`) - (this.days - 1) * 86_400_000).toISOString().slice(0, 10);
  }

  constructor(
    activities: number,
    readonly endDate: string,
    readonly days: number,
    readonly workouts: number,
  ) {
    this.add(activities);
  }

  add(count: number): number[] {
    const ids: number[] = [];
    const base = this.activities.length
      ? Math.max(...this.activities.map((a) => a.start))
      : Date.parse(`${this.endDate}T00:00:00Z`) - 86_400_000 * 60;
    for (let i = 1; i <= count; i++) {
      const id = this.nextId++;
      this.activities.push({ id, start: base + i * 3_600_000 });
      ids.push(id);
    }
    return ids;
  }

  /** Renames an activity upstream: its detail's lastUpdateDate moves (like an edit in Garmin Connect). */
  rename(id: number, name: string, at: number): void {
    const a = this.activities.find((x) => x.id === id);
    if (!a) throw new Error(`no activity ${id}`);
    a.name = name;
    a.updatedAt = at;
  }

  /** An edit the list does not show: only the detail's last-update time moves. */
  touch(id: number, at: number): void {
    const a = this.activities.find((x) => x.id === id);
    if (!a) throw new Error(`no activity ${id}`);
    a.updatedAt = at;
  }

  activityIds(): number[] {
    return this.activities.map((a) => a.id);
  }

  private async hit(signal?: AbortSignal): Promise<void> {
    this.requests++;
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    if (signal?.aborted) throw new AppError('ABORTED');
    if (this.unavailableEvery && this.requests % this.unavailableEvery === 0) throw new AppError('GARMIN_UNAVAILABLE', '503');
    if (this.revoked) throw new AppError('GARMIN_REAUTH_REQUIRED', 'refresh token revoked');
    if (this.rateLimitedRequests > 0) {
      this.rateLimitedRequests--;
      this.rateLimitHits++;
      throw new AppError('GARMIN_RATE_LIMITED', 'slow down', { retry_after_ms: this.retryAfterMs });
    }
  }

  private inWindow(date: string): boolean {
    const end = Date.parse(`${this.endDate}T00:00:00Z`);
    const d = Date.parse(`${date}T00:00:00Z`);
    return d <= end && d > end - this.days * 86_400_000;
  }

  async getSocialProfile(signal?: AbortSignal) {
    await this.hit(signal);
    return { displayName: 'fake-user' };
  }

  async listActivities(q: { start: number; limit: number }, signal?: AbortSignal): Promise<GarminActivitySummaryLike[]> {
    await this.hit(signal);
    const sorted = [...this.activities].sort((a, b) => b.start - a.start);
    return sorted.slice(q.start, q.start + q.limit).map((a) => ({
      activityId: a.id,
      activityName: a.name ?? `Run ${a.id}`,
      startTimeGMT: new Date(a.start).toISOString().replace('T', ' ').slice(0, 19),
      activityType: { typeKey: 'running' },
      duration: 1800,
      distance: 5000,
      calories: 300,
      averageHR: 140,
      raw: { activityId: a.id },
    }));
  }

  async downloadActivityFit(activityId: number, signal?: AbortSignal): Promise<Buffer> {
    await this.hit(signal);
    if (!this.activities.some((a) => a.id === activityId)) throw new AppError('GARMIN_NOT_FOUND');
    if (this.corruptFitIds.has(activityId)) throw new AppError('FIT_INVALID', 'FIT CRC mismatch');
    return Buffer.from(`FIT-${activityId}`);
  }

  async getActivity(activityId: number, signal?: AbortSignal): Promise<Record<string, unknown>> {
    await this.hit(signal);
    const a = this.activities.find((x) => x.id === activityId);
    if (!a) throw new AppError('GARMIN_NOT_FOUND');
    const updated = a.updatedAt ?? a.start + 1_800_000;
    return {
      activityId,
      activityName: a.name ?? `Run ${a.id}`,
      metadataDTO: { lastUpdateDate: new Date(updated).toISOString().slice(0, 21) },
    };
  }

  async getLastUsedDevice(signal?: AbortSignal): Promise<{ uploadTimeMs: number | null }> {
    await this.hit(signal);
    const newest = Math.max(...this.activities.map((a) => a.start));
    return { uploadTimeMs: this.activities.length ? newest + 1_800_000 : null };
  }

  async getDailySummary(date: string, signal?: AbortSignal) {
    await this.hit(signal);
    return { calendarDate: date, totalSteps: this.inWindow(date) ? 1000 : null };
  }
  async getDailyHeartRate(date: string, signal?: AbortSignal) {
    await this.hit(signal);
    return { calendarDate: date, restingHeartRate: 50 };
  }
  async getSleep(date: string, _displayName: string, signal?: AbortSignal) {
    await this.hit(signal);
    return { dailySleepDTO: { calendarDate: date, id: null } };
  }
  async getStress(date: string, signal?: AbortSignal) {
    await this.hit(signal);
    return { calendarDate: date, avgStressLevel: 25 };
  }
  async getHrv(date: string, signal?: AbortSignal) {
    await this.hit(signal);
    return date.endsWith('1') ? null : { hrvSummary: { calendarDate: date } };
  }
  readonly health = {
    getBodyBatteryReports: async (startDate: string, _endDate: string, signal?: AbortSignal) => {
      await this.hit(signal);
      return [{ date: startDate, charged: 10, drained: 10, bodyBatteryValuesArray: [[0, 50]] }];
    },
    getRespiration: async (date: string, signal?: AbortSignal) => {
      await this.hit(signal);
      return { calendarDate: date, avgWakingRespirationValue: 14 };
    },
    getSpo2: async (date: string, signal?: AbortSignal) => {
      await this.hit(signal);
      return { calendarDate: date, averageSpO2: 95 };
    },
    getTrainingReadiness: async (date: string, signal?: AbortSignal) => {
      await this.hit(signal);
      return [{ calendarDate: date, score: 60 }];
    },
    // The rest of the surface: Garmin's no-data answers (the fake is a debugging backend for the six daily families).
    getStepsChart: async (_date: string, _name: string, signal?: AbortSignal) => this.hit(signal).then(() => []),
    getFloors: async (_date: string, signal?: AbortSignal) => this.hit(signal).then(() => ({ floorValuesArray: [] })),
    getHydration: async (date: string, signal?: AbortSignal) => this.hit(signal).then(() => ({ calendarDate: date, valueInML: null })),
    getIntensityMinutes: async (date: string, signal?: AbortSignal) => this.hit(signal).then(() => ({ calendarDate: date })),
    getTrainingStatus: async (_date: string, signal?: AbortSignal) => this.hit(signal).then(() => ({ mostRecentTrainingStatus: null })),
    getEnduranceScore: async (_date: string, signal?: AbortSignal) => this.hit(signal).then(() => null),
    getHillScore: async (_date: string, signal?: AbortSignal) => this.hit(signal).then(() => null),
    getFitnessAge: async (_date: string, signal?: AbortSignal) => this.hit(signal).then(() => null),
    getMaxMetrics: async (_s: string, _e: string, signal?: AbortSignal) => this.hit(signal).then(() => []),
    getRacePredictions: async (_s: string, _e: string, _n: string, signal?: AbortSignal) => this.hit(signal).then(() => []),
    getBloodPressure: async (_s: string, _e: string, signal?: AbortSignal) => this.hit(signal).then(() => []),
    getWeeklySteps: async (end: string, _weeks: number, signal?: AbortSignal) =>
      this.hit(signal).then(() => (end >= this.firstDay ? [{ calendarDate: this.firstDay, values: { wellnessDataDaysCount: 1 } }] : [])),
    getDailySteps: async (start: string, _end: string, signal?: AbortSignal) =>
      this.hit(signal).then(() => [{ calendarDate: start > this.firstDay ? start : this.firstDay, totalSteps: 1000 }]),
    getActivityDetails: async (activityId: number, _o?: unknown, signal?: AbortSignal) =>
      this.hit(signal).then(() => ({ activityId, metricDescriptors: [], activityDetailMetrics: [] })),
  };
  async getWeightRange(startDate: string, endDate: string, signal?: AbortSignal) {
    await this.hit(signal);
    return { dailyWeightSummaries: [{ summaryDate: endDate, latestWeight: { weight: 70000 } }], startDate };
  }
  async listWorkouts(q: { start: number; limit: number }, signal?: AbortSignal): Promise<GarminWorkoutSummaryLike[]> {
    await this.hit(signal);
    return Array.from({ length: this.workouts }, (_, i) => ({
      workoutId: 500 + i,
      workoutName: `Workout ${i}`,
      sportType: { sportTypeKey: 'running' },
      updatedDate: '2026-01-05T17:34:04.0',
      raw: {},
    })).slice(q.start, q.start + q.limit);
  }
  async getWorkout(workoutId: number, signal?: AbortSignal) {
    await this.hit(signal);
    return { workoutId };
  }
  async downloadWorkoutFit(workoutId: number, signal?: AbortSignal): Promise<Buffer> {
    await this.hit(signal);
    return Buffer.from(`WFIT-${workoutId}`);
  }
}
