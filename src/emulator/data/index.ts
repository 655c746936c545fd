/**
 * Seeded Garmin account data (activities with FIT files, daily health, workouts).
 * PLACEHOLDER signatures: the data helper replaces the bodies; the signatures are the contract
 * with the emulator's server and control API.
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
}

export interface AccountIdentity {
  accountId: string;
  email: string;
  displayName: string;
  fullName: string;
  profileId: number;
  garminGUID: string;
}

export interface AccountData {
  identity: AccountIdentity;
  /** Adds `count` new activities after the newest one (to test incremental sync); returns their ids. */
  addActivities(count: number): number[];
  /** Number of activities currently upstream. */
  activityCount(): number;
}

export function createAccountData(identity: AccountIdentity, _options: DatasetOptions): AccountData {
  return {
    identity,
    addActivities: () => [],
    activityCount: () => 0,
  };
}
