import type { Kysely } from 'kysely';
import type { AuthTables } from './auth.tables.js';

/** The auth repositories' view of the database: only the auth tables. */
export type AuthDb = Kysely<AuthTables>;

/**
 * Narrows a Kysely over the whole `Database` (or any schema that contains the auth tables) to the
 * auth tables. Kysely's generic is invariant, so a `Kysely<SyncTables & AuthTables>` is not
 * assignable to `Kysely<AuthTables>` although every query on the latter is valid on the former;
 * the `DB extends AuthTables` bound is what makes this one cast safe.
 */
export function authDb<DB extends AuthTables>(db: Kysely<DB>): AuthDb {
  return db as unknown as AuthDb;
}

/** 0/1 integers stand in for booleans (better-sqlite3 cannot bind JS booleans). */
export const toFlag = (b: boolean): number => (b ? 1 : 0);
export const fromFlag = (n: number | boolean | null | undefined): boolean => n === 1 || n === true;
