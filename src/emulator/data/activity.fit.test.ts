import { CrcCalculator, Decoder, Stream } from '@garmin/fitsdk';
import { describe, expect, it } from 'vitest';
import { createAccountData, type AccountData } from './index.js';
import { TEST_IDENTITY, TEST_OPTIONS } from './testing.fixtures.js';

function decode(bytes: Uint8Array) {
  const integrity = new Decoder(Stream.fromByteArray(bytes));
  const isFit = Decoder.isFIT(Stream.fromByteArray(bytes));
  const ok = integrity.checkIntegrity();
  const { messages, errors } = new Decoder(Stream.fromByteArray(bytes)).read();
  return { isFit, ok, messages, errors };
}

/** The FIT file CRC over the whole file (header + data + stored CRC) is 0 when it is valid. */
function fileCrcValid(bytes: Uint8Array): boolean {
  return CrcCalculator.calculateCRC(bytes, 0, bytes.length) === 0;
}

function firstOfType(data: AccountData, typeKey: string): number {
  const item = data.searchActivities({ start: 0, limit: 1000, sortOrder: 'desc', activityType: typeKey })[0];
  if (!item) throw new Error(`no ${typeKey} activity in the test dataset`);
  return item.activityId as number;
}

describe('activity FIT files', () => {
  const data = createAccountData(TEST_IDENTITY, { ...TEST_OPTIONS, activities: 300 });

  it('decode with @garmin/fitsdk: integrity, CRC, records with time, position, HR, distance', () => {
    const id = firstOfType(data, 'running');
    const fit = data.fitBytes(id)!;
    const { isFit, ok, messages, errors } = decode(fit);
    expect(isFit).toBe(true);
    expect(ok).toBe(true);
    expect(fileCrcValid(fit)).toBe(true);
    expect(errors).toEqual([]);
    expect(messages.fileIdMesgs?.[0]?.type).toBe('activity');
    expect(messages.deviceInfoMesgs?.length).toBeGreaterThan(0);
    expect(messages.eventMesgs?.map((e) => e.eventType)).toEqual(['start', 'stopAll']);
    const records = messages.recordMesgs ?? [];
    const detail = data.activityDetail(id)!;
    const summary = detail.summaryDTO as { duration: number; distance: number; startTimeGMT: string };
    // One record per second for activities up to 2 hours.
    expect(records.length).toBe(summary.duration + 1);
    const first = records[0]!;
    const last = records[records.length - 1]!;
    expect(first.positionLat).toBeTypeOf('number');
    expect(first.positionLong).toBeTypeOf('number');
    expect(first.heartRate).toBeGreaterThan(40);
    expect(first.altitude).toBeTypeOf('number');
    expect(last.distance).toBeCloseTo(summary.distance, 1);
    expect((first.timestamp as Date).toISOString().slice(0, 19)).toBe(summary.startTimeGMT.slice(0, 19));
    expect(messages.lapMesgs?.length).toBe(detail.metadataDTO && (detail.metadataDTO as { lapCount: number }).lapCount);
    expect(messages.sessionMesgs?.[0]?.sport).toBe('running');
    expect(messages.activityMesgs?.[0]?.numSessions).toBe(1);
    // Realistic size: tens to hundreds of KB.
    expect(fit.length).toBeGreaterThan(10_000);
    expect(fit.length).toBeLessThan(1_000_000);
  });

  it('has start and end positions matching the summary', () => {
    const id = firstOfType(data, 'cycling');
    const { messages } = decode(data.fitBytes(id)!);
    const item = data.searchActivities({ start: 0, limit: 1000, sortOrder: 'desc' }).find((a) => a.activityId === id)!;
    const semis = (deg: number) => Math.round((deg * 2 ** 31) / 180);
    expect(messages.recordMesgs?.[0]?.positionLat).toBe(semis(item.startLatitude as number));
    expect(messages.recordMesgs?.[0]?.positionLong).toBe(semis(item.startLongitude as number));
  });

  it.each(['lap_swimming', 'strength_training'])('has no positions for %s', (typeKey) => {
    const { ok, messages, errors } = decode(data.fitBytes(firstOfType(data, typeKey))!);
    expect(ok).toBe(true);
    expect(errors).toEqual([]);
    const records = messages.recordMesgs ?? [];
    expect(records.length).toBeGreaterThan(100);
    expect(records.every((r) => r.positionLat === undefined && r.positionLong === undefined)).toBe(true);
    expect(records.every((r) => typeof r.heartRate === 'number')).toBe(true);
  });

  it('records long activities every few seconds', () => {
    const long = data.searchActivities({ start: 0, limit: 1000, sortOrder: 'desc' }).find((a) => (a.duration as number) > 7200);
    expect(long).toBeDefined();
    const { ok, messages } = decode(data.fitBytes(long!.activityId as number)!);
    expect(ok).toBe(true);
    const r = messages.recordMesgs ?? [];
    const step = ((r[1]!.timestamp as Date).getTime() - (r[0]!.timestamp as Date).getTime()) / 1000;
    expect(step).toBeGreaterThan(1);
  });

  it('fails integrity when the id is marked corrupt', () => {
    const d = createAccountData(TEST_IDENTITY, TEST_OPTIONS);
    const id = d.activityIds()[0]!;
    d.setCorruptFitIds([id]);
    const fit = d.fitBytes(id)!;
    expect(Decoder.isFIT(Stream.fromByteArray(fit))).toBe(true);
    expect(new Decoder(Stream.fromByteArray(fit)).checkIntegrity()).toBe(false);
  });
});

describe('workout FIT files', () => {
  it('are FIT workout files with the workout and its steps', () => {
    const data = createAccountData(TEST_IDENTITY, TEST_OPTIONS);
    for (const item of data.workouts(0, 100)) {
      const fit = data.workoutFitBytes(item.workoutId as number)!;
      const { isFit, ok, messages, errors } = decode(fit);
      expect(isFit && ok && fileCrcValid(fit)).toBe(true);
      expect(errors).toEqual([]);
      expect(messages.fileIdMesgs?.[0]?.type).toBe('workout');
      expect(messages.workoutMesgs?.[0]?.wktName).toBe(item.workoutName);
      const steps = messages.workoutStepMesgs ?? [];
      expect(steps.length).toBe(messages.workoutMesgs?.[0]?.numValidSteps);
      expect(steps.length).toBeGreaterThan(0);
    }
  });
});
