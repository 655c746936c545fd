/**
 * Kysely table types of the auth tables (users, garmin accounts, sessions, tokens, MFA challenges, …).
 * PLACEHOLDER: owned by the auth engineer; merged into the store's Database interface.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AuthTables {}
