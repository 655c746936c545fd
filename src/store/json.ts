import { AppError } from '../core/index.js';

/** 0/1 integers stand in for booleans (better-sqlite3 cannot bind JS booleans). */
export const fromFlag = (n: number | boolean | null | undefined): boolean => n === 1 || n === true;

/** Opaque cursor for keyset paging: base64url of a JSON array of the sort key. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** What one part of a cursor's sort key is: a safe integer (epoch ms) or a NUL-free string. */
export type CursorPart = 'integer' | 'string';
type CursorValues<S extends readonly CursorPart[]> = { -readonly [K in keyof S]: S[K] extends 'integer' ? number : string };

/** The longest string part a cursor may carry (ids and names are far shorter). */
const MAX_CURSOR_STRING = 1024;

/**
 * Decodes a cursor made by {@link encodeCursor} and checks that it is exactly `shape`: as many
 * parts, each a safe integer or a string without NUL of at most 1,024 characters. Anything else
 * is VALIDATION_FAILED (400), so a forged cursor (`[1.5,"x"]`, `[1e300,"x"]`, a NUL byte) never
 * reaches SQL, where PostgreSQL refused it with an error that became a 500 (issue 12.3).
 */
export function decodeCursor<const S extends readonly CursorPart[]>(cursor: string, shape: S): CursorValues<S> {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  const fits =
    Array.isArray(v) &&
    v.length === shape.length &&
    shape.every((part, i) =>
      part === 'integer'
        ? Number.isSafeInteger(v[i])
        : typeof v[i] === 'string' && v[i].length <= MAX_CURSOR_STRING && !v[i].includes('\u0000'),
    );
  if (!fits)
    throw new AppError('VALIDATION_FAILED', 'The cursor is not valid; use the next_cursor of a previous page.', {
      errors: [{ path: '/cursor', message: 'invalid cursor' }],
    });
  return v as CursorValues<S>;
}
