import { Decoder, Stream } from '@garmin/fitsdk';

/**
 * What the importer needs to know of an archive FIT file: its `file_id.type` (most uploaded
 * files are monitoring, sleep or housekeeping files, not activities: garmin-archive.md §4) and,
 * for an activity, the session start (to match it to its activity). Integrity is checked
 * separately with the same verification as API downloads.
 */
export interface FitFacts {
  type: string | number | undefined;
  /** Session start (epoch ms), for activity files. */
  startMs: number | undefined;
}

export function inspectFit(bytes: Uint8Array): FitFacts {
  const { messages } = new Decoder(Stream.fromByteArray(bytes)).read({
    expandComponents: false,
    expandSubFields: false,
    mergeHeartRates: false,
  });
  const fileId = (messages.fileIdMesgs as { type?: string | number }[] | undefined)?.[0];
  const session = (messages.sessionMesgs as { startTime?: Date }[] | undefined)?.[0];
  const start = session?.startTime ?? undefined;
  return { type: fileId?.type, startMs: start instanceof Date ? start.getTime() : undefined };
}
