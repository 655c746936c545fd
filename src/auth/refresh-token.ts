import { createHash } from 'node:crypto';
import type { Random } from '../core/index.js';

/** A new refresh token: 256 random bits, base64url. Only its hash is stored. */
export function newRefreshToken(random: Random): string {
  return random.bytes(32).toString('base64url');
}

/** sha256 hex of a token: what the database keeps instead of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
