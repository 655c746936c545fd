import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two forks on a 2-core machine (CI too): most files wait on child processes, sockets and
    // fsync, not on CPU. Files share a fork's module cache (no re-import per file): no test file
    // stubs env, timers, globals or modules, and every PostgreSQL test works in its own schema.
    maxWorkers: 2,
    minWorkers: 1,
    isolate: false,
  },
});
