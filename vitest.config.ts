import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two forks on a 2-core machine (CI too). The suite is CPU-bound now (vmstat over a full run:
    // 92 % busy, 0.5 % waiting on disk), so more workers would not make it faster. Files share a
    // fork's module cache (no re-import per file): no test file stubs env, timers, globals or
    // modules, and every PostgreSQL test works in its own schema.
    maxWorkers: 2,
    minWorkers: 1,
    isolate: false,
  },
});
