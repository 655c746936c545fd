/**
 * OAuth 1.0a request signing, HMAC-SHA1 with credentials in the Authorization header
 * (RFC 5849 §3), written against node:crypto because Garmin's preauthorized/exchange steps are
 * the only OAuth1 we speak and a dependency for ~80 lines is not worth it.
 */
import { createHmac } from 'node:crypto';

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
}

export interface OAuth1SignInput {
  method: string;
  /** The request URL as it goes on the wire (its query is decoded and re-encoded for the base string). */
  url: string;
  /** application/x-www-form-urlencoded body parameters, which are part of the signature. */
  form?: [string, string][];
  nonce: string;
  /** Seconds since the epoch, as a string. */
  timestamp: string;
  /** Include oauth_version="1.0" (oauthlib, and so garth, does). */
  includeVersion?: boolean;
}

/**
 * RFC 3986 percent-encoding as RFC 5849 §3.6 requires: only unreserved characters
 * (ALPHA, DIGIT, "-", ".", "_", "~") stay as they are, everything else is %XX upper-case.
 */
export function oauthPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The base string URI of RFC 5849 §3.4.1.2: scheme and host lower-case, default port dropped, no query. */
export function baseStringUri(url: string): string {
  const u = new URL(url);
  const scheme = u.protocol.toLowerCase();
  const defaultPort = (scheme === 'http:' && u.port === '80') || (scheme === 'https:' && u.port === '443') || u.port === '';
  return `${scheme}//${u.hostname.toLowerCase()}${defaultPort ? '' : `:${u.port}`}${u.pathname}`;
}

/**
 * The signature base string of RFC 5849 §3.4.1: METHOD&enc(base URI)&enc(normalised parameters),
 * where the parameters are the decoded query pairs, the form body pairs and the oauth_* pairs,
 * each encoded, sorted by name then value, joined with "&".
 */
export function signatureBaseString(method: string, url: string, params: [string, string][]): string {
  const u = new URL(url);
  const all: [string, string][] = [...u.searchParams.entries(), ...params];
  const normalized = all
    .map(([k, v]) => [oauthPercentEncode(k), oauthPercentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${method.toUpperCase()}&${oauthPercentEncode(baseStringUri(url))}&${oauthPercentEncode(normalized)}`;
}

/** HMAC-SHA1 of a base string with key enc(consumer secret)&enc(token secret), base64 (RFC 5849 §3.4.2). */
export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret = ''): string {
  const key = `${oauthPercentEncode(consumerSecret)}&${oauthPercentEncode(tokenSecret)}`;
  return createHmac('sha1', key).update(baseString).digest('base64');
}

/**
 * Signs a request and returns the `Authorization: OAuth …` header value. Parameter order in the
 * header follows oauthlib (what garth sends): nonce, timestamp, version, signature method,
 * consumer key, token, signature.
 */
export function oauth1AuthorizationHeader(creds: OAuth1Credentials, input: OAuth1SignInput): string {
  const oauth: [string, string][] = [
    ['oauth_nonce', input.nonce],
    ['oauth_timestamp', input.timestamp],
  ];
  if (input.includeVersion !== false) oauth.push(['oauth_version', '1.0']);
  oauth.push(['oauth_signature_method', 'HMAC-SHA1'], ['oauth_consumer_key', creds.consumerKey]);
  if (creds.token) oauth.push(['oauth_token', creds.token]);
  const base = signatureBaseString(input.method, input.url, [...oauth, ...(input.form ?? [])]);
  const signature = hmacSha1Signature(base, creds.consumerSecret, creds.tokenSecret ?? '');
  oauth.push(['oauth_signature', signature]);
  return `OAuth ${oauth.map(([k, v]) => `${oauthPercentEncode(k)}="${oauthPercentEncode(v)}"`).join(', ')}`;
}
