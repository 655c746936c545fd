export * from './clock.js';
export * from './errors.js';
export * from './sync-job.js';
export * from './ids.js';
export * from './garmin-id.js';
export * from './logger.js';
export * from './calendar-date.js';
export * from './health-metrics.js';
