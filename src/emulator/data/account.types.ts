/**
 * The public types of an account's dataset: the contract with the emulator's server and
 * control API.
 */
export interface DatasetOptions {
  seed: number;
  /** How many activities exist upstream at start. */
  activities: number;
  /** How many days of daily health data, ending at endDate. */
  days: number;
  workouts: number;
  /** Last calendar day with data, YYYY-MM-DD (usually "today"). Same seed + endDate → same bytes. */
  endDate: string;
  /** How many generated FIT files (and their ZIPs) are kept in memory; default 64. */
  fitCacheSize?: number;
  /**
   * Epoch ms before which every initial activity must have ended (the emulator passes its clock's
   * "now" when the end date is today), so that no activity lies in the future. Same seed + endDate
   * + notAfterMs → same bytes.
   */
  notAfterMs?: number;
}

export interface AccountIdentity {
  accountId: string;
  email: string;
  displayName: string;
  fullName: string;
  profileId: number;
  garminGUID: string;
}
