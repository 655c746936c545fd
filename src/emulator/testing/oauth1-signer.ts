import { createHmac } from 'node:crypto';

/**
 * A minimal OAuth 1.0a HMAC-SHA1 signer written for the tests from RFC 5849, independently of
 * the emulator's verifier (two implementations of one spec are unlikely to be wrong alike).
 */
function pct(s: string): string {
  return encodeURIComponent(s).replace(/[!*'()]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export interface SignInput {
  method: string;
  /** Full URL as sent, query included (the query may be un-encoded, like garth's login-url). */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
  /** Form body fields (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  nonce: string;
  timestamp: string;
  /** RFC 5849 makes oauth_version optional; garth sends it. Default true. */
  version?: boolean;
}

export function oauthSignature(input: SignInput): { signature: string; baseString: string; oauth: [string, string][] } {
  const u = new URL(input.url);
  const defaultPort = (u.protocol === 'http:' && u.port === '80') || (u.protocol === 'https:' && u.port === '443');
  const base = `${u.protocol}//${u.hostname.toLowerCase()}${u.port && !defaultPort ? `:${u.port}` : ''}${u.pathname}`;
  const oauth: [string, string][] = [
    ['oauth_consumer_key', input.consumerKey],
    ['oauth_nonce', input.nonce],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', input.timestamp],
  ];
  if (input.version !== false) oauth.push(['oauth_version', '1.0']);
  if (input.token !== undefined) oauth.push(['oauth_token', input.token]);
  const all: [string, string][] = [...oauth];
  // RFC 5849 §3.4.1.3.1: query and form parameters, decoded.
  const rawQuery = input.url.includes('?') ? input.url.slice(input.url.indexOf('?') + 1) : '';
  for (const [k, v] of new URLSearchParams(rawQuery)) all.push([k, v]);
  for (const [k, v] of Object.entries(input.form ?? {})) all.push([k, v]);
  const norm = all
    .map(([k, v]) => [pct(k), pct(v)])
    .sort((a, b) => (a[0]! === b[0]! ? (a[1]! < b[1]! ? -1 : 1) : a[0]! < b[0]! ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const baseString = `${input.method.toUpperCase()}&${pct(base)}&${pct(norm)}`;
  const key = `${pct(input.consumerSecret)}&${pct(input.tokenSecret ?? '')}`;
  return { signature: createHmac('sha1', key).update(baseString).digest('base64'), baseString, oauth };
}

/** The Authorization header value, in garth's parameter order. */
export function oauthHeader(input: SignInput): string {
  const { signature, oauth } = oauthSignature(input);
  const get = (k: string) => oauth.find(([n]) => n === k)?.[1];
  const parts: [string, string | undefined][] = [
    ['oauth_nonce', get('oauth_nonce')],
    ['oauth_timestamp', get('oauth_timestamp')],
    ['oauth_version', '1.0'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_consumer_key', get('oauth_consumer_key')],
    ['oauth_token', get('oauth_token')],
    ['oauth_signature', signature],
  ];
  return (
    'OAuth ' +
    parts
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}="${pct(v!)}"`)
      .join(', ')
  );
}
