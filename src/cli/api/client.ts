import { isAppError } from '../../core/index.js';
import type {
  ActivityDetail,
  ActivityDetails,
  CoverageQuery,
  CoverageReport,
  ActivityList,
  ActivityListQuery,
  ActivitySportList,
  CreateJobRequest,
  CreateJobResponse,
  HealthDayDetail,
  HealthDayList,
  HealthDayListQuery,
  ArchiveImport,
  ImportList,
  JobFailureList,
  JobList,
  ListJobsQuery,
  LoginResponse,
  ScheduleList,
  SessionResponse,
  SetScheduleRequest,
  SyncJob,
  TokenResponse,
  WorkoutDetail,
  WorkoutList,
  WorkoutListQuery,
} from '../../contract/index.js';
import type { Credentials } from '../credentials/credential-store.js';
import { send, sendJson, type HttpOptions, type HttpResponse, type RequestOptions } from './http.js';
import { sessionExpired, type Session } from './session.js';

/**
 * The typed client of the service's HTTP API (design.md §4), shaped by `src/contract`. Calls
 * that need a login go through `authed`, which refreshes once after a 401.
 */
export class ApiClient {
  constructor(
    readonly http: HttpOptions,
    readonly session: Session,
  ) {}

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  // --- unauthenticated ---------------------------------------------------------------------

  login(username: string, password: string, signal?: AbortSignal): Promise<LoginResponse> {
    return sendJson<LoginResponse>(this.http, 'POST', '/auth/login', { body: { username, password }, signal });
  }

  mfa(challengeId: string, code: string, signal?: AbortSignal): Promise<TokenResponse> {
    return sendJson<TokenResponse>(this.http, 'POST', '/auth/mfa', { body: { challenge_id: challengeId, code }, signal });
  }

  // --- authenticated -----------------------------------------------------------------------

  /** Sends with the current access token; after a 401, refreshes once and retries once. */
  async authed(method: string, path: string, opts: Omit<RequestOptions, 'token'> = {}): Promise<HttpResponse> {
    const token = await this.session.accessToken();
    try {
      return await send(this.http, method, path, { ...opts, token });
    } catch (e) {
      if (!isAppError(e) || e.details.status !== 401) throw e;
    }
    const renewed = await this.session.refresh(token);
    try {
      return await send(this.http, method, path, { ...opts, token: renewed.access_token });
    } catch (e) {
      if (isAppError(e) && e.details.status === 401) throw sessionExpired(e);
      throw e;
    }
  }

