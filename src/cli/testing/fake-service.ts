import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Schedule, SyncJob } from '../../contract/index.js';
import { systemClock, type Clock } from '../../core/index.js';
import { checkEvent, checkExchange } from './contract-check.js';
import { FakeData, type FakeDataOptions } from './fake-data.js';
import { FakeJobs, type FakeJobsOptions, type Reply } from './fake-jobs.js';

/**
 * A small, strict stand-in for the sync service's HTTP API, for the CLI's unit tests (the
 * end-to-end tests in test/e2e use the real service). It speaks the contract of src/contract:
 * login with MFA, rotating refresh tokens with reuse detection, jobs that move over time, SSE.
 * Every request (path parameters, query, body) and answer is checked against the contract's
 * schemas (contract-check.ts), and unknown routes answer 501; both are recorded in `unexpected`,
 * and `close()` rejects with them, so the test fails with the schema error.
 */
export interface FakeService {
  url: string;
  /** `METHOD /path` → count. */
  counts: Map<string, number>;
  /** Requests no route answers, and exchanges that break the contract (each one sentence). */
  unexpected: string[];
  lastMfaCode: string;
  /** Makes every issued access token expired (the next use answers 401). */
  expireAccessTokens(): void;
  /** Makes refresh impossible: the next refresh answers 401 REFRESH_TOKEN_INVALID. */
  revokeSessions(): void;
  jobs: Map<string, SyncJob>;
  /** The schedules PUT /sync/schedules has set, by sync type. */
  schedules: Map<string, Schedule>;
  /** Stops the service; rejects with every exchange that broke the contract (the test fails). */
  close(): Promise<void>;
}

export interface FakeServiceOptions extends FakeJobsOptions, FakeDataOptions {
  /** The service's time (tokens, jobs, schedules); give the CLI's FakeClock so both agree. */
  clock?: Clock;
  accessTtlMs?: number;
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
  const clock = opts.clock ?? systemClock;
  const fakeJobs = new FakeJobs(opts);
  const fakeData = new FakeData(opts, fakeJobs);
  let seq = 0;
  const ttl = opts.accessTtlMs ?? 15 * 60_000;
  const state = { lastMfaCode: '123456', challenges: new Map<string, { user: string; attempts: number }>() };

  const iso = (ms: number) => new Date(ms).toISOString();
  /** Answers, after checking the exchange against the contract (a mismatch is recorded). */
  const replyFor = (req: IncomingMessage, res: ServerResponse, path: string, url: URL, body: unknown): Reply => {
    const reply: Reply = {
      send: (status, answer) => {
        if (status !== 501) {
          for (const p of checkExchange({ method: req.method ?? '', path, query: url.searchParams, body, status, answer }))
            unexpected.push(p);
        }
        res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
        res.end(answer === undefined ? undefined : JSON.stringify(answer));
      },
      problem: (status, code, detail, extra = {}) =>
        reply.send(status, { type: 'about:blank', title: code, status, detail, code, ...extra }),
      file: (bytes) => {
        for (const p of checkExchange({ method: req.method ?? '', path, query: url.searchParams, body, status: 200, answer: bytes }))
          unexpected.push(p);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
      },
      event: (stream, name, data) => {
        for (const p of checkEvent(path, data)) unexpected.push(p);
        stream.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
      },
    };
    return reply;
  };
  const issue = (sid: string) => {
    const now = clock.now();
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
  /** GET /auth/session for the caller's token (authed() has accepted it). */
  const sessionView = (req: IncomingMessage) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const a = access.get(token)!;
    const now = clock.now();
    const account = { username: 'demo@example.com', display_name: 'Demo' };
    return {
      session: {
        session_id: a.sid,
        user_id: 'user-1',
        expires_at: iso(now + 30 * 86_400_000),
        absolute_expires_at: iso(now + 365 * 86_400_000),
        mfa_enabled: true,
        created_at: iso(now - 60_000),
        last_used_at: iso(now),
        revoked_at: null,
        status: 'active',
        account,
        garmin: { status: 'connected', access_expires_at: iso(now + 3_600_000), circuit_open_until: null, last_error: null },
      },
      token: {
        token_id: token,
        user_id: 'user-1',
        session_id: a.sid,
        token_type: 'Bearer',
        expires_in: Math.max(0, Math.floor((a.exp - now) / 1000)),
        expires_at: iso(a.exp),
        scope: 'sync:read sync:write',
        created_at: iso(now - 60_000),
        last_used_at: iso(now),
        mfa_verified: true,
      },
    };
  };
  const newSession = () => {
    const sid = `sess-${++seq}`;
    sessions.set(sid, { id: sid, refresh: '', revoked: false });
    return issue(sid);
  };
  const rotated = new Set<string>();

  /** The request body: JSON (undefined when there is none), or the bytes of an upload. */
  const readBody = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    if (!(req.headers['content-type'] ?? 'application/json').includes('json')) return new Uint8Array(bytes);
    return bytes.length > 0 ? (JSON.parse(bytes.toString('utf8')) as unknown) : undefined;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname.replace(/^\/api\/v1/, '');
      const key = `${req.method} ${url.pathname}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const raw = await readBody(req);
      const reply = replyFor(req, res, path, url, raw);
      const body = (raw ?? {}) as Record<string, unknown>;
      const send = (_res: ServerResponse, status: number, answer?: unknown) => reply.send(status, answer);
      const problem = (_res: ServerResponse, status: number, code: string, detail: string, extra: object = {}) =>
        reply.problem(status, code, detail, extra);
      const authed = (): boolean => {
        const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        const a = access.get(token);
        if (!a || a.exp <= clock.now() || sessions.get(a.sid)?.revoked) {
          problem(res, 401, 'TOKEN_INVALID', 'The access token is invalid or expired.');
          return false;
        }
        return true;
      };
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
          expires_at: iso(clock.now() + 600_000),
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
          // An older service: Fastify's own 404, not our problem+json (so not checked against the contract).
          return void res
            .writeHead(404, { 'content-type': 'application/json' })
            .end(JSON.stringify({ message: `Route POST:${url.pathname} not found`, error: 'Not Found', statusCode: 404 }));
        opts.imported?.push(body);
        return send(res, 200, newSession());
      }
      if (!authed()) return;
      if (req.method === 'POST' && path === '/auth/logout') return send(res, 204);
      if (req.method === 'GET' && path === '/auth/session') return reply.send(200, sessionView(req));
      if (fakeJobs.handle(req.method ?? '', path, url, body, reply, res)) return;
      if (fakeData.handle(req.method ?? '', path, url, raw, reply)) return;
      unexpected.push(key);
      reply.problem(501, 'INTERNAL', `fake service: no route ${key}`);
    })().catch((e: unknown) => {
      unexpected.push(String(e));
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    unexpected,
    jobs: fakeJobs.jobs,
    get lastMfaCode() {
      return state.lastMfaCode;
    },
    expireAccessTokens: () => {
      for (const a of access.values()) a.exp = 0;
    },
    revokeSessions: () => {
      for (const s of sessions.values()) s.revoked = true;
    },
    schedules: fakeData.schedules,
    close: async () => {
      fakeJobs.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Strict by default (style.md rule 8): an answer outside the contract fails the test that caused it.
      if (unexpected.length > 0) throw new Error(`fake service: outside the contract or not served:\n  ${unexpected.join('\n  ')}`);
    },
  };
}
