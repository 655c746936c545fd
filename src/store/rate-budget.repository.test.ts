import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RateBudgetRepository } from './index.js';
import { testDialects, type TestDatabase } from './testing/dialects.js';

const T0 = Date.UTC(2026, 10, 27, 12);
const policy = { ratePerSec: 2, burst: 3 };

describe.each(testDialects())('RateBudgetRepository on $name', ({ open }) => {
  let t: TestDatabase;
  let budgets: RateBudgetRepository;
  beforeEach(async () => {
    t = await open();
    budgets = new RateBudgetRepository(t.db);
  });
  afterEach(async () => t.close());

  it('starts full, then reserves slots at the rate (negative balance = wait)', async () => {
    const took = [];
    for (let i = 0; i < 5; i++) took.push((await budgets.take('u1', T0, policy)).tokens);
    // Burst 3 → 2, 1, 0 free; then two reservations: wait 0.5 s and 1 s at 2/s.
    expect(took).toEqual([2, 1, 0, -1, -2]);
    // 1.5 s later three tokens came back: the balance is 1 before this take, 0 after.
    expect((await budgets.take('u1', T0 + 1500, policy)).tokens).toBeCloseTo(0, 6);
    // Refill stops at the burst; another account has its own bucket.
    expect((await budgets.take('u1', T0 + 60_000, policy)).tokens).toBeCloseTo(2, 6);
    expect((await budgets.take('u2', T0, policy)).tokens).toBe(2);
  });

  it('never refills from a clock behind the stored refill time', async () => {
    await budgets.take('u1', T0, policy);
    expect((await budgets.take('u1', T0 - 10_000, policy)).tokens).toBe(1);
    expect((await budgets.take('u1', T0, policy)).tokens).toBe(0);
  });

  it('counts every concurrent take exactly once', async () => {
    const res = await Promise.all(Array.from({ length: 20 }, () => budgets.take('u1', T0, { ratePerSec: 1, burst: 5 })));
    expect(res.map((r) => r.tokens).sort((a, b) => b - a)).toEqual(Array.from({ length: 20 }, (_, i) => 4 - i));
  });

  it('a pause takes nothing until it ends, and the longer pause wins', async () => {
    await budgets.take('u1', T0, policy);
    expect(await budgets.pause('u1', T0 + 5000, T0, policy)).toBe(T0 + 5000);
    expect(await budgets.pause('u1', T0 + 1000, T0, policy)).toBe(T0 + 5000);
    expect(await budgets.pausedUntil('u1')).toBe(T0 + 5000);
    const paused = await budgets.take('u1', T0 + 100, policy);
    expect(paused).toEqual({ pausedUntil: T0 + 5000, tokens: 2 });
    const after = await budgets.take('u1', T0 + 5000, policy);
    expect(after.pausedUntil).toBe(T0 + 5000);
    expect(after.tokens).toBe(2); // refilled to the burst over the pause, one taken
    // Pausing an account never seen before creates its row.
    expect(await budgets.pause('u3', T0 + 10, T0, policy)).toBe(T0 + 10);
    expect(await budgets.pausedUntil('nobody')).toBe(0);
  });
});
