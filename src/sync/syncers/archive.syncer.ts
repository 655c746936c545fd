import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { AppError, isAppError } from '../../core/index.js';
import { fitInspector, verifyFit } from '../../garmin/index.js';
import type { BlobRef, ImportRecord } from '../../store/index.js';
import { beginTimestampOf, parseSummarizedActivities, toArchiveActivity, type ArchiveActivity } from '../archive/archive-activities.js';
import { bioMetricsToWeight, healthStatusToHrv, sleepToSleep, udsToSummary, type ArchiveHealthRecord } from '../archive/archive-health.js';
import { entryKind, isFitContainer, type ArchiveEntryKind } from '../archive/archive-layout.js';
import { walkArchive, type ArchiveEntry } from '../archive/archive-zip.js';
import { ITEM_PREFIX, archiveReport, type WalkCounts } from '../archive/archive-report.js';
import { FitMatcher } from '../archive/fit-matcher.js';
import { defineSyncer, type SyncerContext } from '../syncer.js';

/**
 * Imports an uploaded Garmin account export (issue 16) through the same engine as every sync:
 * resume after a crash, per-item checkpoints, failures recorded and skipped, progress, cancel.
 * Two passes over the archive, streamed entry by entry: first the JSON families (activity
 * summaries, daily summaries, sleep, HRV, weight), then the FIT files of the uploaded-files parts,
 * each activity FIT matched to its activity by start time. Items carry their bytes (the engine
 * lists the next page while it works one), so a page never depends on where the walk is.
 */
type Item =
  | { key: string; kind: 'activity'; activity: ArchiveActivity }
  | { key: string; kind: 'health'; record: ArchiveHealthRecord }
  | { key: string; kind: 'fit'; name: string; bytes: Buffer; startMs: number | undefined }
  | { key: string; kind: 'broken'; error: AppError };
type Fetched = { ref: BlobRef; activityId: string | undefined } | null;

const PAGE = 200;
/** Archive names go to the database: control characters (NUL breaks PostgreSQL text) are dropped. */
const printable = (s: string) => [...s].filter((c) => c.charCodeAt(0) >= 32 && c !== '\u007f').join('');
const FIT_PAGE = 16;
const MAX_JSON_BYTES = 256 << 20;
const MAX_FIT_BYTES = 64 << 20;

const HEALTH: Partial<Record<ArchiveEntryKind, (records: unknown[]) => ArchiveHealthRecord[]>> = {
  daily_summary: udsToSummary,
  sleep: sleepToSleep,
  health_status: healthStatusToHrv,
  biometrics: bioMetricsToWeight,
};

function brokenItem(path: string, e: unknown): Item {
  const error = isAppError(e) ? e : new AppError('ARCHIVE_ENTRY_CORRUPT', `The archive entry ${path} cannot be read.`);
  return { key: `${ITEM_PREFIX.entry}${path}`, kind: 'broken', error };
}

