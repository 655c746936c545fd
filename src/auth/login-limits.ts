import { AppError, type Clock } from '../core/index.js';
import type { AuthLimitsRepository } from '../store/index.js';

/** Fixed-window limits for login and MFA attempts (per Garmin account and per client address). */
export interface LoginLimitSettings {
  windowMs: number;
  loginPerAccount: number;
  loginPerAddress: number;
  mfaPerAccount: number;
  mfaPerAddress: number;
  /** First cool-down after a Garmin 429 at login; doubles with each further 429, up to the max. */
  circuitBaseMs: number;
  circuitMaxMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimitSettings = {
  windowMs: 15 * 60_000,
  loginPerAccount: 10,
  loginPerAddress: 30,
  mfaPerAccount: 20,
  mfaPerAddress: 60,
  circuitBaseMs: 5 * 60_000,
  circuitMaxMs: 6 * 60 * 60_000,
};

/**
 * Login/MFA rate limits and the per-account Garmin circuit breaker. State lives in the database
 * (AuthLimitsRepository) so that the limits hold across API processes.
 */
export class LoginLimits {
  constructor(
    private readonly repo: AuthLimitsRepository,
    private readonly clock: Clock,
    private readonly s: LoginLimitSettings = DEFAULT_LOGIN_LIMITS,
  ) {}

  /** Counts a login attempt; RATE_LIMITED (with retry_after_ms) beyond the limits. */
  async checkLogin(username: string, address: string): Promise<void> {
    await this.count(`login:addr:${address}`, this.s.loginPerAddress);
    await this.count(`login:acct:${username}`, this.s.loginPerAccount);
  }

  /** Counts an MFA code submission; RATE_LIMITED beyond the limits. */
  async checkMfa(username: string, address: string): Promise<void> {
    await this.count(`mfa:addr:${address}`, this.s.mfaPerAddress);
    await this.count(`mfa:acct:${username}`, this.s.mfaPerAccount);
  }

  /** A successful login clears the account's counters (not the address's). */
  async loginSucceeded(username: string): Promise<void> {
    await this.repo.reset(`login:acct:${username}`);
    await this.repo.reset(`mfa:acct:${username}`);
    await this.repo.resetCircuit(username);
  }

  /** GARMIN_CIRCUIT_OPEN while the account cools down after Garmin 429s. */
  async checkCircuit(username: string): Promise<void> {
    const c = await this.repo.getCircuit(username);
    const now = this.clock.now();
    if (c?.open_until != null && c.open_until > now) {
      throw new AppError('GARMIN_CIRCUIT_OPEN', 'Garmin rate-limited logins for this account; wait before trying again.', {
        retry_after_ms: c.open_until - now,
      });
    }
  }

  /** Garmin answered 429: opens the circuit for a growing cool-down (at least Garmin's Retry-After). */
  async garminRateLimited(username: string, retryAfterMs: number | undefined): Promise<number> {
    const now = this.clock.now();
    const row = await this.repo.tripCircuit(
      username,
      (failures) => now + Math.max(retryAfterMs ?? 0, Math.min(this.s.circuitMaxMs, this.s.circuitBaseMs * 2 ** (failures - 1))),
      now,
    );
    return (row.open_until ?? now) - now;
  }

  private async count(key: string, limit: number): Promise<void> {
    const now = this.clock.now();
    const { count, windowStart } = await this.repo.hit(key, this.s.windowMs, now);
    if (count > limit) {
      throw new AppError('RATE_LIMITED', 'Too many attempts; wait before trying again.', {
        retry_after_ms: Math.max(1000, windowStart + this.s.windowMs - now),
      });
    }
  }
}
