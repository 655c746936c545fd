import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginNoMfa, startHarness, type Harness } from './harness.js';

/** A short fuzz of every route (issue 7 runs the long one): nothing answers 5xx, errors are problem+json. */
describe('hostile input', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness({ args: ['--api-only'] });
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
