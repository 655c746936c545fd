import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginNoMfa, serviceDialects, startHarness, type Harness } from './harness.js';

/**
 * A short fuzz of every route (issue 7 runs the long one): nothing answers 5xx, errors are
 * problem+json — on SQLite and PostgreSQL (issue 12.3: PostgreSQL answered 500 to forged cursors
 * and NUL bytes that SQLite refused with a 4xx).
 */
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe.each(serviceDialects())('hostile input (%s)', (dialect) => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness({ args: ['--api-only'], dialect });
    token = (await loginNoMfa(h)).access_token;
  });
  afterAll(async () => {
    await h.close();
  });

  const routes: [string, string][] = [
    ['POST', '/auth/login'],
    ['POST', '/auth/mfa'],
    ['POST', '/auth/refresh'],
    ['POST', '/auth/import'],
    ['POST', '/auth/logout'],
    ['GET', '/auth/session'],
    ['POST', '/sync/jobs'],
    ['GET', '/sync/jobs'],
    ['GET', '/sync/jobs/x'],
    ['POST', '/sync/jobs/x/cancel'],
    ['GET', '/sync/jobs/x/events'],
    ['GET', '/activities'],
    ['GET', '/activities/1'],
    ['GET', '/activities/1/fit'],
    ['GET', '/health/daily'],
    ['GET', '/workouts'],
    ['GET', '/workouts/1'],
    ['GET', '/workouts/1/fit'],
  ];

  it('never answers 5xx to random bodies, queries, path segments and tokens', async () => {
    const segment = fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.object(), fc.constant({ __proto__: { admin: true } })),
        fc.dictionary(fc.constantFrom('status', 'sync_type', 'limit', 'cursor', 'from', 'to', 'sport', 'x'), fc.string({ maxLength: 30 })),
        segment,
        fc.boolean(),
        async ([method, path], body, query, seg, authed) => {
          const p = path.replace('/x', `/${seg || 'x'}`).replace('/1', `/${seg || '1'}`);
          const qs = new URLSearchParams(query).toString();
          const r = await h.api(method, `${p}${qs ? `?${qs}` : ''}`, {
            // Logout with the token would end the session the other cases use.
            ...(authed && path !== '/auth/logout' ? { token } : {}),
            ...(method === 'POST' ? { raw: JSON.stringify(body) ?? 'null' } : {}),
          });
          expect(r.status, `${method} ${p} ${r.text}`).toBeLessThan(500);
          if (r.status >= 400) expect(r.headers.get('content-type')).toContain('application/problem+json');
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  }, 60_000);

  it('refuses forged cursors and NUL bytes in ids, query strings and bodies with 400 problem+json', async () => {
    const cursors = [
      [1.5, 'x'],
      [1e300, 'x'],
      [-1e300, 'x'],
      [1, 2],
      [1, 'x\u0000'],
      [1],
      [1, 'x', 3],
      {},
      'x',
      null,
      [Number.MAX_SAFE_INTEGER + 2, 'x'],
    ];
    const requests: [string, string, { token?: string; body?: unknown }][] = [
      ...['/sync/jobs', '/activities'].flatMap((p) =>
        [...cursors, ['x', 'x']].map((c): [string, string, { token: string }] => ['GET', `${p}?cursor=${b64(c)}`, { token }]),
      ),
      // Workouts page by (name, id): two strings.
      ...[...cursors, ['x', 'x\u0000'], [1, 'x']].map((c): [string, string, { token: string }] => [
        'GET',
        `/workouts?cursor=${b64(c)}`,
        { token },
      ]),
      ['GET', `/sync/jobs?cursor=${encodeURIComponent('%00')}`, { token }],
      ['GET', '/sync/jobs?cursor=%00', { token }],
      ['GET', '/activities?sport=run%00ning', { token }],
      ['GET', '/sync/jobs/a%00b', { token }],
      ['POST', '/sync/jobs/a%00b/cancel', { token }],
      ['GET', '/sync/jobs/a%00b/events', { token }],
      ['GET', '/activities/1%00', { token }],
      ['GET', '/activities/1%00/fit', { token }],
      ['GET', '/workouts/1%00', { token }],
      ['POST', '/auth/login', { body: { username: 'nomfa\u0000@example.com', password: 'demo-password' } }],
      ['POST', '/auth/login', { body: { username: 'nomfa@example.com', password: 'demo\u0000password' } }],
      ['POST', '/auth/mfa', { body: { challenge_id: 'c\u0000', code: '123456' } }],
      ['POST', '/auth/refresh', { body: { refresh_token: 'r\u0000' } }],
      ['POST', '/auth/import', { body: { username: 'nomfa\u0000@example.com', tokens: { di_token: 'x\u0000' } } }],
      ['POST', '/auth/import', { token, body: { tokens: 'x\u0000y' } }],
      ['POST', '/sync/jobs', { token, body: { sync_type: 'health\u0000' } }],
    ];
    for (const [method, path, opts] of requests) {
      const r = await h.api(method, path, opts);
      expect(r.status, `${method} ${path} ${JSON.stringify(opts.body)} → ${r.text}`).toBe(400);
      expect(r.headers.get('content-type'), `${method} ${path}`).toContain('application/problem+json');
      expect(r.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await h.api('GET', '/auth/session', { token })).status).toBe(200);
  });

  it('refuses deeply nested JSON, prototype keys and huge bodies without crashing', async () => {
    const t2 = (await loginNoMfa(h)).access_token;
    expect((await h.api('GET', '/auth/session', { token })).status).toBe(200); // the fuzz left the session alive
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const r1 = await h.api('POST', '/auth/login', { raw: deep });
    expect(r1.status).toBe(400);
    const r2 = await h.api('POST', '/sync/jobs', { token: t2, raw: '{"sync_type":"health","__proto__":{"x":1}}' });
    expect(r2.status).toBe(400);
    const r3 = await h.api('POST', '/sync/jobs', { token: t2, raw: `{"sync_type":"${'a'.repeat(100_000)}"}` });
    expect(r3.status).toBe(413);
    expect((await h.api('GET', '/healthz')).status).toBe(200);
  });
});
