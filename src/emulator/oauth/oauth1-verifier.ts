import type { Clock } from '../../core/index.js';
import type { EmuRequest } from '../http/types.js';
import {
  baseStringUri,
  decodeForm,
  hmacSha1Signature,
  parseOAuthHeader,
  signatureBaseString,
  signaturesEqual,
} from './oauth1-signature.js';

/** Timestamps further than this from the emulator's clock are refused (RFC 5849 §3.3). */
export const OAUTH_TIMESTAMP_SKEW_SEC = 300;

export type OAuth1Failure =
  | 'missing_header'
  | 'unsupported_signature_method'
  | 'unknown_consumer'
  | 'bad_timestamp'
  | 'nonce_reused'
  | 'unknown_token'
  | 'bad_signature';

export interface OAuth1Verified {
  params: Map<string, string>;
  /** oauth_token, when the request carried one. */
  token?: string;
}

/**
 * Verifies an OAuth 1.0a HMAC-SHA1 request for real: the signature is recomputed over the
 * decoded-then-re-encoded query and form parameters and the host as the client addressed it.
 * `tokenSecret` resolves oauth_token; returning undefined refuses the token.
 */
export class OAuth1Verifier {
  private readonly nonces = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly consumerKey: string,
    private readonly consumerSecret: string,
    private readonly scheme: 'http' | 'https',
  ) {}

  verify(
    req: EmuRequest,
    tokenSecret: (token: string) => string | undefined,
  ): { ok: true; value: OAuth1Verified } | { ok: false; reason: OAuth1Failure } {
    const header = Array.isArray(req.headers.authorization) ? req.headers.authorization[0] : req.headers.authorization;
    const oauth = parseOAuthHeader(header);
    if (!oauth || !oauth.has('oauth_signature') || !oauth.has('oauth_consumer_key')) return { ok: false, reason: 'missing_header' };
    if (oauth.get('oauth_signature_method') !== 'HMAC-SHA1') return { ok: false, reason: 'unsupported_signature_method' };
    if (oauth.get('oauth_consumer_key') !== this.consumerKey) return { ok: false, reason: 'unknown_consumer' };
    const ts = Number(oauth.get('oauth_timestamp'));
    const nowSec = Math.floor(this.clock.now() / 1000);
    if (!Number.isInteger(ts) || Math.abs(nowSec - ts) > OAUTH_TIMESTAMP_SKEW_SEC) return { ok: false, reason: 'bad_timestamp' };
    const nonce = oauth.get('oauth_nonce');
    if (!nonce) return { ok: false, reason: 'bad_timestamp' };

    const token = oauth.get('oauth_token');
    let secret = '';
    if (token !== undefined) {
      const s = tokenSecret(token);
      if (s === undefined) return { ok: false, reason: 'unknown_token' };
      secret = s;
    }

    const params: [string, string][] = decodeForm(req.rawQuery);
    const contentType = String(req.headers['content-type'] ?? '');
    if (req.body.length > 0 && contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      params.push(...decodeForm(req.body.toString('utf8')));
    }
    for (const [k, v] of oauth) if (k !== 'oauth_signature' && k !== 'realm') params.push([k, v]);
    const host = String(req.headers.host ?? '');
    const base = signatureBaseString(req.method, baseStringUri(this.scheme, host, req.path), params);
    const expected = hmacSha1Signature(base, this.consumerSecret, secret);
    if (!signaturesEqual(expected, oauth.get('oauth_signature')!)) return { ok: false, reason: 'bad_signature' };

    // A nonce is burnt only by a valid request, so a forged request cannot block a real one.
    this.pruneNonces(nowSec);
    const nonceKey = `${ts}:${nonce}:${token ?? ''}`;
    if (this.nonces.has(nonceKey)) return { ok: false, reason: 'nonce_reused' };
    this.nonces.set(nonceKey, ts);
    return { ok: true, value: { params: oauth, ...(token !== undefined ? { token } : {}) } };
  }

  private pruneNonces(nowSec: number): void {
    if (this.nonces.size < 10_000) return;
    for (const [k, ts] of this.nonces) if (Math.abs(nowSec - ts) > OAUTH_TIMESTAMP_SKEW_SEC) this.nonces.delete(k);
  }
}
