import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import {
  ActivityDetail,
  ActivityDetails,
  ActivityDetailsQuery,
  ActivityIdParams,
  ActivityList,
  ActivityListQuery,
  ActivitySportList,
  ClearScheduleQuery,
  CoverageQuery,
  CoverageReport,
  CreateJobRequest,
  CreateJobResponse,
  HealthDayDetail,
  HealthDayList,
  HealthDayListQuery,
  HealthDayParams,
  HealthDayQuery,
  ImportCreated,
  ImportIdParams,
  ImportList,
  ArchiveImport,
  ImportTokensRequest,
  ImportTokensResponse,
  JobEvent,
  JobFailureList,
  JobIdParams,
  JobList,
  ListJobsQuery,
  LoginRequest,
  LoginResponse,
  MfaRequest,
  Problem,
  RefreshRequest,
  ScheduleList,
  SessionResponse,
  SetScheduleRequest,
  SyncJob,
  TokenResponse,
  WorkoutDetail,
  WorkoutIdParams,
  WorkoutList,
  WorkoutListQuery,
} from '../../contract/index.js';

/** One route of the service's API as the contract declares it (what the fake service may say). */
interface RouteSpec {
  method: string;
  /** Named groups are the path parameters, checked against `params`. */
  path: RegExp;
  params?: TSchema;
  body?: TSchema;
  query?: TSchema;
  /** The success answer; `null` for an empty one (204), `'bytes'` for a file (FIT, ZIP). */
  ok: TSchema | null | 'bytes';
  /** Each SSE `data:` line of a stream. */
  event?: TSchema;
  /** The request body is raw bytes (an upload), not JSON. */
  rawBody?: boolean;
}

const JOB = '(?<job_id>[^/]+)';
const ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: /^\/auth\/login$/, body: LoginRequest, ok: LoginResponse },
  { method: 'POST', path: /^\/auth\/mfa$/, body: MfaRequest, ok: TokenResponse },
  { method: 'POST', path: /^\/auth\/refresh$/, body: RefreshRequest, ok: TokenResponse },
  { method: 'POST', path: /^\/auth\/import$/, body: ImportTokensRequest, ok: ImportTokensResponse },
  { method: 'POST', path: /^\/auth\/logout$/, ok: null },
  { method: 'GET', path: /^\/auth\/session$/, ok: SessionResponse },
  { method: 'POST', path: /^\/sync\/jobs$/, body: CreateJobRequest, ok: CreateJobResponse },
  { method: 'GET', path: /^\/sync\/jobs$/, query: ListJobsQuery, ok: JobList },
  { method: 'GET', path: new RegExp(`^/sync/jobs/${JOB}$`), params: JobIdParams, ok: SyncJob },
  { method: 'POST', path: new RegExp(`^/sync/jobs/${JOB}/cancel$`), params: JobIdParams, ok: SyncJob },
  { method: 'GET', path: new RegExp(`^/sync/jobs/${JOB}/failures$`), params: JobIdParams, ok: JobFailureList },
  { method: 'GET', path: new RegExp(`^/sync/jobs/${JOB}/events$`), params: JobIdParams, ok: null, event: JobEvent },
  { method: 'GET', path: /^\/sync\/schedules$/, ok: ScheduleList },
  { method: 'PUT', path: /^\/sync\/schedules$/, body: SetScheduleRequest, ok: ScheduleList },
  { method: 'DELETE', path: /^\/sync\/schedules$/, query: ClearScheduleQuery, ok: ScheduleList },
  { method: 'GET', path: /^\/activities$/, query: ActivityListQuery, ok: ActivityList },
  { method: 'GET', path: /^\/activities\/sports$/, ok: ActivitySportList },
  { method: 'GET', path: /^\/activities\/(?<id>[^/]+)$/, params: ActivityIdParams, ok: ActivityDetail },
  {
    method: 'GET',
    path: /^\/activities\/(?<id>[^/]+)\/details$/,
    params: ActivityIdParams,
    query: ActivityDetailsQuery,
    ok: ActivityDetails,
  },
  { method: 'GET', path: /^\/activities\/(?<id>[^/]+)\/fit$/, params: ActivityIdParams, ok: 'bytes' },
  { method: 'GET', path: /^\/workouts$/, query: WorkoutListQuery, ok: WorkoutList },
  { method: 'GET', path: /^\/workouts\/(?<id>[^/]+)$/, params: WorkoutIdParams, ok: WorkoutDetail },
  { method: 'GET', path: /^\/workouts\/(?<id>[^/]+)\/fit$/, params: WorkoutIdParams, ok: 'bytes' },
  { method: 'GET', path: /^\/health\/daily$/, query: HealthDayListQuery, ok: HealthDayList },
  { method: 'GET', path: /^\/health\/daily\/(?<date>[^/]+)$/, params: HealthDayParams, query: HealthDayQuery, ok: HealthDayDetail },
  { method: 'GET', path: /^\/coverage$/, query: CoverageQuery, ok: CoverageReport },
  { method: 'POST', path: /^\/imports$/, rawBody: true, ok: ImportCreated },
  { method: 'GET', path: /^\/imports$/, ok: ImportList },
  { method: 'GET', path: /^\/imports\/(?<import_id>[^/]+)$/, params: ImportIdParams, ok: ArchiveImport },
];

