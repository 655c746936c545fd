import { mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../core/index.js';
import { AccountRegistry } from '../accounts.js';
import { formatCalendarDate, parseCalendarDate } from '../data/index.js';
import { Prng, deriveSeed } from '../data/prng.js';
import { bioMetricsSnapshot, exponentForm, healthStatusRecord, sleepRecord, summarizedActivity, udsRecord } from './archive-records.js';
import { monitoringFit, typedStubFit } from './non-activity.fit.js';
import { ZipFileWriter } from './zip-writer.js';

type Json = Record<string, unknown>;

export interface ArchiveOptions {
  /** Same meaning as the emulator's flags: the same values give the API's data. */
  seed: number;
  activities: number;
  days: number;
  workouts: number;
  /** Last day with data, YYYY-MM-DD. */
  endDate: string;
  /** Which demo account's archive (its sign-in e-mail). */
  account: string;
  out: string;
  /** FIT files per `UploadedFiles_0-_Part<N>.zip` (Garmin's hold roughly 9–10k). */
  partSize: number;
  /**
   * Damaged entries, for testing an importer: `activity-fit` flips one byte inside the middle
   * activity's FIT (its CRC no longer holds), `sleep-json` cuts the first sleep file in half (not JSON).
   */
  corrupt?: readonly ArchiveCorruption[];
}

export const ARCHIVE_CORRUPTIONS = ['activity-fit', 'sleep-json'] as const;
export type ArchiveCorruption = (typeof ARCHIVE_CORRUPTIONS)[number];

/** One damaged entry: its logical path as an importer names it (`outer.zip!/inner.fit`). */
export interface CorruptEntry {
  kind: ArchiveCorruption;
  path: string;
  /** The activity whose FIT was damaged (`activity-fit`). */
  activity_id?: string;
}

export interface ArchiveSummary {
  path: string;
  bytes: number;
  account: string;
  activities: number;
  activity_fits: number;
  other_fits: number;
  days: number;
  parts: number;
  corrupt_entries: CorruptEntry[];
}

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 100;
const PAGE = 1000;

/** A FIT entry to place in a part: an activity's original, or a monitoring/sleep/stub file. */
interface FitEntry {
  atMs: number;
  name: string;
  bytes: () => Uint8Array;
  activity: boolean;
  activityId?: number;
}

/** A copy of a FIT with one byte of its record data flipped: the file CRC fails, the header still reads. */
function damaged(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  const at = Math.floor(out.length / 2);
  out[at] = out[at]! ^ 0xff;
  return out;
}

/**
 * Writes a synthetic "Export Your Data" archive for one emulator account: the modern layout
 * (garmin-archive.md §1, §7) with nested part ZIPs, activity FITs byte-identical to what the API
 * serves, non-activity FITs, the archive's units and naming quirks (100-day windows sharing
 * boundary dates, exponent-form timestamps, placeholder sleep records, duplicate snapshots) and
 * the personal files an importer must never read. Streams to disk; nothing is held whole.
 */
export async function writeArchive(o: ArchiveOptions): Promise<ArchiveSummary> {
  const endMs = parseCalendarDate(o.endDate);
  if (endMs === undefined) throw new AppError('VALIDATION_FAILED', `--end-date must be a calendar date (YYYY-MM-DD): ${o.endDate}`);
  const registry = new AccountRegistry(o.seed, { activities: o.activities, days: o.days, workouts: o.workouts, endDate: o.endDate });
  const account = registry.byEmail(o.account);
  if (!account)
    throw new AppError(
      'VALIDATION_FAILED',
      `The emulator has no account ${o.account}; its accounts are ${registry
        .list()
        .map((a) => a.identity.email)
        .join(', ')}.`,
    );
  const { identity, data } = account;
  const email = identity.email;
  const profileId = identity.profileId;
  const prng = new Prng(deriveSeed(o.seed, 'archive', email));

  const items = data.searchActivities({ start: 0, limit: Math.max(1, data.activityCount()), sortOrder: 'asc' });
  const firstDayMs = endMs - (o.days - 1) * DAY_MS;
  const dates: string[] = [];
  for (let ms = firstDayMs; ms <= endMs && o.days > 0; ms += DAY_MS) dates.push(formatCalendarDate(ms));

  // Upload-file numbers are opaque and unrelated to activity ids (66–120 billion in real archives).
  const opaque = () => String(66_000_000_000 + prng.int(0, 54_000_000_000));
  const fits: FitEntry[] = items.map((item) => ({
    atMs: item.beginTimestamp as number,
    name: `${email}_${opaque()}.fit`,
    bytes: () => data.fitBytes(item.activityId as number)!,
    activity: true,
    activityId: item.activityId as number,
  }));
  const corrupt = new Set(o.corrupt ?? []);
  const corrupted: CorruptEntry[] = [];
  if (corrupt.has('activity-fit') && items.length > 0) {
    const victim = fits[Math.floor(items.length / 2)]!; // activity FITs come first, in start order
    const original = victim.bytes;
    victim.bytes = () => damaged(original());
    corrupted.push({ kind: 'activity-fit', path: victim.name, activity_id: String(victim.activityId) });
  }
  const serial = (items[0]?.deviceId as number | undefined) ?? 3_400_000_000;
  for (const date of dates) {
    const summary = data.dailySummary(date);
    const dayStart = Date.parse(`${summary.wellnessStartTimeGmt as string}Z`);
    fits.push({
      atMs: dayStart + 3_600_000,
      name: `${email}_${opaque()}.fit`,
      bytes: () => monitoringFit(dayStart, serial, (summary.restingHeartRate as number | null) ?? 55),
      activity: false,
    });
    if (summary.sleepingSeconds)
      fits.push({
        atMs: dayStart + 7 * 3_600_000,
        name: `${email}_${opaque()}.fit`,
        bytes: () => typedStubFit(49, dayStart, serial),
        activity: false,
      });
    if (prng.chance(0.3))
      fits.push({
        atMs: dayStart + 12 * 3_600_000,
        name: `${email}_${opaque()}.fit`,
        bytes: () => typedStubFit(41, dayStart, serial),
        activity: false,
      });
  }
  fits.sort((a, b) => a.atMs - b.atMs);

  const tmp = await mkdtemp(join(dirname(o.out), '.archive-parts-'));
  try {
    const partPaths: string[] = [];
    for (let p = 0; p * o.partSize < fits.length; p++) {
      const path = join(tmp, `part${p + 1}.zip`);
      const part = new ZipFileWriter(path);
      // Garmin puts some parts' entries under a folder named after the part.
      const folder = p % 2 === 1 ? `UploadedFiles_0-_Part${p + 1}/` : '';
      for (const f of fits.slice(p * o.partSize, (p + 1) * o.partSize)) {
        await part.addBytes(`${folder}${f.name}`, f.bytes(), f.atMs);
        for (const c of corrupted)
          if (c.path === f.name) c.path = `DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part${p + 1}.zip!/${folder}${f.name}`;
      }
      await part.close();
      partPaths.push(path);
    }

    const zip = new ZipFileWriter(o.out);
    const mtime = endMs + DAY_MS;
    const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
    // Personal files that an importer must never read.
    await zip.addBytes(
      'customer_data/customer.json',
      json({ customerId: identity.garminGUID, email, fullName: identity.fullName, marker: 'PERSONAL-CUSTOMER-RECORD' }),
      mtime,
    );
    await zip.addBytes(
      'DI_CONNECT/DI-Connect-User/user_contact.json',
      json([{ name: 'Emergency Contact', phone: '+1 555 0100', marker: 'PERSONAL-EMERGENCY-CONTACT' }]),
      mtime,
    );
    await zip.addBytes(
      'IT_CONSENT_HISTORY/consents.json',
      json([{ consent: 'MARKETING', granted: false, marker: 'PERSONAL-CONSENT' }]),
      mtime,
    );
    await zip.addBytes('IT_ORDERS/orders.json', json([{ orderId: 'A-1', marker: 'PERSONAL-ORDER' }]), mtime);
    await zip.addBytes('DI_CONNECT/DI-Connect-User/user_profile.json', json({ userName: email, displayName: identity.displayName }), mtime);
    for (const empty of ['DI_TACX/', 'DI-GOLF/', 'DI_CONNECT/DI-Connect-Routing/'])
      await zip.addBytes(empty, new Uint8Array(0), mtime, true);

    for (let page = 0; page * PAGE < items.length || page === 0; page++) {
      const records = items.slice(page * PAGE, (page + 1) * PAGE).map(summarizedActivity);
      let text = JSON.stringify([{ summarizedActivitiesExport: records }]);
      // Every tenth beginTimestamp in exponent form, as some real archives carry it.
      for (const r of records.filter((_, i) => i % 10 === 3)) {
        text = text.replace(
          `"beginTimestamp":${r.beginTimestamp as number}`,
          `"beginTimestamp":${exponentForm(r.beginTimestamp as number)}`,
        );
      }
      await zip.addBytes(
        `DI_CONNECT/DI-Connect-Fitness/${email}_${page === 0 ? 0 : page * PAGE + 1}_summarizedActivities.json`,
        new TextEncoder().encode(text),
        mtime,
      );
      if (items.length === 0) break;
    }

    const weighIns: Json[] = [];
    for (let w = 0; w * WINDOW_DAYS < dates.length; w++) {
      // Windows share their boundary date in the names, and here in the content too (one day in two files).
      const inWindow = dates.slice(w * WINDOW_DAYS, (w + 1) * WINDOW_DAYS + 1);
      const from = inWindow[0]!;
      const to = formatCalendarDate(parseCalendarDate(from)! + WINDOW_DAYS * DAY_MS);
      const uds = inWindow.map((d) => udsRecord(data.dailySummary(d)));
      if (w === 0) uds.unshift({ ...udsRecord(data.dailySummary(formatCalendarDate(firstDayMs - DAY_MS))), includesWellnessData: false }); // a pre-device junk record
      await zip.addBytes(`DI_CONNECT/DI-Connect-Aggregator/UDSFile_${from}_${to}.json`, json(uds), mtime);
      const sleep: Json[] = [{ retro: false }];
      for (const d of inWindow) {
        const night = sleepRecord((data.dailySleep(d, false).dailySleepDTO ?? {}) as Json);
        if (night) sleep.push(night);
      }
      if (sleep.length > 1) sleep.push({ ...sleep[1]!, calendarDate: undefined }); // a record without calendarDate
      const sleepPath = `DI_CONNECT/DI-Connect-Wellness/${from}_${to}_${profileId}_sleepData.json`;
      let sleepBytes = json(sleep);
      if (w === 0 && corrupt.has('sleep-json')) {
        sleepBytes = sleepBytes.subarray(0, Math.floor(sleepBytes.length / 2));
        corrupted.push({ kind: 'sleep-json', path: sleepPath });
      }
      await zip.addBytes(sleepPath, sleepBytes, mtime);
      const status = inWindow.flatMap((d) => {
        const hrv = data.hrv(d);
        return hrv ? [healthStatusRecord(d, hrv.hrvSummary as Json)] : [];
      });
      await zip.addBytes(`DI_CONNECT/DI-Connect-Wellness/${from}_${to}_${profileId}_healthStatusData.json`, json(status), mtime);
      for (const d of inWindow.slice(0, WINDOW_DAYS))
        weighIns.push(...((data.weightDayView(d).dateWeightList as Json[] | undefined) ?? []));
    }
    const snapshots = weighIns.map((wi, i) => bioMetricsSnapshot(wi, i + 1));
    if (snapshots.length > 0)
      snapshots.push({ ...snapshots[0]!, metaData: { ...(snapshots[0]!.metaData as Json), sequence: snapshots.length + 1 } });
    await zip.addBytes(`DI_CONNECT/DI-Connect-Wellness/${profileId}_userBioMetrics.json`, json(snapshots), mtime);

    for (const [i, path] of partPaths.entries())
      await zip.addFile(`DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part${i + 1}.zip`, path, mtime);
    const bytes = await zip.close();
    const activityFits = fits.filter((f) => f.activity).length;
    return {
      path: o.out,
      bytes,
      account: email,
      activities: items.length,
      activity_fits: activityFits,
      other_fits: fits.length - activityFits,
      days: dates.length,
      parts: partPaths.length,
      corrupt_entries: corrupted,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
