import { describe, expect, it } from 'vitest';
import { FakeClock, seededRandom } from './index.js';

describe('FakeClock', () => {
  it('wakes sleepers only when time passes their deadline', async () => {
    const clock = new FakeClock(0);
    let woke = false;
    const p = clock.sleep(100).then(() => (woke = true));
    clock.advance(99);
    await Promise.resolve();
    expect(woke).toBe(false);
    clock.advance(1);
    await p;
    expect(woke).toBe(true);
  });

  it('rejects a sleep when its signal aborts', async () => {
    const clock = new FakeClock(0);
    const ac = new AbortController();
    const p = clock.sleep(1000, ac.signal);
    ac.abort();
    await expect(p).rejects.toThrow();
    expect(clock.pendingSleepers).toBe(0);
  });
});

describe('seededRandom', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(seededRandom(7).uuid()).toBe(seededRandom(7).uuid());
    expect(seededRandom(7).uuid()).not.toBe(seededRandom(8).uuid());
    expect(seededRandom(7).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
