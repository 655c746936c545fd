/**
 * Schema checks at the edge (style.md rule 6): only the fields the client relies on are checked;
 * anything unexpected becomes GARMIN_PROTOCOL_CHANGED naming the endpoint and field, which is
 * how we notice the next time Garmin changes its answers.
 */
import { AppError } from '../core/index.js';

export type Json = Record<string, unknown>;

export function protocolChanged(label: string, what: string): AppError {
  return new AppError('GARMIN_PROTOCOL_CHANGED', `Garmin's answer to ${label} changed shape: ${what}.`, { endpoint: label, field: what });
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function expectObject(v: unknown, label: string, what = 'body'): Json {
  if (!isObject(v)) throw protocolChanged(label, `${what} is not an object`);
  return v;
}

export function expectArray(v: unknown, label: string, what = 'body'): unknown[] {
  if (!Array.isArray(v)) throw protocolChanged(label, `${what} is not an array`);
  return v;
}

export function reqString(o: Json, key: string, label: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw protocolChanged(label, `${key} is not a non-empty string`);
  return v;
}

export function reqNumber(o: Json, key: string, label: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw protocolChanged(label, `${key} is not a number`);
  return v;
}

export function optString(o: Json, key: string, label: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw protocolChanged(label, `${key} is not a string`);
  return v;
}

export function optNumber(o: Json, key: string, label: string): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw protocolChanged(label, `${key} is not a number`);
  return v;
}
