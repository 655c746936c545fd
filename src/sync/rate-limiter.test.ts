import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/index.js';
import { AccountLimiters } from './index.js';

const flush = () => new Promise<void>((r) => setImmediate(r));

describe('AccountLimiter', () => {
  it('hands out a burst at once, then one token per 1/rate seconds', async () => {
    const clock = new FakeClock(0);
    const limiter = new AccountLimiters({ clock, ratePerSec: 2, burst: 3 }).forAccount('u1');
    for (let i = 0; i < 3; i++) await limiter.acquire();
    let fourth = false;
    const p = limiter.acquire().then(() => (fourth = true));
    await flush();
    expect(fourth).toBe(false);
    clock.advance(499);
    await flush();
    expect(fourth).toBe(false);
    clock.advance(1);
    await p;
    expect(fourth).toBe(true);
  });

  it('is shared per account and separate between accounts', async () => {
    const clock = new FakeClock(0);
    const limiters = new AccountLimiters({ clock, ratePerSec: 1, burst: 1 });
    expect(limiters.forAccount('a')).toBe(limiters.forAccount('a'));
    await limiters.forAccount('a').acquire();
    await limiters.forAccount('b').acquire(); // b has its own bucket: no wait
    expect(clock.pendingSleepers).toBe(0);
  });

  it('pauses the whole account after a 429 until Retry-After, longer pauses winning', async () => {
    const clock = new FakeClock(0);
    const limiter = new AccountLimiters({ clock, ratePerSec: 100, burst: 100 }).forAccount('u1');
    limiter.pause(5000);
    limiter.pause(1000);
    expect(limiter.pausedUntil).toBe(5000);
    let through = false;
    const p = limiter.acquire().then(() => (through = true));
    await flush();
    clock.advance(4999);
    await flush();
    expect(through).toBe(false);
    clock.advance(1);
    await p;
    expect(through).toBe(true);
  });

  it('lets an aborted waiter go without blocking the next one', async () => {
    const clock = new FakeClock(0);
    const limiter = new AccountLimiters({ clock, ratePerSec: 1, burst: 1 }).forAccount('u1');
    await limiter.acquire();
    const ac = new AbortController();
    const aborted = limiter.acquire(ac.signal);
    await flush();
    ac.abort();
    await expect(aborted).rejects.toBeDefined();
    const next = limiter.acquire();
    await flush();
    clock.advance(1000);
    await expect(next).resolves.toBeUndefined();
  });
});
