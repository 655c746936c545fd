import { systemClock, type Clock } from '../../src/core/index.js';

/**
 * A clock on real time that a test moves forward explicitly: for code that must keep running by
 * itself (worker polls, heartbeats, HTTP servers) while a test skips a lease, a token lifetime or a
 * pause instead of waiting it out. `advance` wakes every `sleep` whose deadline it passed, so a
 * sleeper never waits longer than the clock says; otherwise sleeps run in real time.
 */
export class OffsetClock implements Clock {
  private shift = 0;
  private readonly sleepers = new Set<{ until: number; wake: () => void }>();

  /** How far this clock runs ahead of the real one (ms; negative = behind). */
  get offset(): number {
    return this.shift;
  }

  set offset(ms: number) {
    this.advance(ms - this.shift);
  }

  now(): number {
    return Date.now() + this.shift;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return systemClock.sleep(0, signal);
    const stop = new AbortController();
    const entry = { until: this.now() + Math.max(0, ms), wake: () => stop.abort() };
    this.sleepers.add(entry);
    const onAbort = () => stop.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    return systemClock.sleep(ms, stop.signal).then(
      () => this.settle(entry, signal, onAbort),
      () => {
        this.settle(entry, signal, onAbort);
        // Woken by advance(): resolve; aborted by the caller's signal: reject with its reason.
        if (signal?.aborted) return systemClock.sleep(0, signal);
      },
    );
  }

  /** Moves time by `ms` (negative moves it back) and wakes every sleeper whose deadline has passed. */
  advance(ms: number): void {
    this.shift += ms;
    const now = this.now();
    for (const s of [...this.sleepers]) if (s.until <= now) s.wake();
  }

  private settle(entry: { until: number; wake: () => void }, signal: AbortSignal | undefined, onAbort: () => void): void {
    this.sleepers.delete(entry);
    signal?.removeEventListener('abort', onAbort);
  }
}
