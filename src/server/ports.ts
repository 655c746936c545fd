import type { AuthService, Principal } from '../auth/index.js';
import type {
  ArchiveImportService,
  CoverageService,
  HealthDataService,
  ScheduleService,
  SyncedDataService,
  SyncService,
} from '../sync/index.js';

export type { Principal };

/** What the routes need from the auth room. */
export type AuthApi = Pick<AuthService, 'login' | 'completeMfa' | 'refresh' | 'logout' | 'authenticate' | 'session' | 'importTokens'>;

/** What the routes need from the sync room. */
export type SyncApi = Pick<SyncService, 'create' | 'list' | 'get' | 'cancel' | 'watch' | 'failures'>;

/** What the activities and workouts routes need: the sync room's read side. */
export type SyncedDataApi = Pick<
  SyncedDataService,
  'listActivities' | 'activitySports' | 'activity' | 'activityDetails' | 'activityFit' | 'listWorkouts' | 'workout' | 'workoutFit'
>;

/** Read access to what was synced. */
export interface DataApi {
  /** Activities and workouts (with their FIT files). */
  synced: SyncedDataApi;
}

/** What the health routes need: the health data service. */
export type HealthApi = Pick<HealthDataService, 'listDays' | 'getDay'>;

/** What the import routes need: archive uploads and their reports. */
export type ImportsApi = Pick<ArchiveImportService, 'upload' | 'get' | 'list' | 'maxBytes'>;

/** What the coverage route needs. */
export type CoverageApi = Pick<CoverageService, 'report'>;

/** What the schedule routes need: set, show and clear a user's schedules. */
export type SchedulesApi = Pick<ScheduleService, 'set' | 'list' | 'clear' | 'minIntervalMs'>;
