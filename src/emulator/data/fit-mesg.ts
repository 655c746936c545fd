import type { Encoder } from '@garmin/fitsdk';

/**
 * FIT global message numbers used here (FIT profile; Profile.MesgNum is typed as a plain
 * record, so the literal numbers are spelled out once) and a cast helper for message objects
 * built field by field.
 */
export const MESG = {
  FILE_ID: 0,
  SESSION: 18,
  LAP: 19,
  RECORD: 20,
  EVENT: 21,
  DEVICE_INFO: 23,
  WORKOUT: 26,
  WORKOUT_STEP: 27,
  ACTIVITY: 34,
} as const;

export type FitMesg = Parameters<Encoder['writeMesg']>[0];

export function fitMesg(fields: Record<string, unknown> & { mesgNum: number }): FitMesg {
  return fields as unknown as FitMesg;
}
