import { describe, expect, it } from 'vitest';
import { cryptoRandom, isAppError } from '../core/index.js';
import { parseKey } from './key-file.js';
import { hashToken, newRefreshToken } from './refresh-token.js';
import { SecretBox } from './secret-box.js';

describe('SecretBox (AES-256-GCM at rest)', () => {
  const box = new SecretBox(cryptoRandom.bytes(32), cryptoRandom);

  it('round-trips, never repeats a ciphertext, and hides the plaintext', () => {
    const a = box.sealJson({ accessToken: 'garmin-secret' }, 'garmin-tokens:u1');
    const b = box.sealJson({ accessToken: 'garmin-secret' }, 'garmin-tokens:u1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('garmin-secret');
    expect(box.openJson(a, 'garmin-tokens:u1')).toEqual({ accessToken: 'garmin-secret' });
  });

  it('refuses another context (row), another key and tampered data', () => {
    const sealed = box.seal('x', 'garmin-tokens:u1');
    const fails = (fn: () => unknown) => {
      try {
        fn();
        return false;
      } catch (e) {
        return isAppError(e, 'INTERNAL');
      }
    };
    expect(fails(() => box.open(sealed, 'garmin-tokens:u2'))).toBe(true);
    expect(fails(() => new SecretBox(cryptoRandom.bytes(32), cryptoRandom).open(sealed, 'garmin-tokens:u1'))).toBe(true);
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1]! ^= 1;
    expect(fails(() => box.open(`v1.${raw.toString('base64url')}`, 'garmin-tokens:u1'))).toBe(true);
  });

  it('accepts 256-bit keys as base64url or hex only', () => {
    const k = cryptoRandom.bytes(32);
    expect(parseKey(k.toString('base64url'), 'K')).toEqual(k);
    expect(parseKey(k.toString('hex'), 'K')).toEqual(k);
    expect(() => parseKey('c2hvcnQ', 'GARMINSYNC_JWT_KEY')).toThrow(/GARMINSYNC_JWT_KEY/);
  });

  it('makes 256-bit refresh tokens and stores only their sha256', () => {
    const t = newRefreshToken(cryptoRandom);
    expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t);
  });
});
