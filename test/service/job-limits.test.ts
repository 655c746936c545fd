/** Issue 12.6: a user's pending + running jobs are capped (--max-jobs-per-user) with a clear 429. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginNoMfa, loginWithMfa, serviceDialects, startHarness, type Harness } from './harness.js';

describe.each(serviceDialects())('per-user limit of active jobs (%s)', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ args: ['--api-only', '--max-jobs-per-user', '3'], dialect });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers 429 TOO_MANY_ACTIVE_JOBS problem+json beyond the limit, for that user only', async () => {
    const alice = await loginNoMfa(h);
    const bob = await loginWithMfa(h);
    const create = (token: string, from: string) => h.api('POST', '/sync/jobs', { token, body: { sync_type: 'health', from, to: from } });
    for (const day of ['2026-01-01', '2026-01-02', '2026-01-03']) expect((await create(alice.access_token, day)).status).toBe(202);
    const beyond = await create(alice.access_token, '2026-01-04');
    expect(beyond.status).toBe(429);
    expect(beyond.headers.get('content-type')).toContain('application/problem+json');
    expect(beyond.body).toMatchObject({ code: 'TOO_MANY_ACTIVE_JOBS', status: 429, limit: 3 });
    expect(beyond.body.detail).toBe('You already have 3 sync jobs pending or running; wait for one to end or cancel one.');
    // The identical request still answers with the existing job; another user is not affected.
    expect((await create(alice.access_token, '2026-01-01')).body.deduplicated).toBe(true);
    expect((await create(bob.access_token, '2026-01-04')).status).toBe(202);
    // Cancelling one frees a place.
    const pending = await h.api('GET', '/sync/jobs?status=pending', { token: alice.access_token });
    expect((await h.api('POST', `/sync/jobs/${pending.body.items[0].job_id}/cancel`, { token: alice.access_token })).status).toBe(200);
    expect((await create(alice.access_token, '2026-01-04')).status).toBe(202);
  });
});
