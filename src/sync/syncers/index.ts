import type { Syncer } from '../syncer.js';
import { activitiesSyncer } from './activities.syncer.js';
import { archiveSyncer } from './archive.syncer.js';
import { healthSyncer } from './health.syncer.js';
import { workoutsSyncer } from './workouts.syncer.js';

/**
 * Every syncer of the service, one per sync type: a new syncer is one file beside these and one
 * entry here (the registry refuses a type with none or two at start-up).
 */
export const SYNCERS: readonly Syncer[] = [activitiesSyncer, healthSyncer, workoutsSyncer, archiveSyncer];
