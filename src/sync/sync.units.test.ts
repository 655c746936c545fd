import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/index.js';
import { addDays, dateRange, isCalendarDate, parseGarminGmt } from './dates.js';
import { InProcessJobEventBus } from './index.js';
import type { SyncJobRecord } from '../store/index.js';
import { SyncerRegistry } from './syncer.js';

describe('Garmin dates', () => {
  it('parses the list, detail and ISO forms as GMT and refuses garbage', () => {
    const t = Date.UTC(2026, 0, 8, 8, 10, 21);
    expect(parseGarminGmt('2026-01-08 08:10:21')).toBe(t);
    expect(parseGarminGmt('2026-01-08T08:10:21.0')).toBe(t);
    expect(parseGarminGmt('2026-01-08T08:10:21.000Z')).toBe(t);
    expect(
      isAppError(
        (() => {
          try {
            parseGarminGmt('yesterday');
          } catch (e) {
            return e;
          }
        })(),
        'GARMIN_PROTOCOL_CHANGED',
      ),
    ).toBe(true);
  });

  it('walks calendar days across month ends and validates dates', () => {
    expect(dateRange('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
  });
});

describe('InProcessJobEventBus', () => {
  it("delivers to the job's listeners only, isolates a throwing listener and unsubscribes", () => {
    const bus = new InProcessJobEventBus();
    const got: string[] = [];
    const job = (id: string) => ({ job_id: id }) as SyncJobRecord;
    bus.subscribe('a', () => {
      throw new Error('broken watcher');
    });
    const off = bus.subscribe('a', (e) => got.push(`a:${e.type}`));
    bus.subscribe('b', (e) => got.push(`b:${e.type}`));
    bus.publish({ type: 'progress', job: job('a') });
    off();
    bus.publish({ type: 'end', job: job('a') });
    expect(got).toEqual(['a:progress']);
    let woke = 0;
    bus.onClaimable(() => woke++);
    bus.notifyClaimable();
    expect(woke).toBe(1);
  });
});

describe('SyncerRegistry', () => {
  it('fails at construction when a type has no syncer or two', () => {
    const s = (type: 'activities' | 'health' | 'workouts' | 'archive') => ({
      type,
      open: async () => ({ pages: async function* () {}, fetch: async () => null, write: async () => {} }),
    });
    expect(() => new SyncerRegistry([s('activities'), s('health')])).toThrow(/workouts/);
    expect(() => new SyncerRegistry([s('activities'), s('health'), s('workouts')])).toThrow(/archive/);
    expect(() => new SyncerRegistry([s('activities'), s('activities'), s('health'), s('workouts'), s('archive')])).toThrow(/Two/);
    expect(new SyncerRegistry([s('activities'), s('health'), s('workouts'), s('archive')]).get('health').type).toBe('health');
  });
});
