import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/index.js';
import { RateBudgetRepository } from '../../src/store/index.js';
import { testDialects, type TestDatabase } from '../../src/store/testing/dialects.js';
import { SharedAccountLimiters } from '../../src/sync/index.js';
import { until as untilTruthy } from '../support/until.js';

function until<T>(fn: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  return untilTruthy('the condition', fn, { timeoutMs, everyMs: 5 });
}

describe.each(testDialects())('SharedAccountLimiters on $name (two processes, one budget)', ({ open }) => {
  let t: TestDatabase;
  let clock: FakeClock;
  beforeEach(async () => {
    t = await open();
    clock = new FakeClock();
  });
  afterEach(async () => t.close());

  // Two registries over one database stand for two processes.
  const two = () =>
    [0, 1].map(() => new SharedAccountLimiters({ budgets: new RateBudgetRepository(t.db), clock, ratePerSec: 2, burst: 3 }));

  it('hands out the burst once across processes, then one slot per 1/rate', async () => {
    const [a, b] = two();
    await a!.forAccount('u1').acquire();
    await a!.forAccount('u1').acquire();
    await b!.forAccount('u1').acquire(); // the burst of 3 is spent, by both together
    let done = false;
    const waiting = b!
      .forAccount('u1')
      .acquire()
      .then(() => (done = true));
    await until(() => clock.pendingSleepers === 1);
    clock.advance(499);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await waiting;
    // Another account is not affected.
    await a!.forAccount('u2').acquire();
  });

  it('a 429 pause set by one process holds the other back until it ends', async () => {
    const [a, b] = two();
    await a!.forAccount('u1').pause(5000);
    expect(a!.forAccount('u1').pausedUntil).toBe(clock.now() + 5000);
    let done = false;
    const waiting = b!
      .forAccount('u1')
      .acquire()
      .then(() => (done = true));
    await until(() => clock.pendingSleepers === 1);
    expect(b!.forAccount('u1').pausedUntil).toBe(clock.now() + 5000); // learnt from the database
    clock.advance(4999);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await waiting;

    // waitWhilePaused re-reads the shared pause when the known one ends: another process extended it.
    const bl = b!.forAccount('u1');
    await a!.forAccount('u1').pause(1000);
    const learnt = bl.acquire();
    await until(() => clock.pendingSleepers === 1);
    expect(bl.pausedUntil).toBe(clock.now() + 1000);
    clock.advance(1000);
    await learnt;
    await bl.pause(1000);
    await a!.forAccount('u1').pause(3000);
    let over = false;
    const wait = bl.waitWhilePaused().then(() => (over = true));
    await until(() => clock.pendingSleepers === 1);
    clock.advance(1000);
    await until(() => clock.pendingSleepers === 1); // woke, re-read, sleeps on
    expect(over).toBe(false);
    clock.advance(2000);
    await wait;
  });
});
