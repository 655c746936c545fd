import type { Kysely } from 'kysely';

/**
 * Migration "002_auth": creates the auth tables. PLACEHOLDER: owned by the auth engineer.
 * Written with Kysely's schema builder so that it runs on SQLite and PostgreSQL alike.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
