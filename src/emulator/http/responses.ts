import type { EmuRequest, EmuResponse } from './types.js';

export function json(status: number, body: unknown, headers: Record<string, string | string[]> = {}): EmuResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function html(status: number, body: string, headers: Record<string, string | string[]> = {}): EmuResponse {
  return { status, headers: { 'content-type': 'text/html;charset=UTF-8', ...headers }, body };
}

export function text(status: number, body: string, headers: Record<string, string | string[]> = {}): EmuResponse {
  return { status, headers: { 'content-type': 'text/plain;charset=utf-8', ...headers }, body };
}

/** Adds Set-Cookie values to a response. */
export function withCookies(res: EmuResponse, cookies: string[]): EmuResponse {
  if (cookies.length === 0) return res;
  const prev = res.headers?.['set-cookie'];
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev : [prev];
  return { ...res, headers: { ...res.headers, 'set-cookie': [...list, ...cookies] } };
}

/** The request body as JSON, or undefined when it is not a JSON object. */
export function jsonBody(req: EmuRequest): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(req.body.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The request body as form fields (application/x-www-form-urlencoded). */
export function formBody(req: EmuRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString('utf8'));
}

/** A header as one string (the first value when repeated). */
export function header(req: EmuRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
