import { AppError, type Clock } from '../core/index.js';
import type { GarminAccountsRepository } from '../store/index.js';
import type { GarminTokenSet } from './garmin.port.js';
import type { SecretBox } from './secret-box.js';

/** AAD that binds a user's encrypted Garmin tokens to their row. */
export function garminTokensContext(userId: string): string {
  return `garmin-tokens:${userId}`;
}

/**
 * A user's Garmin tokens, encrypted at rest (AES-256-GCM) in garmin_accounts. The only place
 * that decrypts them; nothing here logs them.
 */
export class GarminTokenVault {
  constructor(
    private readonly repo: GarminAccountsRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  async save(userId: string, tokens: GarminTokenSet): Promise<void> {
    await this.repo.saveTokens(
      userId,
      {
        tokensEnc: this.box.sealJson(tokens, garminTokensContext(userId)),
        kind: tokens.kind,
        accessExpiresAt: tokens.accessExpiresAt ?? null,
      },
      this.clock.now(),
    );
  }

  /** The stored tokens, or null when none are stored. */
  async load(userId: string): Promise<GarminTokenSet | null> {
    const row = await this.repo.get(userId);
    if (!row?.tokens_enc) return null;
    return this.box.openJson<GarminTokenSet>(row.tokens_enc, garminTokensContext(userId));
  }

  /** Throws GARMIN_REAUTH_REQUIRED when the account has no usable tokens (never logged in, or refresh failed). */
  async requireUsable(userId: string): Promise<void> {
    const row = await this.repo.get(userId);
    if (!row?.tokens_enc || row.status !== 'connected') {
      throw new AppError('GARMIN_REAUTH_REQUIRED');
    }
  }

  async markReauthRequired(userId: string, reason: string): Promise<void> {
    await this.repo.markReauthRequired(userId, reason, this.clock.now());
  }
}
