import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CreateJobRequest, CreateJobResponse, JobFailureList, JobIdParams, JobList, ListJobsQuery, SyncJob } from '../../contract/index.js';
import type { Clock } from '../../core/index.js';
import { BEARER, principalOf, requireAuth } from '../auth-guard.js';
import type { AuthApi, SyncApi } from '../ports.js';
import { streamJobEvents } from '../sse.js';
import { jobView } from '../views.js';
import { ERRORS } from './schemas.js';

export interface SyncRoutesOptions {
  auth: AuthApi;
  sync: SyncApi;
  clock: Clock;
  sseHeartbeatMs?: number;
  /** At most one progress event per this many ms on a stream (default 250; 0 = every change). */
  sseMinIntervalMs?: number;
  /** Registry of open SSE streams (closed by the app on shutdown). */
  streams: Set<AbortController>;
}

/** Sync jobs: create (deduplicated), list, get, cancel, events (design.md §4). */
export async function syncRoutes(app: FastifyInstance, opts: SyncRoutesOptions): Promise<void> {
  const { sync } = opts;
  requireAuth(app, opts.auth);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/sync/jobs',
    {
      schema: {
        tags: ['sync'],
        operationId: 'createSyncJob',
        summary: 'Start a sync job',
        description:
          'Answers 202 with the new job, or with the identical pending/running job (`deduplicated: true`). A user who already has `--max-jobs-per-user` jobs pending or running gets 429 `TOO_MANY_ACTIVE_JOBS` (with `limit`).',
        security: BEARER,
        body: CreateJobRequest,
        response: { 202: CreateJobResponse, ...ERRORS },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const { job, deduplicated } = await sync.create(p.userId, p.sessionId, req.body);
      return reply.code(202).send({ job: jobView(job), deduplicated });
    },
  );

  r.get(
    '/sync/jobs',
    {
      schema: {
        tags: ['sync'],
        operationId: 'listSyncJobs',
        summary: 'List my sync jobs, newest first',
        security: BEARER,
        querystring: ListJobsQuery,
        response: { 200: JobList, ...ERRORS },
      },
    },
    async (req) => {
      const page = await sync.list(principalOf(req).userId, req.query);
      return { items: page.items.map(jobView), next_cursor: page.next_cursor };
    },
  );

  r.get(
    '/sync/jobs/:job_id',
    {
      schema: {
        tags: ['sync'],
        operationId: 'getSyncJob',
        summary: 'One sync job',
        security: BEARER,
        params: JobIdParams,
        response: { 200: SyncJob, ...ERRORS },
      },
    },
    async (req) => jobView(await sync.get(principalOf(req).userId, req.params.job_id)),
  );

  r.post(
    '/sync/jobs/:job_id/cancel',
    {
      schema: {
        tags: ['sync'],
        operationId: 'cancelSyncJob',
        summary: 'Cancel a sync job',
        description: 'pending → cancelled at once; running → cancelled at the next item boundary (cancel_requested). 409 when terminal.',
        security: BEARER,
        params: JobIdParams,
        response: { 200: SyncJob, ...ERRORS },
      },
    },
    async (req) => jobView(await sync.cancel(principalOf(req).userId, req.params.job_id)),
  );

  r.get(
    '/sync/jobs/:job_id/events',
    {
      schema: {
        tags: ['sync'],
        operationId: 'streamSyncJobEvents',
        summary: 'Server-Sent Events of a job',
        description:
          '`text/event-stream`. Each event is `event: progress` or `event: end` with `data:` a JSON JobEvent `{type, job}`. The current state is sent first; the stream closes after `end`. Progress events are coalesced: at most one per 250 ms (`--sse-min-interval-ms`), always carrying the latest state, so a client may not see every intermediate count; `end` is sent at once with the final state.',
        security: BEARER,
        params: JobIdParams,
        produces: ['text/event-stream'],
        response: { 200: Type.String({ description: 'text/event-stream of JobEvent' }), ...ERRORS },
      },
    },
    async (req, reply) => {
      await streamJobEvents({
        request: req,
        reply,
        sync,
        userId: principalOf(req).userId,
        jobId: req.params.job_id,
        clock: opts.clock,
        heartbeatMs: opts.sseHeartbeatMs ?? 15_000,
        minIntervalMs: opts.sseMinIntervalMs ?? 250,
        streams: opts.streams,
      });
    },
  );

  r.get(
    '/sync/jobs/:job_id/failures',
    {
      schema: {
        tags: ['sync'],
        operationId: 'listSyncJobFailures',
        summary: 'Items the job skipped after a permanent upstream error',
        security: BEARER,
        params: JobIdParams,
        response: { 200: JobFailureList, ...ERRORS },
      },
    },
    async (req) => {
      const items = await sync.failures(principalOf(req).userId, req.params.job_id);
      return { items: items.map((f) => ({ ...f, created_at: new Date(f.created_at).toISOString() })) };
    },
  );
}
