import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SyncJob } from '../../contract/index.js';

/**
 * A small, strict stand-in for the sync service's HTTP API, for the CLI's unit tests (the
 * end-to-end tests in test/e2e use the real service). It speaks the contract of src/contract:
 * login with MFA, rotating refresh tokens with reuse detection, jobs that move over time, SSE.
 * Unknown routes answer 501 and are recorded, so a test notices an unexpected request.
 */
export interface FakeService {
  url: string;
  /** `METHOD /path` → count. */
  counts: Map<string, number>;
  unexpected: string[];
  lastMfaCode: string;
  /** Makes every issued access token expired (the next use answers 401). */
  expireAccessTokens(): void;
  /** Makes refresh impossible: the next refresh answers 401 REFRESH_TOKEN_INVALID. */
  revokeSessions(): void;
  jobs: Map<string, SyncJob>;
  close(): Promise<void>;
}

export interface FakeServiceOptions {
  accessTtlMs?: number;
  /** Items per job and milliseconds per item. */
  items?: number;
  stepMs?: number;
  failTypes?: string[];
  /** Answer 404 on the SSE route, to exercise the polling fallback. */
  noSse?: boolean;
  /** Serve POST /auth/import (a new session from Garmin tokens); otherwise 404 like an older service. */
  importRoute?: boolean;
  /** What POST /auth/import received. */
  imported?: unknown[];
}

interface Session {
  id: string;
  refresh: string;
  revoked: boolean;
}

