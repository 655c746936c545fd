/**
 * The wire contract between the service and the CLI (design.md §4). The server's route schemas
 * and OpenAPI come from here; the CLI types its API client with the same definitions.
 */
export * from './common.js';
export * from './auth.js';
export * from './sync.js';
export * from './schedules.js';
export * from './data.js';
export * from './health.js';
export * from './imports.js';
export * from './coverage.js';
export { HEALTH_FAMILY_SHAPES } from './health-families.js';
export * from './strings.js';
