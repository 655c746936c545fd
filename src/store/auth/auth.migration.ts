import type { Kysely } from 'kysely';

/**
 * Migration "002_auth": creates the auth tables of auth.tables.ts.
 * Written with Kysely's schema builder only (no raw SQL) so that it runs on SQLite and PostgreSQL
 * alike: timestamps are `bigint` (SQLite: INTEGER affinity, 64-bit), booleans `integer` 0/1.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('garmin_username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text')
    .addColumn('garmin_profile_id', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('garmin_accounts')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.user_id').onDelete('cascade'))
    .addColumn('tokens_enc', 'text')
    .addColumn('token_kind', 'text')
    .addColumn('access_expires_at', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('refresh_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('mfa_enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoke_reason', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('rotated_refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.session_id').onDelete('cascade'))
    .addColumn('rotated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('auth_tokens')
    .addColumn('token_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.session_id').onDelete('cascade'))
    .addColumn('token_type', 'text', (c) => c.notNull())
    .addColumn('expires_in', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('mfa_verified', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_tokens_session_idx').on('auth_tokens').columns(['session_id', 'created_at']).execute();

  await db.schema
    .createTable('mfa_challenges')
    .addColumn('challenge_id', 'text', (c) => c.primaryKey())
    .addColumn('garmin_username', 'text', (c) => c.notNull())
    .addColumn('state_enc', 'text', (c) => c.notNull())
    .addColumn('mfa_method', 'text', (c) => c.notNull())
    .addColumn('attempts_left', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .execute();

  await db.schema
    .createTable('auth_rate_counters')
    .addColumn('counter_key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('garmin_circuits')
    .addColumn('garmin_username', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('open_until', 'bigint')
    .addColumn('last_failure_at', 'bigint')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'garmin_circuits',
    'auth_rate_counters',
    'mfa_challenges',
    'auth_tokens',
    'rotated_refresh_tokens',
    'sessions',
    'garmin_accounts',
    'users',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
