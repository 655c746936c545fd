import type { AccountIdentity, DatasetOptions } from './account.types.js';

/** A fixed identity and small dataset options for the data tests. */
export const TEST_IDENTITY: AccountIdentity = {
  accountId: '81234567',
  email: 'demo@example.com',
  displayName: 'demo_1234',
  fullName: 'Demo Runner',
  profileId: 81234567,
  garminGUID: '00000000-0000-4000-8000-00000000de30',
};

export const TEST_OPTIONS: DatasetOptions = { seed: 7, activities: 120, days: 60, workouts: 6, endDate: '2026-11-27' };
