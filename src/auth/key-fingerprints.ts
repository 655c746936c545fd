import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../core/index.js';
import type { KeyFingerprintRepository } from '../store/index.js';

/** The fixed message each key signs; its HMAC identifies the key without revealing it. */
const MESSAGE = 'garminsync key fingerprint v1';

/** HMAC-SHA256 of a fixed string under `key`, hex: equal keys give equal fingerprints, the key cannot be recovered. */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update(MESSAGE).digest('hex');
}

/**
 * Start-up (issue 12.12): records each key's fingerprint at the first start and refuses to start
 * (CONFIG_INVALID naming the variable) when a key differs from the one the database was set up
 * with — a worker with another encryption key would otherwise fail every job with "a stored
 * secret could not be decrypted", an API with another JWT key would reject every other API's tokens.
 */
export async function verifyKeyFingerprints(
  repo: Pick<KeyFingerprintRepository, 'claim'>,
  keys: Readonly<Record<'GARMINSYNC_ENCRYPTION_KEY' | 'GARMINSYNC_JWT_KEY', Buffer>>,
  now: number,
): Promise<void> {
  for (const [name, key] of Object.entries(keys)) {
    const mine = keyFingerprint(key);
    const recorded = await repo.claim(name, mine, now);
    if (recorded.length !== mine.length || !timingSafeEqual(Buffer.from(recorded), Buffer.from(mine))) {
      throw new AppError(
        'CONFIG_INVALID',
        `${name} is not the key this database was set up with; give every process of the deployment the same ${name}.`,
        { setting: name },
      );
    }
  }
}
