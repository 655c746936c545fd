/**
 * Seeded Garmin account data (activities with FIT files, daily health, workouts) for the
 * emulator. Same seed + same options → byte-identical JSON and FIT.
 */
export type { AccountIdentity, DatasetOptions } from './account.types.js';
export { createAccountData, type AccountData, type ActivitySearch } from './account-data.js';
export { parseCalendarDate, formatCalendarDate } from './time.js';
