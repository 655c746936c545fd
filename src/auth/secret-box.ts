import { createCipheriv, createDecipheriv } from 'node:crypto';
import { AppError, type Random } from '../core/index.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM envelope for secrets at rest (Garmin tokens, pending MFA login state).
 * Format: `v1.<base64url(iv ‖ tag ‖ ciphertext)>`. The `context` string is bound as additional
 * authenticated data, so a ciphertext copied to another row (another user, another purpose)
 * fails to decrypt instead of being accepted.
 */
export class SecretBox {
  constructor(
    private readonly key: Buffer,
    private readonly random: Random,
  ) {
    if (key.length !== 32) throw new AppError('CONFIG_INVALID', 'The encryption key must be 32 bytes (256 bits).');
  }

  seal(plaintext: string, context: string): string {
    const iv = this.random.bytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}`;
  }

  open(envelope: string, context: string): string {
    const [version, body] = envelope.split('.', 2);
    if (version !== VERSION || !body) throw new AppError('INTERNAL', 'A stored secret has an unknown format.');
    const raw = Buffer.from(body, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new AppError('INTERNAL', 'A stored secret is truncated.');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (cause) {
      // Wrong key (rotated key file, other server's key) or tampered data: never leak details.
      throw new AppError('INTERNAL', 'A stored secret could not be decrypted (wrong key or tampered data).', {}, { cause });
    }
  }

  sealJson(value: unknown, context: string): string {
    return this.seal(JSON.stringify(value), context);
  }

  openJson<T>(envelope: string, context: string): T {
    return JSON.parse(this.open(envelope, context)) as T;
  }
}