/** Copies the upload from the database to a local file for random access (kept for a resumed attempt). */
async function materialize(ctx: SyncerContext, rec: ImportRecord, file: string): Promise<void> {
  const have = await stat(file).catch(() => undefined);
  if (have?.size === rec.size_bytes) return;
  await mkdir(ctx.settings.scratchDir, { recursive: true, mode: 0o700 });
  const out = createWriteStream(file, { mode: 0o600 });
  const hash = createHash('sha256');
  for await (const chunk of ctx.stored.imports.chunks(rec.import_id, rec.chunk_count)) {
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  if (hash.digest('hex') !== rec.sha256)
    throw new AppError('ARCHIVE_INVALID', 'The stored upload does not match its checksum; upload the archive again.');
}

export const archiveSyncer = defineSyncer<Item, Fetched>({
  type: 'archive',
  async open(ctx) {
    const importId = ctx.job.params.import_id;
    const rec = importId ? await ctx.stored.imports.get(importId) : undefined;
    if (!rec || rec.user_id !== ctx.job.user_id || rec.state === 'uploading')
      throw new AppError('ARCHIVE_INVALID', 'The archive of this job was not (fully) uploaded; upload it again.');
    if (!ctx.settings.scratchDir) throw new AppError('CONFIG_INVALID', 'The workers have no scratch directory for archive imports.');
    const userId = ctx.job.user_id;
    const file = join(ctx.settings.scratchDir, `import-${rec.import_id}.zip`);
    const index: { activityId: string; start: number }[] = [];
    // Counted by the walk (complete on every attempt); what was written is counted at the end from the store.
    const walked: WalkCounts = { activities: 0, fit_files: 0, other_fits: 0 };
    let matcher = new FitMatcher([]);
    const walk = (descend: (p: string) => boolean, wanted: (p: string) => boolean) =>
      walkArchive(file, { descend, wanted, tmpDir: ctx.settings.scratchDir, signal: ctx.signal });

    /** One JSON entry of the first pass as its items (a broken entry as one `broken` item). */
    const jsonItems = async (entry: ArchiveEntry): Promise<Item[]> => {
      const kind = entryKind(entry.path)!;
      let records: unknown[];
      try {
        const text = (await entry.read(MAX_JSON_BYTES)).toString('utf8');
        if (kind === 'activities') records = parseSummarizedActivities(text, entry.path);
        else {
          const doc = JSON.parse(text) as unknown;
          if (!Array.isArray(doc)) throw new AppError('ARCHIVE_ENTRY_CORRUPT', `The archive entry ${entry.path} is not a list of records.`);
          records = doc;
        }
      } catch (e) {
        return [
          brokenItem(
            entry.path,
            e instanceof SyntaxError ? new AppError('ARCHIVE_ENTRY_CORRUPT', `The archive entry ${entry.path} is not valid JSON.`) : e,
          ),
        ];
      }
      const items: Item[] = [];
      if (kind === 'activities') {
        for (const r of records as Record<string, unknown>[]) {
          const a = toArchiveActivity(r);
          if (!a) continue;
          walked.activities++;
          index.push({ activityId: a.activity_id, start: beginTimestampOf(r) ?? a.start_time });
          items.push({ key: `${ITEM_PREFIX.activity}${a.activity_id}`, kind: 'activity', activity: a });
        }
      } else {
        for (const record of HEALTH[kind]?.(records) ?? [])
          items.push({ key: `${ITEM_PREFIX.health}${record.family}:${record.date}`, kind: 'health', record });
      }
      return items;
    };

    return {
      async *pages() {
        await materialize(ctx, rec, file);
        try {
          // Pass 1: the JSON families. Nested ZIPs are not opened.
          for await (const entry of walk(
            () => false,
            (p) => {
              const k = entryKind(p);
              return k !== undefined && k !== 'fit';
            },
          )) {
            const items = await jsonItems(entry);
            for (let i = 0; i < items.length; i += PAGE) yield items.slice(i, i + PAGE);
          }
          matcher = new FitMatcher(index);
          // Pass 2: the FIT files of the uploaded-files parts; only activity files become items.
          const inspectFit = await fitInspector();
          let page: Item[] = [];
          for await (const entry of walk(isFitContainer, (p) => entryKind(p) === 'fit')) {
            walked.fit_files++;
            let bytes: Buffer;
            try {
              bytes = await entry.read(MAX_FIT_BYTES);
            } catch (e) {
              page.push(brokenItem(entry.path, e));
              continue;
            }
            const facts = inspectFit(bytes);
            // An unreadable file_id may be a damaged activity: verification decides (and reports it).
            if (facts.type !== 'activity' && facts.type !== undefined) {
              walked.other_fits++;
              continue;
            }
            page.push({
              key: `${ITEM_PREFIX.fit}${entry.path}`,
              kind: 'fit',
              name: entry.name.split('/').pop()!,
              bytes,
              startMs: facts.startMs,
            });
            if (page.length >= FIT_PAGE) {
              yield page;
              page = [];
            }
          }
          if (page.length > 0) yield page;
        } finally {
          await rm(file, { force: true });
        }
      },
      async fetch(item) {
        if (item.kind === 'broken') throw item.error;
        if (item.kind !== 'fit') return null;
        verifyFit(item.bytes);
        const ref = await ctx.putBlob(item.bytes);
        return { ref, activityId: item.startMs === undefined ? undefined : matcher.match(item.startMs) };
      },
      async write(tx, item, fetched) {
        const now = ctx.now();
        if (item.kind === 'activity') {
          await tx.activities.upsertFromArchive({ ...item.activity, user_id: userId, job_id: ctx.job.job_id }, now);
        } else if (item.kind === 'health') {
          await tx.healthMetrics.importDay(
            userId,
            item.record.date,
            { family: item.record.family, payload: item.record.payload, fetched_at: now },
            ctx.job.job_id,
          );
        } else if (item.kind === 'fit' && fetched) {
          if (fetched.activityId) {
            await tx.activities.attachFit(userId, fetched.activityId, { sha256: fetched.ref.sha256, size_bytes: fetched.ref.size }, now);
          } else {
            await tx.imports.recordUnmatched(
              userId,
              {
                sha256: fetched.ref.sha256,
                size_bytes: fetched.ref.size,
                entry_name: printable(item.name).slice(0, 300),
                start_time: item.startMs ?? null,
                import_id: rec.import_id,
              },
              now,
            );
          }
        }
      },
      async complete(tx) {
        const report = await archiveReport(tx, {
          userId,
          jobId: ctx.job.job_id,
          importId: rec.import_id,
          walk: walked,
        });
        await tx.imports.finishImport(rec.import_id, 'imported', report, ctx.now());
      },
    };
  },
});
