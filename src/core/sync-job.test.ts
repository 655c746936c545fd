import { describe, expect, it } from 'vitest';
import { JOB_STATUSES, canTransition, progressPercent, transitionJob, isAppError } from './index.js';

const SEED_TRANSITIONS = new Set(['pending>running', 'running>completed', 'running>failed', 'pending>cancelled', 'running>cancelled']);

describe('job transitions', () => {
  it('allows exactly the five transitions of the seed and refuses every other pair', () => {
    for (const from of JOB_STATUSES) {
      for (const to of JOB_STATUSES) {
        const expected = SEED_TRANSITIONS.has(`${from}>${to}`);
        expect(canTransition(from, to), `${from}>${to}`).toBe(expected);
        if (expected) {
          expect(transitionJob({ job_id: 'j', status: from }, to, 1000).status).toBe(to);
        } else {
          let caught: unknown;
          try {
            transitionJob({ job_id: 'j', status: from }, to, 1000);
          } catch (e) {
            caught = e;
          }
          expect(isAppError(caught, 'INVALID_TRANSITION')).toBe(true);
        }
      }
    }
  });

  it('stamps start_time, end_time, error_code, error_message and progress', () => {
    expect(transitionJob({ job_id: 'j', status: 'pending' }, 'running', 5)).toEqual({ status: 'running', start_time: 5 });
    expect(transitionJob({ job_id: 'j', status: 'running' }, 'completed', 9)).toEqual({ status: 'completed', end_time: 9, progress: 100 });
    expect(transitionJob({ job_id: 'j', status: 'running' }, 'failed', 9, { code: 'GARMIN_UNAVAILABLE', message: 'boom' })).toEqual({
      status: 'failed',
      end_time: 9,
      error_code: 'GARMIN_UNAVAILABLE',
      error_message: 'boom',
    });
    // A failure without a reason still carries a code.
    expect(transitionJob({ job_id: 'j', status: 'running' }, 'failed', 9)).toMatchObject({ error_code: 'INTERNAL' });
    expect(transitionJob({ job_id: 'j', status: 'pending' }, 'cancelled', 3)).toEqual({ status: 'cancelled', end_time: 3 });
  });
});

describe('progressPercent', () => {
  it('is 0 without a total, never 100 before the last item, 100 at the end', () => {
    expect(progressPercent(0, null)).toBe(0);
    expect(progressPercent(5, 0)).toBe(0);
    expect(progressPercent(999, 1000)).toBe(99);
    expect(progressPercent(1000, 1000)).toBe(100);
    expect(progressPercent(1, 3)).toBe(33);
  });
});