  async authedJson<T>(method: string, path: string, opts: Omit<RequestOptions, 'token'> = {}): Promise<T> {
    const res = await this.authed(method, path, opts);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  logout(): Promise<unknown> {
    return this.authedJson('POST', '/auth/logout');
  }

  /**
   * Logs out with the given credentials, without the credential store (`auth logout` of a file
   * the store refuses): an expired access token is renewed once, and the new tokens are dropped.
   */
  async logoutWith(creds: Pick<Credentials, 'access_token' | 'refresh_token'>): Promise<void> {
    try {
      await send(this.http, 'POST', '/auth/logout', { token: creds.access_token });
      return;
    } catch (e) {
      if (!isAppError(e) || e.details.status !== 401) throw e;
    }
    const renewed = await sendJson<TokenResponse>(this.http, 'POST', '/auth/refresh', {
      body: { refresh_token: creds.refresh_token },
    }).catch((e: unknown) => {
      throw isAppError(e) && e.details.status === 401 ? sessionExpired(e) : e;
    });
    await send(this.http, 'POST', '/auth/logout', { token: renewed.access_token });
  }

  sessionInfo(): Promise<SessionResponse> {
    return this.authedJson<SessionResponse>('GET', '/auth/session');
  }

  /** Sends a Garmin token file's content to the service (the login escape hatch). */
  importGarminTokens(body: unknown): Promise<unknown> {
    return this.authedJson('POST', '/auth/import', { body });
  }

  createJob(req: CreateJobRequest): Promise<CreateJobResponse> {
    return this.authedJson<CreateJobResponse>('POST', '/sync/jobs', { body: req });
  }

  listJobs(query: ListJobsQuery = {}): Promise<JobList> {
    return this.authedJson<JobList>('GET', '/sync/jobs', { query: { ...query } });
  }

  getJob(jobId: string, signal?: AbortSignal): Promise<SyncJob> {
    return this.authedJson<SyncJob>('GET', `/sync/jobs/${encodeURIComponent(jobId)}`, { signal });
  }

  schedules(): Promise<ScheduleList> {
    return this.authedJson<ScheduleList>('GET', '/sync/schedules');
  }

  setSchedule(req: SetScheduleRequest): Promise<ScheduleList> {
    return this.authedJson<ScheduleList>('PUT', '/sync/schedules', { body: req });
  }

  clearSchedules(syncType: SetScheduleRequest['sync_type']): Promise<ScheduleList> {
    return this.authedJson<ScheduleList>('DELETE', '/sync/schedules', { query: { sync_type: syncType } });
  }

  /** Items a job skipped after a permanent upstream error. */
  jobFailures(jobId: string): Promise<JobFailureList> {
    return this.authedJson<JobFailureList>('GET', `/sync/jobs/${encodeURIComponent(jobId)}/failures`);
  }

  cancelJob(jobId: string): Promise<SyncJob> {
    return this.authedJson<SyncJob>('POST', `/sync/jobs/${encodeURIComponent(jobId)}/cancel`);
  }

  /** The job's Server-Sent Events stream (the caller reads and closes it). */
  jobEvents(jobId: string, signal: AbortSignal): Promise<HttpResponse> {
    return this.authed('GET', `/sync/jobs/${encodeURIComponent(jobId)}/events`, {
      signal,
      accept: 'text/event-stream',
      noTimeout: true,
    });
  }

  listActivities(query: ActivityListQuery, signal?: AbortSignal): Promise<ActivityList> {
    return this.authedJson<ActivityList>('GET', '/activities', { query, signal });
  }

  /** The sports of the synced activities (for "nothing matched --sport X" messages). */
  activitySports(): Promise<ActivitySportList> {
    return this.authedJson<ActivitySportList>('GET', '/activities/sports');
  }

  getActivity(id: string, signal?: AbortSignal): Promise<ActivityDetail> {
    return this.authedJson<ActivityDetail>('GET', `/activities/${encodeURIComponent(id)}`, { signal });
  }

  /** Garmin's details (time series, polyline) of a synced activity, fetched by the service on demand. */
  getActivityDetails(id: string, signal?: AbortSignal): Promise<ActivityDetails> {
    return this.authedJson<ActivityDetails>('GET', `/activities/${encodeURIComponent(id)}/details`, { signal });
  }

  /** Health coverage per family and day (issue 15). */
  getCoverage(query: CoverageQuery, signal?: AbortSignal): Promise<CoverageReport> {
    return this.authedJson<CoverageReport>('GET', '/coverage', { query: { ...query }, signal });
  }

  /** The stored original FIT file as a stream. */
  activityFit(id: string, signal?: AbortSignal): Promise<HttpResponse> {
    return this.authed('GET', `/activities/${encodeURIComponent(id)}/fit`, {
      accept: 'application/octet-stream, */*',
      signal,
      noTimeout: true,
    });
  }

  /** Health days (newest first) with their headline numbers. */
  listHealthDays(query: HealthDayListQuery, signal?: AbortSignal): Promise<HealthDayList> {
    return this.authedJson<HealthDayList>('GET', '/health/daily', { query: { ...query }, signal });
  }

  /** One health day with every stored family (only `metric` when given). */
  getHealthDay(date: string, metric?: string, signal?: AbortSignal): Promise<HealthDayDetail> {
    return this.authedJson<HealthDayDetail>('GET', `/health/daily/${encodeURIComponent(date)}`, { query: { metric }, signal });
  }

  listWorkouts(query: WorkoutListQuery, signal?: AbortSignal): Promise<WorkoutList> {
    return this.authedJson<WorkoutList>('GET', '/workouts', { query, signal });
  }

  getWorkout(id: string, signal?: AbortSignal): Promise<WorkoutDetail> {
    return this.authedJson<WorkoutDetail>('GET', `/workouts/${encodeURIComponent(id)}`, { signal });
  }

  /** A workout's stored FIT file as a stream. */
  workoutFit(id: string, signal?: AbortSignal): Promise<HttpResponse> {
    return this.authed('GET', `/workouts/${encodeURIComponent(id)}/fit`, {
      accept: 'application/octet-stream, */*',
      signal,
      noTimeout: true,
    });
  }

  // --- archive imports (issue 16) ------------------------------------------------------------

  /** Streams an archive file to the service; `open` is called again when the upload must be resent after a refresh. */
  uploadArchive(
    open: () => ReadableStream<Uint8Array>,
    length: number,
    signal?: AbortSignal,
  ): Promise<{ import: ArchiveImport; job: SyncJob }> {
    return this.authedJson('POST', '/imports', { raw: { stream: open, contentType: 'application/zip', length }, noTimeout: true, signal });
  }

  imports(): Promise<ImportList> {
    return this.authedJson<ImportList>('GET', '/imports');
  }

  getImport(importId: string): Promise<ArchiveImport> {
    return this.authedJson<ArchiveImport>('GET', `/imports/${encodeURIComponent(importId)}`);
  }
}
