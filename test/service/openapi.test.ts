import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

const run = promisify(execFile);

describe('GET /openapi.json', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('is OpenAPI 3.1 with every route of design.md §4 and passes `redocly lint`', async () => {
    const r = await h.api('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const paths = Object.keys(r.body.paths as object);
    for (const p of [
      '/api/v1/auth/login',
      '/api/v1/auth/mfa',
      '/api/v1/auth/refresh',
      '/api/v1/auth/import',
      '/api/v1/auth/logout',
      '/api/v1/auth/session',
      '/api/v1/sync/jobs',
      '/api/v1/sync/jobs/{job_id}',
      '/api/v1/sync/jobs/{job_id}/cancel',
      '/api/v1/sync/jobs/{job_id}/events',
      '/api/v1/activities',
      '/api/v1/activities/{id}',
      '/api/v1/activities/{id}/fit',
      '/api/v1/health/daily',
      '/api/v1/health/daily/{date}',
      '/api/v1/workouts',
      '/api/v1/workouts/{id}',
      '/api/v1/workouts/{id}/fit',
      '/healthz',
      '/readyz',
    ]) {
      expect(paths, p).toContain(p);
    }
    // A failed job's code is part of the published job shape, beside its sentence.
    const jobShapes: Record<string, unknown>[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const props = (v as { properties?: Record<string, unknown> }).properties;
        if (props && 'job_id' in props && 'error_message' in props) jobShapes.push(props);
        Object.values(v).forEach(walk);
      }
    };
    walk(r.body);
    expect(jobShapes.length).toBeGreaterThan(0);
    for (const props of jobShapes) expect(props).toHaveProperty('error_code');
    const file = join(h.dataDir, 'openapi.json');
    writeFileSync(file, r.text);
    const bin = join(process.cwd(), 'node_modules', '.bin', 'redocly');
    const out = await run(bin, ['lint', file, '--format=stylish'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).catch((e: { stdout: string; stderr: string; code: number }) => e);
    expect(`${out.stdout}\n${out.stderr}`).toMatch(/valid/i);
    expect('code' in out ? out.code : 0, `${out.stdout}\n${out.stderr}`).toBe(0);
  }, 60_000);
});
