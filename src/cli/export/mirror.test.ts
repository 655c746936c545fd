import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Mirror, sha256Hex } from './mirror.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'garminsync-mirror-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const open = (force = false) => Mirror.open(root, { version: '0.0.0', server: 'http://127.0.0.1:1' }, { force, dryRun: false });
const activity = (id: string) => ({ type: 'activity' as const, id });

describe('Mirror', () => {
  it('pathsOf follows writes, re-attributions and retirements (its index is kept with the manifest)', async () => {
    const m = await open();
    const a = Buffer.from('fit of 1');
    await m.write('activities/2026/a.fit', a, sha256Hex(a), activity('1'));
    await m.put('activities/2026/a.gpx', Buffer.from('<gpx/>'), { ...activity('1'), from: sha256Hex(a) });
    expect(m.pathsOf('activity', '1').sort()).toEqual(['activities/2026/a.fit', 'activities/2026/a.gpx']);
    expect(m.pathsOf('activity', '2')).toEqual([]);
    // The same path now made from another source: listed under that one only.
    const b = Buffer.from('fit of 2');
    await m.write('activities/2026/a.fit', b, sha256Hex(b), activity('2'));
    expect(m.pathsOf('activity', '1')).toEqual(['activities/2026/a.gpx']);
    expect(m.pathsOf('activity', '2')).toEqual(['activities/2026/a.fit']);
    await m.retire('activities/2026/a.gpx');
    expect(m.pathsOf('activity', '1')).toEqual([]);
    expect(m.removed).toBe(1);
    await m.save('2026-12-02T00:00:00.000Z', true);

    // A new run reads the index from the saved manifest.
    const again = await open();
    expect(again.pathsOf('activity', '2')).toEqual(['activities/2026/a.fit']);
    expect(again.pathsOf('workout', '2')).toEqual([]);
  });

  it('an untouched file is unchanged (by size and mtime, no hashing); a file the user edited is kept and reported, unless force', async () => {
    const m = await open();
    const bytes = Buffer.from('original FIT bytes');
    const sha = sha256Hex(bytes);
    await m.write('w.fit', bytes, sha, activity('7'));
    await m.save('2026-12-02T00:00:00.000Z', true);

    const second = await open();
    expect(await second.plan('w.fit', sha, activity('7'))).toBe('unchanged');
    expect(second.kept).toEqual([]);

    // The user edits it (same length; a later mtime, as any editor leaves).
    await writeFile(join(root, 'w.fit'), Buffer.from('edited! FIT bytes!'));
    const later = new Date(second.manifest.files['w.fit']!.mtime_ms + 5000);
    await utimes(join(root, 'w.fit'), later, later);
    const third = await open();
    expect(await third.plan('w.fit', sha, activity('7'))).toBe('kept');
    expect(third.kept).toEqual([{ path: 'w.fit', reason: 'changed since the last export' }]);
    expect(await readFile(join(root, 'w.fit'), 'utf8')).toBe('edited! FIT bytes!');
    expect(await (await open(true)).plan('w.fit', sha, activity('7'))).toBe('write');
  });
});
