import { createHmac, timingSafeEqual } from 'node:crypto';

/** RFC 3986 percent-encoding as RFC 5849 §3.6 requires (unreserved characters stay as they are). */
export function oauthEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parses `Authorization: OAuth k="v", …` (RFC 5849 §3.5.1); values are percent-decoded. */
export function parseOAuthHeader(header: string | undefined): Map<string, string> | undefined {
  if (!header) return undefined;
  const m = /^OAuth\s+(.*)$/is.exec(header.trim());
  if (!m) return undefined;
  const out = new Map<string, string>();
  const re = /([A-Za-z0-9_\-.~%]+)\s*=\s*"([^"]*)"/g;
  let part: RegExpExecArray | null;
  while ((part = re.exec(m[1]!)) !== null) {
    try {
      out.set(decodeURIComponent(part[1]!), decodeURIComponent(part[2]!));
    } catch {
      return undefined;
    }
  }
  return out;
}

/** Decodes an application/x-www-form-urlencoded string into ordered pairs ("+" is a space). */
export function decodeForm(s: string): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of new URLSearchParams(s)) out.push([k, v]);
  return out;
}

/**
 * The signature base string of RFC 5849 §3.4.1: METHOD & base-URI & normalised parameters, where
 * the parameters are the query and form pairs (decoded, then re-encoded) plus the oauth_*
 * header parameters except oauth_signature and realm, sorted by encoded name then value.
 */
export function signatureBaseString(method: string, baseUri: string, params: [string, string][]): string {
  const encoded = params.map(([k, v]) => [oauthEncode(k), oauthEncode(v)] as const);
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const normalized = encoded.map(([k, v]) => `${k}=${v}`).join('&');
  return [method.toUpperCase(), oauthEncode(baseUri), oauthEncode(normalized)].join('&');
}

/** HMAC-SHA1 signature (RFC 5849 §3.4.2), base64. */
export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret = ''): string {
  return createHmac('sha1', `${oauthEncode(consumerSecret)}&${oauthEncode(tokenSecret)}`)
    .update(baseString)
    .digest('base64');
}

/** The base string URI (RFC 5849 §3.4.1.2): scheme and host lowercase, default port dropped. */
export function baseStringUri(scheme: 'http' | 'https', hostHeader: string, path: string): string {
  let host = hostHeader.toLowerCase();
  if ((scheme === 'http' && host.endsWith(':80')) || (scheme === 'https' && host.endsWith(':443'))) {
    host = host.slice(0, host.lastIndexOf(':'));
  }
  return `${scheme}://${host}${path}`;
}

export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
