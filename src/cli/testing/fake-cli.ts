/**
 * The CLI tests' one set-up: a fresh fake service (checked against contract/, see
 * contract-check.ts) and a fresh config home per test, and `cli(argv)` running the real program
 * against both with buffer IO. After each test the service must have seen no request it did not
 * expect. Call `useFakeCli()` at the top of a test file (it registers beforeEach/afterEach).
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { startFakeService, type FakeService } from './fake-service.js';
import { run, tempConfigHome } from './run.js';

type RunOptions = Partial<NonNullable<Parameters<typeof run>[1]>>;

export interface FakeCli {
  /** The current test's fake service; a test may close it and set another (closed after the test). */
  svc: FakeService;
  /** The current test's config home (XDG_CONFIG_HOME). */
  readonly home: string;
  /** Runs `garminsync argv` against the current service and home. */
  cli(argv: string[], extra?: RunOptions): ReturnType<typeof run>;
  /** Logs nomfa@example.com in (exit 0 asserted). */
  login(): Promise<void>;
}

export function useFakeCli(): FakeCli {
  let svc: FakeService | undefined;
  let home: string | undefined;
  beforeEach(async () => {
    svc = await startFakeService();
    home = await tempConfigHome();
  });
  afterEach(async () => {
    await svc!.close();
    expect(svc!.unexpected).toEqual([]);
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
    cli: (argv, extra = {}) => run(argv, { home: fake.home, server: fake.svc.url, ...extra }),
    login: async () => {
      const r = await fake.cli(['auth', 'login', '-u', 'nomfa@example.com', '--password-stdin'], { stdin: 'demo-password\n' });
      expect(r.code).toBe(0);
    },
  };
  return fake;
}
