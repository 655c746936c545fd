import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import {
  ActivityList,
  ActivityListQuery,
  ActivitySportList,
  CreateJobRequest,
  CreateJobResponse,
  ImportTokensRequest,
  ImportTokensResponse,
  JobEvent,
  JobFailureList,
  JobList,
  ListJobsQuery,
  LoginRequest,
  LoginResponse,
  MfaRequest,
  Problem,
  RefreshRequest,
  SessionResponse,
  SyncJob,
  TokenResponse,
} from '../../contract/index.js';

/** One route of the service's API as the contract declares it (what the fake service may say). */
interface RouteSpec {
  method: string;
  path: RegExp;
  body?: TSchema;
  query?: TSchema;
  /** The success answer; `null` for an empty one (204). */
  ok: TSchema | null;
  /** Each SSE `data:` line of a stream. */
  event?: TSchema;
}

const ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: /^\/auth\/login$/, body: LoginRequest, ok: LoginResponse },
  { method: 'POST', path: /^\/auth\/mfa$/, body: MfaRequest, ok: TokenResponse },
  { method: 'POST', path: /^\/auth\/refresh$/, body: RefreshRequest, ok: TokenResponse },
  { method: 'POST', path: /^\/auth\/import$/, body: ImportTokensRequest, ok: ImportTokensResponse },
  { method: 'POST', path: /^\/auth\/logout$/, ok: null },
  { method: 'GET', path: /^\/auth\/session$/, ok: SessionResponse },
  { method: 'POST', path: /^\/sync\/jobs$/, body: CreateJobRequest, ok: CreateJobResponse },
  { method: 'GET', path: /^\/sync\/jobs$/, query: ListJobsQuery, ok: JobList },
  { method: 'GET', path: /^\/sync\/jobs\/[^/]+$/, ok: SyncJob },
  { method: 'POST', path: /^\/sync\/jobs\/[^/]+\/cancel$/, ok: SyncJob },
  { method: 'GET', path: /^\/sync\/jobs\/[^/]+\/failures$/, ok: JobFailureList },
  { method: 'GET', path: /^\/sync\/jobs\/[^/]+\/events$/, ok: null, event: JobEvent },
  { method: 'GET', path: /^\/activities$/, query: ActivityListQuery, ok: ActivityList },
  { method: 'GET', path: /^\/activities\/sports$/, ok: ActivitySportList },
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
  const route = ROUTES.find((r) => r.method === x.method && r.path.test(x.path));
  if (!route) return [`${name}: not a route of the contract`];
  const out: string[] = [];
  if (route.body) out.push(...problems(route.body, x.body ?? {}, `${name} request body`));
  if (route.query && x.query) {
    const query = Value.Convert(route.query, Object.fromEntries(x.query));
    out.push(...problems(route.query, query, `${name} query`));
  }
  if (x.status >= 400) out.push(...problems(Problem, x.answer, `${name} ${x.status} answer`));
  else if (route.ok === null) {
    if (x.answer !== undefined && !route.event) out.push(`${name}: answers with an empty body, not ${JSON.stringify(x.answer)}`);
  } else out.push(...problems(route.ok, x.answer, `${name} ${x.status} answer`));
  return out;
}

/** Checks one Server-Sent Event's data against the route's event schema. */
export function checkEvent(path: string, data: unknown): string[] {
  const route = ROUTES.find((r) => r.method === 'GET' && r.path.test(path) && r.event);
  return route?.event ? problems(route.event, data, `GET ${path} event`) : [`GET ${path}: no event stream in the contract`];
}
