/** Shared wiring of the Garmin client integration tests: a real emulator on 127.0.0.1:0 and a client pointed at it. */
import { afterAll, beforeAll } from 'vitest';
import { FakeClock, isAppError, seededRandom } from '../../src/core/index.js';
import type { AppError } from '../../src/core/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';
import { endpointsForBaseUrl, GarminAuth, GarminConnect } from '../../src/garmin/index.js';
import type { GarminAuthOptions, GarminConnectOptions, GarminTokenSet, GarminTokenStore } from '../../src/garmin/index.js';

export const DEMO = { username: 'demo@example.com', password: 'demo-password' };
export const NOMFA = { username: 'nomfa@example.com', password: 'demo-password' };
export const LOCKED = { username: 'locked@example.com', password: 'demo-password' };

/** The client and the emulator share one FakeClock so token expiry and MFA TTLs are driven by the test. */
export async function startEmu(opts: EmulatorOptions = {}): Promise<{ emu: RunningEmulator; clock: FakeClock }> {
  const clock = new FakeClock(Date.UTC(2026, 10, 27, 12, 0, 0));
  const emu = await startEmulator({ seed: 1, activities: 30, days: 10, workouts: 4, endDate: '2026-11-27', clock, ...opts });
  return { emu, clock };
}

/**
 * One emulator for the whole test file (started before its tests, closed after them), handed to
 * `set` so the file keeps plain `emu`/`clock` variables: `useEmu((e) => ({ emu, clock } = e))`.
 */
export function useEmu(set: (e: { emu: RunningEmulator; clock: FakeClock }) => void, opts: EmulatorOptions = {}): void {
  let running: RunningEmulator | undefined;
  beforeAll(async () => {
    const e = await startEmu(opts);
    running = e.emu;
    set(e);
  });
  afterAll(async () => {
    await running?.close();
  });
}

// Each client gets its own seed: the emulator rightly refuses a replayed OAuth1 nonce+timestamp.
// Counted per emulator, not per module: test files share a fork's modules (isolate: false), and a
// file's clients must get the same seeds whichever files ran before it.
const seeds = new WeakMap<RunningEmulator, number>();
function nextSeed(emu: RunningEmulator): number {
  const seed = seeds.get(emu) ?? 100;
  seeds.set(emu, seed + 1);
  return seed;
}

export function makeAuth(emu: RunningEmulator, clock: FakeClock, opts: Partial<GarminAuthOptions> = {}): GarminAuth {
  return new GarminAuth({
    endpoints: endpointsForBaseUrl(emu.url),
    clock,
    random: seededRandom(nextSeed(emu)),
    timeoutMs: 10_000,
    ...opts,
  });
}

/** An in-memory GarminTokenStore that records every save (to check rotation is persisted first). */
export class MemoryTokenStore implements GarminTokenStore {
  saves: GarminTokenSet[] = [];
  constructor(public tokens: GarminTokenSet | null) {}
  async load(): Promise<GarminTokenSet | null> {
    return this.tokens;
  }
  async save(tokens: GarminTokenSet): Promise<void> {
    this.saves.push(tokens);
    this.tokens = tokens;
  }
}

export function makeConnect(
  emu: RunningEmulator,
  clock: FakeClock,
  auth: GarminAuth,
  store: GarminTokenStore,
  opts: Partial<GarminConnectOptions> = {},
): GarminConnect {
  return new GarminConnect({
    endpoints: endpointsForBaseUrl(emu.url),
    auth,
    tokenStore: store,
    clock,
    random: seededRandom(nextSeed(emu)),
    timeoutMs: 10_000,
    ...opts,
  });
}

/** A fetch that records every request (method + path) before passing it to the real fetch. */
export function recordingFetch(log: { method: string; path: string; headers: Headers }[], inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    log.push({ method: init?.method ?? 'GET', path: url.pathname, headers: new Headers(init?.headers) });
    return inner(input, init);
  };
}

/** Logs in `nomfa` through the given strategies and returns the tokens. */
export async function loginNoMfa(
  emu: RunningEmulator,
  clock: FakeClock,
  strategies?: string[],
): Promise<{ tokens: GarminTokenSet; displayName: string }> {
  const out = await makeAuth(emu, clock, strategies ? { strategies } : {}).startLogin(NOMFA);
  if (out.status !== 'authenticated') throw new Error('expected a login without MFA');
  return { tokens: out.tokens, displayName: out.profile.displayName };
}

/**
 * Runs `p` while advancing the fake clock whenever someone sleeps on it (client back-off),
 * in 250 ms steps, so retry paths run without real waiting.
 */
export async function withAutoAdvance<T>(clock: FakeClock, p: Promise<T>): Promise<T> {
  let settled = false;
  const done = p.finally(() => {
    settled = true;
  });
  while (!settled) {
    await new Promise((r) => setImmediate(r));
    if (clock.pendingSleepers > 0) clock.advance(250);
  }
  return done;
}

/** The AppError a promise rejects with (fails the test when it resolves or throws something else). */
export async function rejectionOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected the promise to reject');
}
