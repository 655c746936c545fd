/** Parses a Cookie request header. Malformed pairs are skipped, as browsers and servers do. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (name && !(name in out)) out[name] = value;
  }
  return out;
}

export interface CookieAttributes {
  path?: string;
  domain?: string;
  maxAgeSec?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'Lax' | 'Strict' | 'None';
}

/**
 * Serialises one Set-Cookie value. `Secure` is only emitted when asked: in plain-HTTP mode a
 * Secure cookie would be dropped by a well-behaved client jar, and the emulator must still work.
 */
export function serializeCookie(name: string, value: string, attrs: CookieAttributes = {}): string {
  const parts = [`${name}=${value}`];
  parts.push(`Path=${attrs.path ?? '/'}`);
  if (attrs.domain) parts.push(`Domain=${attrs.domain}`);
  if (attrs.maxAgeSec !== undefined) parts.push(`Max-Age=${attrs.maxAgeSec}`);
  if (attrs.httpOnly) parts.push('HttpOnly');
  if (attrs.secure) parts.push('Secure');
  if (attrs.sameSite) parts.push(`SameSite=${attrs.sameSite}`);
  return parts.join('; ');
}
