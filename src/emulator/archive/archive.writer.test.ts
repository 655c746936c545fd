import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decoder, Stream } from '@garmin/fitsdk';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRegistry } from '../accounts.js';
import { writeArchive, type ArchiveSummary } from './archive.writer.js';

const OPTS = { seed: 11, activities: 30, days: 130, workouts: 3, endDate: '2026-10-31', account: 'demo@example.com', partSize: 40 };
type Json = Record<string, unknown>;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

const decoded = new WeakMap<Uint8Array, { type: unknown; start?: number }>();
function fitType(bytes: Uint8Array): { type: unknown; start?: number } {
  const hit = decoded.get(bytes);
  if (hit) return hit;
  const { messages } = new Decoder(Stream.fromByteArray(bytes)).read();
  const session = (messages.sessionMesgs as { startTime: Date }[] | undefined)?.[0];
  const info = { type: (messages.fileIdMesgs as { type: unknown }[])[0]!.type, ...(session ? { start: session.startTime.getTime() } : {}) };
  decoded.set(bytes, info);
  return info;
}

describe('emulator archive writer', () => {
  let dir: string;
  let summary: ArchiveSummary;
  let entries: Record<string, Uint8Array>;
  let parts: Record<string, Uint8Array>[];
  const data = new AccountRegistry(OPTS.seed, OPTS).byEmail(OPTS.account)!.data;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gs-archive-'));
    summary = await writeArchive({ ...OPTS, out: join(dir, 'export.zip') });
    entries = unzipSync(await readFile(summary.path));
    parts = Object.keys(entries)
      .filter((n) => /UploadedFiles_0-_Part\d+\.zip$/.test(n))
      .sort()
      .map((n) => unzipSync(entries[n]!));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('lays out the modern archive with nested part ZIPs and the personal files', () => {
    const names = Object.keys(entries);
    expect(names).toContain('DI_CONNECT/DI-Connect-Fitness/demo@example.com_0_summarizedActivities.json');
    expect(names).toContain('customer_data/customer.json');
    expect(names).toContain('DI_CONNECT/DI-Connect-User/user_contact.json');
    // 130 days → two 100-day windows whose names share the boundary date.
    const uds = names.filter((n) => n.includes('UDSFile_')).sort();
    expect(uds.map((n) => n.split('/').pop())).toEqual(['UDSFile_2026-06-24_2026-10-02.json', 'UDSFile_2026-10-02_2027-01-10.json']);
    expect(summary.parts).toBe(parts.length);
    expect(parts.length).toBeGreaterThan(1);
    // The second part keeps its entries under a folder named after the part.
    expect(Object.keys(parts[1]!).every((n) => n.startsWith('UploadedFiles_0-_Part2/'))).toBe(true);
  });

  it('writes summarized activities in archive units, matching the API list', () => {
    const raw = text(entries['DI_CONNECT/DI-Connect-Fitness/demo@example.com_0_summarizedActivities.json']!);
    expect(raw).toMatch(/"beginTimestamp":\d\.\d+E12/);
    const records = (JSON.parse(raw) as { summarizedActivitiesExport: Json[] }[])[0]!.summarizedActivitiesExport;
    const api = data.searchActivities({ start: 0, limit: 100, sortOrder: 'asc' });
    expect(records).toHaveLength(30);
    for (const [i, r] of records.entries()) {
      const a = api[i]!;
      expect(r.activityId).toBe(a.activityId);
      expect(r.beginTimestamp).toBe(a.beginTimestamp);
      expect(r.activityType).toBe((a.activityType as Json).typeKey);
      expect(r.distance).toBeCloseTo((a.distance as number) * 100, 3);
      expect(r.duration).toBeCloseTo((a.duration as number) * 1000, 3);
      expect(r.avgSpeed).toBeCloseTo((a.averageSpeed as number) / 10, 6);
      expect((r.startTimeLocal as number) - (r.startTimeGmt as number)).toBe(
        Date.parse(`${(a.startTimeLocal as string).replace(' ', 'T')}Z`) - (a.beginTimestamp as number),
      );
    }
  });

  it('holds every activity FIT byte for byte, started at its beginTimestamp, among non-activity FITs', () => {
    const fits = parts.flatMap((p) => Object.entries(p)).filter(([n]) => n.endsWith('.fit'));
    const activity = fits.filter(([, b]) => fitType(b).type === 'activity');
    const other = fits.filter(([, b]) => fitType(b).type !== 'activity');
    expect(activity).toHaveLength(30);
    expect(summary.activity_fits).toBe(30);
    expect(other.length).toBe(summary.other_fits);
    expect(new Set(other.map(([, b]) => fitType(b).type))).toEqual(new Set(['monitoringB', 49, 41]));
    const byStart = new Map(activity.map(([, b]) => [fitType(b).start!, b]));
    for (const a of data.searchActivities({ start: 0, limit: 100, sortOrder: 'asc' })) {
      expect(Buffer.from(byStart.get(a.beginTimestamp as number)!).equals(Buffer.from(data.fitBytes(a.activityId as number)!))).toBe(true);
    }
    // File names are opaque upload numbers, never activity ids.
    const ids = new Set(data.activityIds().map(String));
    for (const [n] of fits) expect(ids.has(/_(\d+)\.fit$/.exec(n)![1]!)).toBe(false);
  });

  it('writes one UDS record per day with data (plus a junk record and a shared boundary day) and matching sleep', () => {
    const uds = Object.keys(entries)
      .filter((n) => n.includes('UDSFile_'))
      .flatMap((n) => JSON.parse(text(entries[n]!)) as Json[]);
    const real = uds.filter((r) => r.includesWellnessData === true);
    expect(new Set(real.map((r) => r.calendarDate)).size).toBe(130);
    expect(real.length).toBe(131); // the boundary day is in both windows
    expect(uds.filter((r) => r.includesWellnessData === false)).toHaveLength(1);
    const day = real.find((r) => r.calendarDate === '2026-09-15')!;
    expect(day.totalSteps).toBe(data.dailySummary('2026-09-15').totalSteps);
    const total = ((day.allDayStress as Json).aggregatorList as Json[]).find((x) => x.type === 'TOTAL')!;
    expect(total.averageStressLevel).toBe(data.dailySummary('2026-09-15').averageStressLevel);
    const sleep = Object.keys(entries)
      .filter((n) => n.endsWith('_sleepData.json'))
      .flatMap((n) => JSON.parse(text(entries[n]!)) as Json[]);
    const night = sleep.find((s) => s.calendarDate === '2026-09-15');
    const api = data.dailySleep('2026-09-15', false).dailySleepDTO as Json;
    if (api.sleepStartTimestampGMT) {
      expect(night!.deepSleepSeconds).toBe(api.deepSleepSeconds);
      expect(night!.sleepStartTimestampGMT).toBe(`${new Date(api.sleepStartTimestampGMT as number).toISOString().slice(0, 19)}.0`);
    }
    expect(sleep.some((s) => Object.keys(s).length === 1 && 'retro' in s)).toBe(true);
  });

  it('writes the same archive, byte for byte, for the same options', async () => {
    const again = await writeArchive({ ...OPTS, out: join(dir, 'again.zip') });
    expect(again.bytes).toBe(summary.bytes);
    expect((await readFile(again.path)).equals(await readFile(summary.path))).toBe(true);
  });

  it('refuses an unknown account with a sentence naming the accounts', async () => {
    await expect(writeArchive({ ...OPTS, account: 'nobody@example.com', out: join(dir, 'x.zip') })).rejects.toThrow(/demo@example.com/);
  });
});
