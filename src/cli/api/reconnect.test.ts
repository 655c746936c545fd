import { describe, expect, it } from 'vitest';
import { AppError, backoffDelayMs, seededRandom, type Clock } from '../../core/index.js';
import { isOutage, RECONNECT_BACKOFF, Reconnector } from './reconnect.js';

/** A clock whose sleeps pass at once and are recorded: the back-off is read, not waited for. */
function steppingClock(): Clock & { delays: number[] } {
  let t = 1_000_000;
  const delays: number[] = [];
  return { delays, now: () => t, sleep: async (ms) => void (delays.push(ms), (t += ms)) };
}

const down = new AppError('SERVICE_UNREACHABLE', 'Cannot reach the sync service at http://127.0.0.1:1 (ECONNREFUSED); start it.', {
  server: 'http://127.0.0.1:1',
});
const signal = new AbortController().signal;

describe('Reconnector', () => {
  it('waits the shared full-jitter back-off, says so once, and gives up after the budget', async () => {
    const clock = steppingClock();
    const lost: unknown[] = [];
    const r = new Reconnector({ clock, random: seededRandom(5), server: 'http://svc', budgetMs: 60_000, onLost: (i) => lost.push(i) });
    let error: unknown;
    for (let i = 0; i < 1000 && !error; i++) await r.wait(down, signal).catch((e: unknown) => (error = e));
    expect(lost).toEqual([{ server: 'http://svc', budgetMs: 60_000 }]);
    // The same delays as the one back-off policy draws from the same seed, the last cut to the budget.
    const expected = seededRandom(5);
    const drawn = clock.delays.slice(0, -1);
    expect(drawn).toEqual(drawn.map((_, i) => Math.max(1, backoffDelayMs(i, expected, RECONNECT_BACKOFF))));
    expect(clock.delays.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(error).toMatchObject({ code: 'SERVICE_UNREACHABLE', details: { waited_ms: 60_000 } });
    expect((error as Error).message).toBe('The sync service at http://svc did not come back within 60 s (ECONNREFUSED)');
  });

  it('starts a new budget after the service answered again', async () => {
    const clock = steppingClock();
    const back: number[] = [];
    const r = new Reconnector({
      clock,
      random: seededRandom(1),
      server: 'http://svc',
      budgetMs: 2000,
      onBack: (i) => back.push(i.outageMs),
    });
    await r.wait(down, signal);
    r.back();
    r.back(); // no outage: nothing to report
    expect(back).toEqual([clock.delays[0]]);
    for (let i = 0; i < 50; i++) await r.wait(down, signal).catch(() => {});
    expect(clock.delays.slice(1).reduce((a, b) => a + b, 0)).toBe(2000);
  });

  it('with a budget of 0 gives up at the first failure', async () => {
    const r = new Reconnector({ clock: steppingClock(), random: seededRandom(1), server: 'http://svc', budgetMs: 0 });
    await expect(r.wait(down, signal)).rejects.toMatchObject({ code: 'SERVICE_UNREACHABLE', details: { waited_ms: 0 } });
  });

  it('counts no connection and 502/503/504 as an outage, other answers not', () => {
    expect(isOutage(down)).toBe(true);
    expect(isOutage(new AppError('INTERNAL', 'x', { status: 503 }))).toBe(true);
    expect(isOutage(new AppError('INTERNAL', 'x', { status: 502 }))).toBe(true);
    expect(isOutage(new AppError('INTERNAL', 'x', { status: 500 }))).toBe(false);
    expect(isOutage(new AppError('NOT_FOUND', 'x', { status: 404 }))).toBe(false);
    expect(isOutage(new Error('x'))).toBe(false);
  });
});
