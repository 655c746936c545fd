/** 0/1 integers stand in for booleans (better-sqlite3 cannot bind JS booleans). */
export const fromFlag = (n: number | boolean | null | undefined): boolean => n === 1 || n === true;

/** Opaque cursor for keyset paging: base64url of a JSON array of the sort key. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; returns undefined when it is not one. */
export function decodeCursor(cursor: string): unknown[] | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
