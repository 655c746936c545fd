import { Encoder } from '@garmin/fitsdk';
import { fitMesg } from '../data/fit-mesg.js';

/**
 * The FIT files of an archive that are not activities (garmin-archive.md §4): most uploaded files
 * are per-sync monitoring files (`file_id.type` 32, monitoring_b), sleep files (undocumented type
 * 49) and small housekeeping stubs (type 41). An importer must tell them from activities by
 * `file_id.type`, never by name or size.
 */
const MONITORING_INFO = 103;
const MONITORING = 55;
const PRODUCT_ID = 3113;

/** A day's monitoring_b file: one heart-rate sample an hour from local midnight. */
export function monitoringFit(dayStartGmtMs: number, serialNumber: number, restingHr: number): Uint8Array {
  const enc = new Encoder();
  enc.writeMesg(
    fitMesg({
      mesgNum: 0,
      type: 'monitoringB',
      manufacturer: 'garmin',
      product: PRODUCT_ID,
      serialNumber,
      timeCreated: new Date(dayStartGmtMs),
    }),
  );
  enc.writeMesg(fitMesg({ mesgNum: MONITORING_INFO, timestamp: new Date(dayStartGmtMs), localTimestamp: 0 }));
  for (let h = 0; h < 24; h++) {
    enc.writeMesg(
      fitMesg({
        mesgNum: MONITORING,
        timestamp: new Date(dayStartGmtMs + h * 3_600_000),
        heartRate: restingHr + ((h * 7) % 23),
        activityType: 'generic',
      }),
    );
  }
  return enc.close();
}

/** A file_id-only FIT of an undocumented type (49: sleep, 41: housekeeping stub). */
export function typedStubFit(type: 41 | 44 | 49, createdMs: number, serialNumber: number): Uint8Array {
  const enc = new Encoder();
  enc.writeMesg(fitMesg({ mesgNum: 0, type, manufacturer: 'garmin', product: PRODUCT_ID, serialNumber, timeCreated: new Date(createdMs) }));
  return enc.close();
}
