import { Type, type Static } from 'typebox';
import { NullableTimestamp, Timestamp } from './common.js';
import { SyncJob } from './sync.js';

/**
 * Imports of Garmin's "Export Your Data" archive (issue 16): the archive is uploaded as the raw
 * request body of `POST /imports` (application/zip), kept by the service until a job of type
 * `archive` has imported it.
 */
export const ImportState = Type.Union([Type.Literal('uploading'), Type.Literal('ready'), Type.Literal('imported'), Type.Literal('failed')]);

export const ImportIdParams = Type.Object({ import_id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) }, { additionalProperties: false });
export type ImportIdParams = Static<typeof ImportIdParams>;

/** What an import found and did, filled in when its job ends. */
export const ImportReport = Type.Object({
  activities: Type.Integer({ description: 'activity records read from the summaries' }),
  activities_stored: Type.Integer({ description: 'activities new or refreshed from the archive (the API’s copy is never replaced)' }),
  fit_files: Type.Integer({ description: 'FIT files read from the uploaded-files parts' }),
  activity_fits_matched: Type.Integer({ description: 'activity FITs matched to their activity by start time' }),
  activity_fits_unmatched: Type.Integer({ description: 'activity FITs that matched no activity: kept and listed in unmatched_fits' }),
  other_fits: Type.Integer({ description: 'monitoring, sleep and other non-activity FIT files (not imported)' }),
  health_days: Type.Integer({ description: 'days with at least one health family from the archive' }),
  health_records_kept_api: Type.Integer({ description: 'health families the API had already synced (kept: the API’s wins)' }),
  skipped_entries: Type.Array(Type.Object({ path: Type.String(), code: Type.String(), message: Type.String() }), {
    description: 'entries that could not be read or verified, skipped',
  }),
  unmatched_fits: Type.Array(
    Type.Object({ entry_name: Type.String(), sha256: Type.String(), size_bytes: Type.Integer(), start_time: NullableTimestamp }),
  ),
});
export type ImportReport = Static<typeof ImportReport>;

export const ArchiveImport = Type.Object({
  import_id: Type.String(),
  state: ImportState,
  size_bytes: Type.Integer(),
  sha256: Type.Union([Type.String(), Type.Null()]),
  job_id: Type.Union([Type.String(), Type.Null()], { description: 'the archive job that imports it (sync_type "archive")' }),
  report: Type.Union([ImportReport, Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type ArchiveImport = Static<typeof ArchiveImport>;

export const ImportList = Type.Object({
  max_bytes: Type.Integer({ description: 'the largest archive this service accepts, in bytes' }),
  items: Type.Array(ArchiveImport),
});
export type ImportList = Static<typeof ImportList>;

/** `POST /imports` (202): the stored upload and the `archive` job that imports it. */
export const ImportCreated = Type.Object({ import: ArchiveImport, job: SyncJob });
export type ImportCreated = Static<typeof ImportCreated>;
