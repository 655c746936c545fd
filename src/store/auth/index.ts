/**
 * The auth part of the store: tables, migration "002_auth" and repositories. Re-exported by
 * src/store/index.ts; the auth room uses these through the store's index only.
 */
export type * from './auth.tables.js';
export * as authMigration from './auth.migration.js';
export { authDb, toFlag, fromFlag, type AuthDb } from './auth-db.js';
export * from './users.repository.js';
export * from './garmin-accounts.repository.js';
export * from './sessions.repository.js';
export * from './auth-tokens.repository.js';
export * from './mfa-challenges.repository.js';
export * from './auth-limits.repository.js';
export * from './auth.repositories.js';
