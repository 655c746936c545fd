/**
 * The sync room's readers of untyped upstream JSON (Connect payloads, archive records): one
 * definition of "an object" and "a finite number", so the archive mapping, the fetch and the
 * day list agree on what counts as missing.
 */
export type Json = Record<string, unknown>;

/** A plain object (not null, not an array). */
export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value when it is a plain object, else undefined (for `?.` chains). */
export const obj = (v: unknown): Json | undefined => (isObj(v) ? v : undefined);

/** A finite number, else null (NaN, Infinity, strings and absent values are null). */
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
