import { describe, expect, it } from 'vitest';
import { recordedJson, recordingsDir } from './testing/cassettes.js';
import { connectHarness } from './testing/fake-request.js';

/**
 * Our responses carry at least the keys of Garmin's recorded responses (key sets of the
 * recording ⊆ ours), for the endpoints the sync uses. Runs where the shared recordings are
 * available (see testing/cassettes.ts).
 */
type Json = Record<string, unknown>;
const dir = recordingsDir();

function missingKeys(recorded: unknown, ours: unknown): string[] {
  const r = Object.keys(recorded as Json);
  const o = new Set(Object.keys(ours as Json));
  return r.filter((k) => !o.has(k));
}

function commonKeys(items: Json[]): Json {
  const keys = items.map((i) => new Set(Object.keys(i)));
  return Object.fromEntries([...(keys[0] ?? [])].filter((k) => keys.every((s) => s.has(k))).map((k) => [k, true]));
}

describe.runIf(dir !== undefined)('response shapes match the recordings', () => {
  const d = dir ?? '';
  const h = connectHarness({ seed: 11, activities: 200, days: 60, workouts: 4, endDate: '2026-11-27' });
  const day = '2026-11-20';

  it('socialProfile and user-settings', async () => {
    const profile = (await h.get('/userprofile-service/socialProfile')).json();
    expect(missingKeys(recordedJson(d, 'sso-and-client/test_user_profile.yaml', 'socialProfile'), profile)).toEqual([]);
    const settings = (await h.get('/userprofile-service/userprofile/user-settings')).json() as Json;
    const rec = recordedJson(d, 'sso-and-client/test_user_settings.yaml', 'user-settings') as Json;
    expect(missingKeys(rec, settings)).toEqual([]);
    expect(missingKeys(rec.userData, settings.userData)).toEqual([]);
    expect(missingKeys(rec.userSleep, settings.userSleep)).toEqual([]);
  });

  it('activity list items (keys common to the recorded items) for GPS activities', async () => {
    const rec = recordedJson(d, 'data/test_activity_list.yaml', 'search/activities') as Json[];
    const ours = (await h.get('/activitylist-service/activities/search/activities?limit=1000')).json() as Json[];
    // Guard against a vacuous comparison (parser or cassette change).
    expect(Object.keys(commonKeys(rec)).length).toBeGreaterThan(50);
    const gps = ours.filter((a) => a.hasPolyline === true);
    expect(gps.length).toBeGreaterThan(10);
    for (const item of gps) expect(missingKeys(commonKeys(rec), item)).toEqual([]);
    expect(missingKeys(rec[0]!.activityType, ours[0]!.activityType)).toEqual([]);
  });

  it('activity detail DTO (running)', async () => {
    const rec = recordedJson(d, 'data/test_activity_get.yaml', 'activity-service/activity/') as Json;
    const run = ((await h.get('/activitylist-service/activities/search/activities?limit=1000&activityType=running')).json() as Json[]).find(
      (a) => (a.activityType as Json).typeKey === 'running',
    );
    const ours = (await h.get(`/activity-service/activity/${String(run!.activityId)}`)).json() as Json;
    expect(missingKeys(rec, ours)).toEqual([]);
    expect(missingKeys(rec.metadataDTO, ours.metadataDTO)).toEqual([]);
    expect(Object.keys(rec.summaryDTO as Json).length).toBeGreaterThan(40);
    expect(missingKeys(rec.summaryDTO, ours.summaryDTO)).toEqual([]);
    expect(missingKeys(rec.timeZoneUnitDTO, ours.timeZoneUnitDTO)).toEqual([]);
    expect(String((ours.summaryDTO as Json).startTimeLocal)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d$/);
  });

  it('daily summary and heart rate', async () => {
    const sum = (await h.get(`/usersummary-service/usersummary/daily/?calendarDate=${day}`)).json();
    expect(missingKeys(recordedJson(d, 'data/test_daily_summary_get.yaml', 'usersummary/daily'), sum)).toEqual([]);
    const hr = (await h.get(`/wellness-service/wellness/dailyHeartRate/?date=${day}`)).json() as Json;
    const rec = recordedJson(d, 'data/test_daily_heart_rate_get.yaml', 'dailyHeartRate') as Json;
    expect(missingKeys(rec, hr)).toEqual([]);
    expect(hr.heartRateValueDescriptors).toEqual(rec.heartRateValueDescriptors);
  });

  it('sleep (wellness-service and sleep-service), including the no-sleep shape', async () => {
    const ours = await Promise.all(
      Array.from({ length: 27 }, (_, i) => h.get(`/sleep-service/sleep/dailySleepData?date=2026-11-${String(i + 1).padStart(2, '0')}`)),
    );
    const withSleep = ours.map((r) => r.json() as Json).find((j) => (j.dailySleepDTO as Json).id !== null)!;
    const rec = recordedJson(d, 'data/test_daily_sleep_data_get.yaml', 'date=2025-07-07') as Json;
    expect(missingKeys(rec, withSleep)).toEqual([]);
    expect(missingKeys(rec.dailySleepDTO, withSleep.dailySleepDTO)).toEqual([]);
    expect(missingKeys((rec.dailySleepDTO as Json).sleepScores, (withSleep.dailySleepDTO as Json).sleepScores)).toEqual([]);
    const recNone = recordedJson(d, 'data/test_daily_sleep_data_get.yaml', 'date=2030-01-01') as Json;
    const none = (await h.get('/sleep-service/sleep/dailySleepData?date=2030-01-01')).json() as Json;
    expect(Object.keys(none).sort()).toEqual(Object.keys(recNone).sort());
    expect(Object.keys(none.dailySleepDTO as Json).sort()).toEqual(Object.keys(recNone.dailySleepDTO as Json).sort());
    const wellness = (
      await h.get(`/wellness-service/wellness/dailySleepData/${h.data.identity.displayName}?nonSleepBufferMinutes=60&date=${day}`)
    ).json() as Json;
    const recW = recordedJson(d, 'data/test_sleep_data_get.yaml', 'dailySleepData') as Json;
    if ((wellness.dailySleepDTO as Json).id !== null) {
      expect(missingKeys(recW, wellness)).toEqual([]);
      expect(missingKeys(recW.dailySleepDTO, wellness.dailySleepDTO)).toEqual([]);
    }
  });

  it('stress + body battery and HRV', async () => {
    const stress = (await h.get(`/wellness-service/wellness/dailyStress/${day}`)).json() as Json;
    const rec = recordedJson(d, 'data/test_daily_body_battery_stress_get_incomplete_data.yaml', 'dailyStress') as Json;
    expect(missingKeys(rec, stress)).toEqual([]);
    expect(stress.bodyBatteryValueDescriptorsDTOList).toEqual(rec.bodyBatteryValueDescriptorsDTOList);
    const hrvDays = await Promise.all(
      Array.from({ length: 27 }, (_, i) => h.get(`/hrv-service/hrv/2026-11-${String(i + 1).padStart(2, '0')}`)),
    );
    const hrv = hrvDays.find((r) => r.status === 200)!.json() as Json;
    const recHrv = recordedJson(d, 'data/test_hrv_data_get.yaml', 'hrv/2023-07-20') as Json;
    expect(missingKeys(recHrv, hrv)).toEqual([]);
    expect(missingKeys(recHrv.hrvSummary, hrv.hrvSummary)).toEqual([]);
    expect(missingKeys((recHrv.hrvReadings as Json[])[0], (hrv.hrvReadings as Json[])[0])).toEqual([]);
  });

  it('weight day view and range, with and without data', async () => {
    const recDay = recordedJson(d, 'data/test_get_daily_weight_data.yaml', 'dayview') as Json;
    const recRange = recordedJson(d, 'data/test_weight_data_list.yaml', 'weight/range') as Json;
    const range = (await h.get('/weight-service/weight/range/2026-10-01/2026-11-27?includeAll=true')).json() as Json;
    expect(missingKeys(recRange, range)).toEqual([]);
    const summaries = range.dailyWeightSummaries as Json[];
    expect(summaries.length).toBeGreaterThan(0);
    const recSummary = (recRange.dailyWeightSummaries as Json[])[0]!;
    expect(missingKeys(recSummary, summaries[0])).toEqual([]);
    expect(missingKeys(recSummary.latestWeight, summaries[0]!.latestWeight)).toEqual([]);
    expect(Object.keys(range.nextDateWeight as Json).sort()).toEqual(Object.keys(recRange.nextDateWeight as Json).sort());
    const dayWithWeight = String(summaries[0]!.summaryDate);
    const view = (await h.get(`/weight-service/weight/dayview/${dayWithWeight}`)).json() as Json;
    expect(missingKeys(recDay, view)).toEqual([]);
    expect(missingKeys(recDay.totalAverage, view.totalAverage)).toEqual([]);
    expect(missingKeys((recDay.dateWeightList as Json[])[0], (view.dateWeightList as Json[])[0])).toEqual([]);
    const recEmpty = recordedJson(d, 'data/test_weight_data_list_empty.yaml', 'weight/range') as Json;
    const empty = (await h.get('/weight-service/weight/range/2019-12-18/2020-01-01?includeAll=true')).json() as Json;
    expect(empty.dailyWeightSummaries).toEqual([]);
    expect(Object.keys(empty).sort()).toEqual(Object.keys(recEmpty).sort());
    expect(Object.keys(empty.totalAverage as Json).sort()).toEqual(Object.keys(recEmpty.totalAverage as Json).sort());
  });
});
