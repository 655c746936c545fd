/**
 * The CLI tests' one set-up: a fresh fake service (checked against contract/, see
 * contract-check.ts) and a fresh config home per test, `cli(argv)` running the real program and
 * `verb(fn)` calling one run function, both against them with buffer IO. After each test the
 * service must have seen no request it did not expect and given no answer outside the contract.
 * Call `useFakeCli()` at the top of a test file (it registers beforeEach/afterEach); with
 * `{ fakeClock: true }` the service and the CLI share one FakeClock per test (time moves only by
 * `clock.advance`), else both use the real clock.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { FakeClock, systemClock, type Clock } from '../../core/index.js';
import { startFakeService, type FakeService, type FakeServiceOptions } from './fake-service.js';
import type { CommandContext, GlobalFlags } from '../context.js';
import { run, runVerb, tempConfigHome, type RunOptions } from './run.js';

export interface FakeCli {
  /** The current test's fake service; a test may close it and set another (closed after the test). */
  svc: FakeService;
  /** The current test's config home (XDG_CONFIG_HOME). */
  readonly home: string;
  /** Runs `garminsync argv` against the current service and home. */
  cli(argv: string[], extra?: Partial<RunOptions>): ReturnType<typeof run>;
  /**
   * Calls a verb's run function against the current service and home (runVerb): `--json` with
   * `json`, a terminal with `tty`.
   */
  verb(
    fn: (ctx: CommandContext) => Promise<number>,
    extra?: Partial<RunOptions> & { json?: boolean; globals?: GlobalFlags },
  ): ReturnType<typeof run>;
  /** Logs nomfa@example.com in (exit 0 asserted). */
  login(): Promise<void>;
  /** The current test's clock: a FakeClock with `fakeClock`, else the real one. */
  readonly clock: Clock;
  /** Closes the current service and starts one with `opts` (on the test's clock), logged in. */
  restart(opts: FakeServiceOptions): Promise<void>;
}

export function useFakeCli(o: { fakeClock?: boolean } = {}): FakeCli {
  let svc: FakeService | undefined;
  let home: string | undefined;
  let clock: Clock = systemClock;
  beforeEach(async () => {
    clock = o.fakeClock ? new FakeClock() : systemClock;
    svc = await startFakeService({ clock });
    home = await tempConfigHome();
  });
  afterEach(async () => {
    await svc!.close(); // rejects (the test fails) with any exchange outside the contract
  });
  const fake: FakeCli = {
    get svc() {
      return svc!;
    },
    set svc(next: FakeService) {
      svc = next;
    },
    get home() {
      return home!;
    },
    get clock() {
      return clock;
    },
    cli: (argv, extra = {}) => run(argv, { home: fake.home, server: fake.svc.url, clock, ...extra }),
    verb: (fn, { json, globals, ...extra } = {}) =>
      runVerb(fn, { home: fake.home, server: fake.svc.url, clock, globals: { json, ...globals }, ...extra }),
    restart: async (opts) => {
      await svc!.close();
      svc = await startFakeService({ clock, ...opts });
      await fake.login();
    },
    login: async () => {
      const r = await fake.cli(['auth', 'login', '-u', 'nomfa@example.com', '--password-stdin'], { stdin: 'demo-password\n' });
      expect(r.code).toBe(0);
    },
  };
  return fake;
}