export async function startFakeService(opts: FakeServiceOptions = {}): Promise<FakeService> {
  const counts = new Map<string, number>();
  const unexpected: string[] = [];
  const sessions = new Map<string, Session>();
  const access = new Map<string, { sid: string; exp: number }>();
  const jobs = new Map<string, SyncJob>();
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;
  const ttl = opts.accessTtlMs ?? 15 * 60_000;
  const state = { lastMfaCode: '123456', challenges: new Map<string, { user: string; attempts: number }>() };

  const iso = (ms: number) => new Date(ms).toISOString();
  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const problem = (res: ServerResponse, status: number, code: string, detail: string, extra: object = {}) =>
    send(res, status, { type: 'about:blank', title: code, status, detail, code, ...extra });
  const issue = (sid: string) => {
    const now = Date.now();
    const s = sessions.get(sid)!;
    const token = `at-${++seq}`;
    access.set(token, { sid, exp: now + ttl });
    s.refresh = `rt-${++seq}`;
    return {
      status: 'authenticated',
      access_token: token,
      refresh_token: s.refresh,
      token_type: 'Bearer',
      expires_in: Math.floor(ttl / 1000),
      expires_at: iso(now + ttl),
      refresh_expires_at: iso(now + 30 * 86_400_000),
      session_absolute_expires_at: iso(now + 365 * 86_400_000),
      scope: 'sync:read sync:write',
      session_id: sid,
      user_id: 'user-1',
      mfa_verified: true,
      account: { username: 'demo@example.com', display_name: 'Demo' },
    };
  };
  const newSession = () => {
    const sid = `sess-${++seq}`;
    sessions.set(sid, { id: sid, refresh: '', revoked: false });
    return issue(sid);
  };
  const rotated = new Set<string>();

  const newJob = (type: SyncJob['sync_type'], body: Record<string, unknown>): SyncJob => {
    const now = iso(Date.now());
    const job: SyncJob = {
      job_id: `job-${++seq}`,
      user_id: 'user-1',
      session_id: 'sess',
      sync_type: type,
      status: 'pending',
      progress: 0,
      total_items: null,
      processed_items: 0,
      failed_items: 0,
      start_time: null,
      end_time: null,
      error_message: null,
      error_code: null,
      params: { from: (body.from as string) ?? null, to: (body.to as string) ?? null, full: Boolean(body.full) },
      cancel_requested: false,
      attempts: 0,
      created_at: now,
      updated_at: now,
    };
    jobs.set(job.job_id, job);
    const total = opts.items ?? 5;
    const timer = setInterval(() => {
      const j = jobs.get(job.job_id)!;
      if (j.status === 'cancelled' || j.status === 'completed' || j.status === 'failed') {
        clearInterval(timer);
        timers.delete(timer);
        return;
      }
      const t = iso(Date.now());
      if (j.status === 'pending') Object.assign(j, { status: 'running', start_time: t, total_items: total });
      else if (opts.failTypes?.includes(j.sync_type) && j.processed_items >= 1)
        Object.assign(j, {
          status: 'failed',
          end_time: t,
          error_message: 'Garmin did not answer properly.',
          error_code: 'GARMIN_UNAVAILABLE',
        });
      else {
        j.processed_items++;
        j.progress = Math.floor((j.processed_items / total) * 100);
        if (j.processed_items >= total) Object.assign(j, { status: 'completed', end_time: t, progress: 100 });
      }
      j.updated_at = t;
    }, opts.stepMs ?? 5);
    timers.add(timer);
    return job;
  };

  const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname.replace(/^\/api\/v1/, '');
      const key = `${req.method} ${url.pathname}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const body = await readBody(req);
      const authed = (): boolean => {
        const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        const a = access.get(token);
        if (!a || a.exp <= Date.now() || sessions.get(a.sid)?.revoked) {
          problem(res, 401, 'TOKEN_INVALID', 'The access token is invalid or expired.');
          return false;
        }
        return true;
      };
      let m: RegExpExecArray | null;
      if (req.method === 'POST' && path === '/auth/login') {
        if (body.password !== 'demo-password')
          return problem(res, 401, 'GARMIN_INVALID_CREDENTIALS', 'Garmin rejected the e-mail or password.');
        if (body.username === 'nomfa@example.com') return send(res, 200, newSession());
        const id = `ch-${++seq}`;
        state.challenges.set(id, { user: String(body.username), attempts: 5 });
        return send(res, 200, {
          status: 'mfa_required',
          challenge_id: id,
          mfa_method: 'email',
          expires_at: iso(Date.now() + 600_000),
          attempts_left: 5,
        });
      }
      if (req.method === 'POST' && path === '/auth/mfa') {
        const ch = state.challenges.get(String(body.challenge_id));
        if (!ch) return problem(res, 410, 'MFA_CHALLENGE_GONE', 'The MFA challenge expired or has no attempts left.');
        if (body.code !== state.lastMfaCode) {
          ch.attempts--;
          if (ch.attempts <= 0) state.challenges.delete(String(body.challenge_id));
          return problem(res, 401, 'MFA_CODE_INVALID', 'The MFA code is not correct.', { attempts_left: ch.attempts });
        }
        state.challenges.delete(String(body.challenge_id));
        return send(res, 200, newSession());
      }
      if (req.method === 'POST' && path === '/auth/refresh') {
        const rt = String(body.refresh_token);
        if (rotated.has(rt)) {
          for (const s of sessions.values()) s.revoked = true;
          return problem(res, 401, 'REFRESH_TOKEN_REUSED', 'A rotated refresh token was reused; the session was revoked.');
        }
        const s = [...sessions.values()].find((x) => x.refresh === rt && !x.revoked);
        if (!s) return problem(res, 401, 'REFRESH_TOKEN_INVALID', 'The refresh token is invalid or expired.');
        rotated.add(rt);
        return send(res, 200, issue(s.id));
      }
      if (req.method === 'POST' && path === '/auth/import') {
        if (!opts.importRoute)
          return send(res, 404, { message: `Route POST:${url.pathname} not found`, error: 'Not Found', statusCode: 404 });
        opts.imported?.push(body);
        return send(res, 200, newSession());
      }
      if (!authed()) return;
      if (req.method === 'POST' && path === '/auth/logout') return send(res, 204);
      if (req.method === 'POST' && path === '/sync/jobs') {
        const existing = [...jobs.values()].find(
          (j) => j.sync_type === body.sync_type && (j.status === 'pending' || j.status === 'running'),
        );
        if (existing) return send(res, 202, { job: existing, deduplicated: true });
        return send(res, 202, { job: newJob(body.sync_type as SyncJob['sync_type'], body), deduplicated: false });
      }
      if (req.method === 'GET' && path === '/sync/jobs') {
        let items = [...jobs.values()].reverse();
        const type = url.searchParams.get('sync_type');
        if (type) items = items.filter((j) => j.sync_type === type);
        return send(res, 200, { items: items.slice(0, Number(url.searchParams.get('limit') ?? 20)), next_cursor: null });
      }
      if ((m = /^\/sync\/jobs\/([^/]+)(\/cancel|\/events)?$/.exec(path))) {
        const job = jobs.get(decodeURIComponent(m[1]!));
        if (!job) return problem(res, 404, 'NOT_FOUND', 'Not found.');
        if (req.method === 'GET' && !m[2]) return send(res, 200, job);
        if (req.method === 'POST' && m[2] === '/cancel') {
          if (job.status !== 'pending' && job.status !== 'running') {
            return problem(res, 409, 'INVALID_TRANSITION', `A ${job.status} job cannot become cancelled.`, { from: job.status });
          }
          Object.assign(job, { status: 'cancelled', end_time: iso(Date.now()), cancel_requested: true });
          return send(res, 200, job);
        }
        if (req.method === 'GET' && m[2] === '/events') {
          if (opts.noSse) return problem(res, 404, 'NOT_FOUND', 'Not found.');
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          let last = '';
          const tick = setInterval(
            () => {
              const j = jobs.get(job.job_id)!;
              const done = ['completed', 'failed', 'cancelled'].includes(j.status);
              const snap = JSON.stringify(j);
              if (snap !== last || done)
                res.write(`event: ${done ? 'end' : 'progress'}\ndata: ${JSON.stringify({ type: done ? 'end' : 'progress', job: j })}\n\n`);
              last = snap;
              if (done) {
                clearInterval(tick);
                timers.delete(tick);
                res.end();
              }
              // Faster than the job moves, so that no state is skipped on a busy machine.
            },
            Math.max(1, Math.floor((opts.stepMs ?? 5) / 4)),
          );
          timers.add(tick);
          res.on('close', () => {
            clearInterval(tick);
            timers.delete(tick);
          });
          return;
        }
      }
      if (req.method === 'GET' && path === '/auth/session') return send(res, 404, undefined);
      if (req.method === 'GET' && path === '/activities') {
        return send(res, 200, {
          items: [
            {
              activity_id: '101',
              name: 'Morning Run',
              sport: 'running',
              start_time: '2026-11-20T07:00:00.000Z',
              start_time_local: '2026-11-20 08:00:00',
              duration_seconds: 1800,
              distance_meters: 5000,
              calories: 300,
              average_hr: 140,
              fit: { size_bytes: 2048, sha256: 'ab' },
              synced_at: '2026-11-27T10:00:00.000Z',
            },
          ],
          next_cursor: null,
        });
      }
      unexpected.push(key);
      problem(res, 501, 'INTERNAL', `fake service: no route ${key}`);
    })().catch((e: unknown) => problem(res, 500, 'INTERNAL', String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    unexpected,
    jobs,
    get lastMfaCode() {
      return state.lastMfaCode;
    },
    expireAccessTokens: () => {
      for (const a of access.values()) a.exp = 0;
    },
    revokeSessions: () => {
      for (const s of sessions.values()) s.revoked = true;
    },
    close: async () => {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
