import { describe, expect, it } from 'vitest';
import { activityStem, healthDayPath, safeWord, workoutFitPath } from './names.js';

describe('export file names', () => {
  it('make names from Garmin safe: no traversal, separators, control characters or leading dots', () => {
    for (const hostile of [
      '../../etc/passwd',
      '..',
      '.hidden',
      'a/b\\c',
      'x\u0000y\u001b[31m',
      'CON',
      '  ',
      'ünïcode Läufe 🏃',
      'a'.repeat(500),
      'name:with*bad?chars|<>"',
    ]) {
      const w = safeWord(hostile, 'fallback');
      expect(w, hostile).toMatch(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u);
      expect(w).not.toContain('..');
      expect([...w].length).toBeLessThanOrEqual(60);
    }
    expect(safeWord('Intervals 5x1km', 'w')).toBe('Intervals_5x1km');
    expect(safeWord('ünïcode Läufe', 'w')).toBe('ünïcode_Läufe');
    expect(safeWord('../..', 'workout')).toBe('workout');
    expect(safeWord(null, 'workout')).toBe('workout');
  });

  it('lay out activities by local start, workouts by id, health by year', () => {
    expect(
      activityStem({
        activity_id: '123',
        sport: 'trail_running',
        start_time: '2026-11-27T06:30:00.000Z',
        start_time_local: '2026-11-27 07:30:00',
      }),
    ).toBe('activities/2026/2026-11-27_0730_trail_running_123');
    expect(activityStem({ activity_id: '9', sport: '../x', start_time: '2026-01-02T03:04:00.000Z', start_time_local: null })).toBe(
      'activities/2026/2026-01-02_0304_x_9',
    );
    expect(workoutFitPath({ workout_id: '77', name: 'Tempo / hills' })).toBe('workouts/77_Tempo_hills.fit');
    expect(() => workoutFitPath({ workout_id: '../1', name: 'x' })).toThrow();
    expect(healthDayPath('2026-11-27')).toBe('health/2026/2026-11-27.json');
    expect(() => healthDayPath('../../x')).toThrow();
  });
});
