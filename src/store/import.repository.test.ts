import { describe, expect, it } from 'vitest';
import { testDialects } from './testing/dialects.js';
import { freshStoreEach } from './testing/fresh-store.js';

const T0 = Date.UTC(2026, 10, 27, 12);

describe.each(testDialects())('archive imports in the store on $name', ({ open }) => {
  const fresh = freshStoreEach(open);

  it('stores an upload as ordered binary chunks, ready only when finished, and drops the chunks after the import', async () => {
    await fresh.store.imports.begin('i1', 'u1', T0);
    const bytes = [Buffer.from([0, 1, 2, 255, 0]), Buffer.alloc(70_000, 7), Buffer.from('PK\u0000\u0003')];
    for (const [seq, b] of bytes.entries()) await fresh.store.imports.appendChunk('i1', seq, b);
    expect((await fresh.store.imports.get('i1'))!.state).toBe('uploading');
    await fresh.store.imports.finishUpload('i1', { size_bytes: 70_009, sha256: 'f'.repeat(64), chunk_count: 3, job_id: 'j1' }, T0 + 1);
    const rec = (await fresh.store.imports.get('i1'))!;
    expect(rec).toMatchObject({ state: 'ready', size_bytes: 70_009, chunk_count: 3, job_id: 'j1', user_id: 'u1' });
    const back: Buffer[] = [];
    for await (const c of fresh.store.imports.chunks('i1', rec.chunk_count)) back.push(c);
    expect(Buffer.concat(back).equals(Buffer.concat(bytes))).toBe(true);
    await fresh.store.imports.finishImport('i1', 'imported', { activities: 3 }, T0 + 2);
    expect((await fresh.store.imports.get('i1'))!).toMatchObject({ state: 'imported', report: { activities: 3 } });
    await expect(async () => {
      for await (const _ of fresh.store.imports.chunks('i1', 1)) void _;
    }).rejects.toThrow(/missing/);
  });

  it('discards uploads that never finished, and only those', async () => {
    await fresh.store.imports.begin('old', 'u1', T0);
    await fresh.store.imports.appendChunk('old', 0, Buffer.from('x'));
    await fresh.store.imports.begin('new', 'u1', T0 + 10_000);
    await fresh.store.imports.begin('done', 'u1', T0);
    await fresh.store.imports.finishUpload('done', { size_bytes: 0, sha256: 'e'.repeat(64), chunk_count: 0, job_id: 'j' }, T0);
    expect(await fresh.store.imports.discardStaleUploads(T0 + 5000)).toBe(1);
    expect(await fresh.store.imports.get('old')).toBeUndefined();
    expect((await fresh.store.imports.list('u1')).map((i) => i.import_id).sort()).toEqual(['done', 'new']);
  });

  it('keeps an unmatched FIT once by content; a later import that finds it again takes it over', async () => {
    const fit = { sha256: 'a'.repeat(64), size_bytes: 10, entry_name: 'x_1.fit', start_time: T0, import_id: 'i1' };
    await fresh.store.imports.recordUnmatched('u1', fit, T0);
    expect(await fresh.store.imports.unmatched('u1', 'i1')).toEqual([fit]);
    const again = { ...fit, import_id: 'i2', entry_name: 'y_1.fit' };
    await fresh.store.imports.recordUnmatched('u1', again, T0);
    // One row per content; each import's report lists the unmatched FITs it found (afc8376).
    expect(await fresh.store.imports.unmatched('u1')).toEqual([again]);
    expect(await fresh.store.imports.unmatched('u1', 'i1')).toEqual([]);
  });

  it("never lets an archive summary replace the API's, attaches a FIT only where none is stored", async () => {
    const base = {
      user_id: 'u1',
      sport: 'running',
      start_time: T0,
      duration_seconds: 60,
      distance_meters: 100,
      calories: 5,
      average_hr: 120,
      job_id: 'j',
    };
    await fresh.store.activities.upsert(
      { ...base, activity_id: '1', name: 'API name', raw: { from: 'api' }, fit: { sha256: 'b'.repeat(64), size_bytes: 5 } },
      T0,
    );
    await fresh.store.activities.upsertFromArchive({ ...base, activity_id: '1', name: 'Archive name', raw: { from: 'archive' } }, T0 + 1);
    await fresh.store.activities.upsertFromArchive(
      { ...base, activity_id: '2', name: 'Only in archive', raw: { from: 'archive' } },
      T0 + 1,
    );
    await fresh.store.activities.upsertFromArchive({ ...base, activity_id: '2', name: 'Re-imported', raw: { from: 'archive' } }, T0 + 2);
    expect((await fresh.store.activities.get('u1', '1'))!.name).toBe('API name');
    expect((await fresh.store.activities.get('u1', '2'))!).toMatchObject({ name: 'Re-imported', fit: null });
    expect(await fresh.store.activities.attachFit('u1', '1', { sha256: 'c'.repeat(64), size_bytes: 9 }, T0)).toBe(false);
    expect(await fresh.store.activities.attachFit('u1', '2', { sha256: 'c'.repeat(64), size_bytes: 9 }, T0)).toBe(true);
    expect((await fresh.store.activities.get('u1', '1'))!.fit!.sha256).toBe('b'.repeat(64));
    const sources = await fresh.store.activities.sources('u1', ['1', '2', '3']);
    expect(sources.get('1')).toEqual({ source: 'api', fit: { sha256: 'b'.repeat(64), size_bytes: 5 } });
    expect(sources.get('2')!.source).toBe('archive');
    expect(sources.has('3')).toBe(false);
    // The API's copy replaces the archive's.
    await fresh.store.activities.upsert(
      { ...base, activity_id: '2', name: 'API wins', raw: { from: 'api' }, fit: { sha256: 'c'.repeat(64), size_bytes: 9 } },
      T0 + 3,
    );
    expect((await fresh.store.activities.sources('u1', ['2'])).get('2')!.source).toBe('api');
  });

  it("imports a health family without ever replacing the API's copy", async () => {
    const api = {
      family: 'summary' as const,
      payload: { totalSteps: 1 },
      state: 'present' as const,
      source: 'api' as const,
      fetched_at: T0,
      complete: true,
    };
    await fresh.store.healthMetrics.upsertDay('u1', '2026-10-01', [api], 'j-api');
    expect(
      await fresh.store.healthMetrics.importDay(
        'u1',
        '2026-10-01',
        { family: 'summary', payload: { totalSteps: 2 }, fetched_at: T0 + 1 },
        'j-arch',
      ),
    ).toBe(true);
    expect(
      await fresh.store.healthMetrics.importDay(
        'u1',
        '2026-10-02',
        { family: 'summary', payload: { totalSteps: 3 }, fetched_at: T0 + 1 },
        'j-arch',
      ),
    ).toBe(false);
    expect(
      await fresh.store.healthMetrics.importDay(
        'u1',
        '2026-10-02',
        { family: 'summary', payload: { totalSteps: 4 }, fetched_at: T0 + 2 },
        'j-arch',
      ),
    ).toBe(false);
    const [kept] = await fresh.store.healthMetrics.getDay('u1', '2026-10-01');
    expect(kept).toMatchObject({ payload: { totalSteps: 1 }, source: 'api', job_id: 'j-api' });
    const [imported] = await fresh.store.healthMetrics.getDay('u1', '2026-10-02');
    expect(imported).toMatchObject({ payload: { totalSteps: 4 }, source: 'archive', state: 'present', complete: true });
    // A later API sync replaces the archive's copy.
    await fresh.store.healthMetrics.upsertDay('u1', '2026-10-02', [{ ...api, payload: { totalSteps: 5 } }], 'j-api2');
    expect((await fresh.store.healthMetrics.getDay('u1', '2026-10-02'))[0]).toMatchObject({ payload: { totalSteps: 5 }, source: 'api' });
  });
});