function problems(schema: TSchema, value: unknown, where: string): string[] {
  if (Value.Check(schema, value)) return [];
  return [...Value.Errors(schema, value)].slice(0, 3).map((e) => `${where}${e.instancePath || '/'} ${e.message}`);
}

/**
 * Checks one exchange of the fake service against `src/contract` (issue 11.10): the request the
 * CLI sent (body and query, as the real service's route schemas would) and the answer the fake
 * gives (the success schema, or problem+json for an error). Returns what does not match; the
 * fake records it and the CLI tests fail on any.
 */
export function checkExchange(x: {
  method: string;
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  status: number;
  answer: unknown;
}): string[] {
  const name = `${x.method} ${x.path}`;
  const route = routeOf(x.method, x.path);
  if (!route) return [`${name}: not a route of the contract`];
  const out: string[] = [];
  const params = route.path.exec(x.path)?.groups;
  if (route.params && params) {
    const decoded = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, decodeURIComponent(v)]));
    out.push(...problems(route.params, decoded, `${name} path`));
  }
  if (route.body) out.push(...problems(route.body, x.body ?? {}, `${name} request body`));
  else if (x.body !== undefined && !route.rawBody) out.push(`${name}: takes no request body, got ${JSON.stringify(x.body)}`);
  if (x.query && (route.query || [...x.query.keys()].length > 0)) {
    if (!route.query) out.push(`${name}: takes no query, got ?${x.query.toString()}`);
    else out.push(...problems(route.query, Value.Convert(route.query, Object.fromEntries(x.query)), `${name} query`));
  }
  if (x.status >= 400) out.push(...problems(Problem, x.answer, `${name} ${x.status} answer`));
  else if (route.ok === 'bytes') {
    if (!(x.answer instanceof Uint8Array)) out.push(`${name}: answers with a file, not ${JSON.stringify(x.answer)}`);
  } else if (route.ok === null) {
    if (x.answer !== undefined && !route.event) out.push(`${name}: answers with an empty body, not ${JSON.stringify(x.answer)}`);
  } else out.push(...problems(route.ok, x.answer, `${name} ${x.status} answer`));
  return out;
}

/** The contract's route for a request, if it has one. */
export function routeOf(method: string, path: string): RouteSpec | undefined {
  return ROUTES.find((r) => r.method === method && r.path.test(path));
}

/** Checks one Server-Sent Event's data against the route's event schema. */
export function checkEvent(path: string, data: unknown): string[] {
  const route = ROUTES.find((r) => r.method === 'GET' && r.path.test(path) && r.event);
  return route?.event ? problems(route.event, data, `GET ${path} event`) : [`GET ${path}: no event stream in the contract`];
}
