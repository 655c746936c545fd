import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRegistry } from '../../src/emulator/accounts.js';
import { writeArchive } from '../../src/emulator/archive/archive.writer.js';
import { parseSummarizedActivities, toArchiveActivity } from '../../src/sync/archive/archive-activities.js';
import { entryKind, isFitContainer } from '../../src/sync/archive/archive-layout.js';
import { walkArchive, type ArchiveEntry } from '../../src/sync/archive/archive-zip.js';
import { FitMatcher } from '../../src/sync/archive/fit-matcher.js';
import { fitInspector } from '../../src/garmin/index.js';

const inspectFit = await fitInspector();

const OPTS = { seed: 5, activities: 25, days: 40, workouts: 2, endDate: '2026-10-31', account: 'demo@example.com', partSize: 30 };

/** Entries with their bytes, read while the walk is on them (an entry is readable only then). */
async function collect(
  file: string,
  tmp: string,
  wanted: (p: string) => boolean = (p) => entryKind(p) !== undefined,
): Promise<(ArchiveEntry & { bytes: Buffer })[]> {
  const out: (ArchiveEntry & { bytes: Buffer })[] = [];
  for await (const e of walkArchive(file, { descend: isFitContainer, wanted, tmpDir: tmp }))
    out.push({ ...e, bytes: await e.read(64 << 20) });
  return out;
}

describe('reading a Garmin account-export archive', () => {
  let dir: string;
  let file: string;
  const data = new AccountRegistry(OPTS.seed, OPTS).byEmail(OPTS.account)!.data;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gs-archive-read-'));
    file = join(dir, 'export.zip');
    await writeArchive({ ...OPTS, out: file });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('finds the families by pattern, descends into the nested parts in place, and never yields personal files', async () => {
    const seen: string[] = [];
    const entries = await collect(file, dir, (p) => {
      seen.push(p);
      return entryKind(p) !== undefined;
    });
    expect(seen.some((p) => p.startsWith('customer_data/'))).toBe(true);
    for (const e of entries) expect(e.path).not.toMatch(/customer_data|user_contact|IT_CONSENT|IT_ORDERS/);
    const kinds = entries.map((e) => entryKind(e.path));
    expect(kinds.filter((k) => k === 'activities')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'daily_summary')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'fit').length).toBeGreaterThan(25);
    expect(entries.some((e) => e.path.includes('UploadedFiles_0-_Part2.zip!/UploadedFiles_0-_Part2/'))).toBe(true);
  });

  it('reads activity records in our units and matches every activity FIT to its activity by start time', async () => {
    const entries = await collect(file, dir);
    const summaries = entries.find((e) => entryKind(e.path) === 'activities')!;
    const records = parseSummarizedActivities(summaries.bytes.toString('utf8'), summaries.path);
    const activities = records.map(toArchiveActivity).filter((a) => a !== undefined);
    expect(activities).toHaveLength(25);
    const api = data.searchActivities({ start: 0, limit: 100, sortOrder: 'asc' });
    for (const [i, a] of activities.entries()) {
      expect(a.activity_id).toBe(String(api[i]!.activityId));
      expect(a.start_time).toBe(api[i]!.beginTimestamp);
      expect(a.distance_meters).toBeCloseTo(api[i]!.distance as number, 3);
      expect(a.duration_seconds).toBeCloseTo(api[i]!.duration as number, 3);
    }
    const matcher = new FitMatcher(activities.map((a) => ({ activityId: a.activity_id, start: a.start_time })));
    let matched = 0;
    for (const e of entries.filter((x) => entryKind(x.path) === 'fit')) {
      const bytes = e.bytes;
      const facts = inspectFit(bytes);
      if (facts.type !== 'activity') continue;
      const id = matcher.match(facts.startMs!)!;
      expect(bytes.equals(Buffer.from(data.fitBytes(Number(id))!))).toBe(true);
      matched++;
    }
    expect(matched).toBe(25);
  });

  it('reads a deflated nested ZIP through a temporary copy, and says clearly when a file is no ZIP or an entry is broken', async () => {
    const inner = zipSync({ 'a.fit': new Uint8Array([1, 2, 3]) });
    const outer = zipSync({ 'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip': [inner, { level: 6 }] });
    const nested = join(dir, 'nested.zip');
    await writeFile(nested, outer);
    const entries = await collect(nested, dir);
    expect(entries.map((e) => e.path)).toEqual(['DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!/a.fit']);
    expect([...entries[0]!.bytes]).toEqual([1, 2, 3]);
    let tooLarge: unknown;
    for await (const e of walkArchive(nested, { descend: isFitContainer, wanted: () => true, tmpDir: dir }))
      tooLarge ??= await e.read(2).catch((x: unknown) => x);
    expect(tooLarge).toMatchObject({ code: 'ARCHIVE_ENTRY_TOO_LARGE' });

    const notZip = join(dir, 'not.zip');
    await writeFile(notZip, 'hello, this is not a zip');
    await expect(collect(notZip, dir)).rejects.toMatchObject({ code: 'ARCHIVE_INVALID' });

    const broken = zipSync({
      'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip': [new Uint8Array([80, 75, 3, 4, 9, 9, 9]), { level: 0 }],
    });
    const brokenFile = join(dir, 'broken.zip');
    await writeFile(brokenFile, broken);
    await expect(collect(brokenFile, dir)).rejects.toMatchObject({ code: 'ARCHIVE_ENTRY_CORRUPT' });
  });

  it('refuses an entry whose bytes do not match its CRC-32 or whose deflate stream is damaged, and still reads the others', async () => {
    const body = Buffer.from('{"calendarDate":"2026-10-01"}'.repeat(50));
    const name = (i: number) => `DI_CONNECT/DI-Connect-Aggregator/UDSFile_2026-10-0${i}_2026-10-0${i}.json`;
    for (const level of [0, 6] as const) {
      const zip = Buffer.from(zipSync({ [name(1)]: [body, { level }], [name(2)]: [body, { level }] }));
      // Damage the first entry's data (a stored byte, or the deflate stream) in place.
      const at = zip.indexOf(Buffer.from(name(1))) + name(1).length + 40;
      zip[at] = zip[at]! ^ 0xff;
      const damaged = join(dir, `damaged-${level}.zip`);
      await writeFile(damaged, zip);
      const results: { path: string; code?: string; bytes?: Buffer }[] = [];
      for await (const e of walkArchive(damaged, { descend: isFitContainer, wanted: () => true, tmpDir: dir }))
        results.push(
          await e.read(1 << 20).then(
            (bytes) => ({ path: e.path, bytes }),
            (x: { code: string }) => ({ path: e.path, code: x.code }),
          ),
        );
      expect(results.map((r) => [r.path, r.code])).toEqual([
        [name(1), 'ARCHIVE_ENTRY_CORRUPT'],
        [name(2), undefined],
      ]);
      expect(results[1]!.bytes!.equals(body)).toBe(true);
    }
  });
});
