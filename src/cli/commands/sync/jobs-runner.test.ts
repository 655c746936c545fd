import { describe, expect, it } from 'vitest';
import type { SyncJob } from '../../../contract/index.js';
import { EXIT } from '../../exit-codes.js';
import { summaryLine } from './jobs-runner.js';

const failedJob = (over: Partial<SyncJob>): SyncJob => ({
  job_id: '00000000-0000-4000-8000-000000000001',
  user_id: 'u1',
  session_id: 's1',
  sync_type: 'workouts',
  status: 'failed',
  progress: 0,
  total_items: 3,
  processed_items: 1,
  failed_items: 0,
  resumed_items: 0,
  start_time: '2026-11-27T12:00:00.000Z',
  end_time: '2026-11-27T12:00:05.000Z',
  error_message: 'Garmin did not answer properly.',
  error_code: 'GARMIN_UNAVAILABLE',
  params: { from: null, to: null, full: false },
  cancel_requested: false,
  attempts: 1,
  created_at: '2026-11-27T12:00:00.000Z',
  updated_at: '2026-11-27T12:00:05.000Z',
  trigger: 'manual',
  probe: null,
  ...over,
});

describe('summaryLine of a failed job', () => {
  it('names the login first when the job failed with GARMIN_REAUTH_REQUIRED, whatever its sentence says', () => {
    const line = summaryLine(
      [failedJob({ error_code: 'GARMIN_REAUTH_REQUIRED', error_message: 'Garmin wants you back.' })],
      5000,
      EXIT.JOB_FAILED,
    );
    expect(line).toBe(
      'Sync failed: workouts: Garmin wants you back. Next: garminsync auth login, then garminsync sync retry 00000000-0000-4000-8000-000000000001',
    );
  });

  it('branches on the code, not the prose: a sentence that mentions "auth login" under another code gets only the retry', () => {
    const line = summaryLine([failedJob({ error_message: 'Try garminsync auth login maybe.' })], 5000, EXIT.JOB_FAILED);
    expect(line).toBe(
      'Sync failed: workouts: Try garminsync auth login maybe. Next: garminsync sync retry 00000000-0000-4000-8000-000000000001',
    );
  });
});
