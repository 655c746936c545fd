import { isAppError, type JobProbe } from '../../core/index.js';
import { parseGarminGmt } from '../dates.js';
import type { SyncerContext } from '../syncer.js';

/**
 * How often a run reads the detail of every recent activity (for edits its list summary does not
 * show); between those runs only changed summaries cost a detail. A scheduled run lists at least
 * this often even when nothing was uploaded.
 */
export const EDIT_CHECK_EVERY_MS = 86_400_000;

/** Probe errors after which the run simply lists as usual (the probe is an optimisation only). */
const PROBE_SOFT_ERRORS = new Set(['GARMIN_PROTOCOL_CHANGED', 'GARMIN_NOT_FOUND', 'GARMIN_UNAVAILABLE']);

/**
 * The change probe of a scheduled activities run (issue 15): one request for the account's last
 * device upload, compared with what the last successful probed run saw (`previous`; undefined:
 * none did). Records the probe on the job. A probe that fails softly counts as "changed".
 */
export async function probeLastUpload(ctx: SyncerContext, previous: number | null | undefined): Promise<JobProbe> {
  let probe: JobProbe;
  try {
    const { uploadTimeMs } = await ctx.garmin((g, signal) => g.getLastUsedDevice(signal));
    probe = {
      upload_time: uploadTimeMs,
      previous_upload_time: previous ?? null,
      changed: previous === undefined || uploadTimeMs !== previous,
    };
  } catch (e) {
    if (!isAppError(e) || !PROBE_SOFT_ERRORS.has(e.code)) throw e;
    ctx.logger.warn({ code: e.code }, 'change probe failed; listing as usual');
    probe = { upload_time: null, previous_upload_time: previous ?? null, changed: true, error_code: e.code };
  }
  await ctx.recordProbe(probe);
  return probe;
}

/**
 * Garmin's last-update time of an activity (its detail's `metadataDTO.lastUpdateDate`, GMT), epoch
 * ms; null when the detail does not say.
 */
export async function lastUpdateOf(ctx: SyncerContext, activityId: number): Promise<number | null> {
  const detail = await ctx.garmin((g, signal) => g.getActivity(activityId, signal));
  const meta = detail.metadataDTO;
  const v = typeof meta === 'object' && meta !== null ? (meta as { lastUpdateDate?: unknown }).lastUpdateDate : undefined;
  return typeof v === 'string' ? parseGarminGmt(v) : null;
}
