import type { AuthService, Principal } from '../auth/index.js';
import type { ActivityRepository, BlobStore, HealthDayRepository, WorkoutRepository } from '../store/index.js';
import type { SyncService } from '../sync/index.js';

export type { Principal };

/** What the routes need from the auth room. */
export type AuthApi = Pick<AuthService, 'login' | 'completeMfa' | 'refresh' | 'logout' | 'authenticate' | 'session' | 'importTokens'>;

/** What the routes need from the sync room. */
export type SyncApi = Pick<SyncService, 'create' | 'list' | 'get' | 'cancel' | 'watch' | 'failures'>;

/** Read access to what was synced. */
export interface DataApi {
  activities: ActivityRepository;
  health: HealthDayRepository;
  workouts: WorkoutRepository;
  blobs: BlobStore;
}
