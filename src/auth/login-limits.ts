import { isIP } from 'node:net';
import { AppError, type Clock } from '../core/index.js';
import type { AuthLimitsRepository } from '../store/index.js';

/**
 * Fixed-window limits for login and MFA attempts. They slow a guesser without letting anyone
 * lock the owner out (issue 12.5): failures count per client address and per (account, address);
 * the per-account ceiling, counted from every address together, is much higher and only there
 * so that a distributed guesser cannot hammer one Garmin account without bound.
 */
export interface LoginLimitSettings {
  windowMs: number;
  /** Failed logins from one address for one account. */
  loginPerAccountAddress: number;
  /** Failed logins from one address, all accounts together. */
  loginPerAddress: number;
  /** Failed logins of one account from all addresses together. */
  loginPerAccount: number;
  /** MFA code submissions (against live challenges) from one address. */
  mfaPerAddress: number;
  /** First cool-down after a Garmin 429 at login; doubles with each further 429, up to the max. */
  circuitBaseMs: number;
  circuitMaxMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimitSettings = {
  windowMs: 15 * 60_000,
  loginPerAccountAddress: 10,
  loginPerAddress: 30,
  loginPerAccount: 100,
  mfaPerAddress: 60,
  circuitBaseMs: 5 * 60_000,
  circuitMaxMs: 6 * 60 * 60_000,
};

/** The counters one login attempt holds until it is known to have succeeded. */
export interface LoginAttempt {
  readonly username: string;
  readonly address: string;
}

/**
 * Login/MFA rate limits and the per-account Garmin circuit breaker. State lives in the database
 * (AuthLimitsRepository) so that the limits hold across API processes.
 *
 * Every attempt is counted before Garmin is asked (so a burst of parallel guesses cannot slip
 * past the limit while the first ones are in flight); a successful attempt gives its counts back,
 * so what remains counted are the failures.
 */
export class LoginLimits {
  constructor(
    private readonly repo: AuthLimitsRepository,
    private readonly clock: Clock,
    private readonly s: LoginLimitSettings = DEFAULT_LOGIN_LIMITS,
  ) {}

  /**
   * Counts a login attempt; RATE_LIMITED (with retry_after_ms) beyond a limit. The narrowest
   * counter that is full stops the count there, so an address that is already refused does not
   * go on filling the account's shared ceiling.
   */
  async checkLogin(username: string, address: string): Promise<LoginAttempt> {
    const addr = addressKey(address);
    await this.count(`login:addr:${addr}`, this.s.loginPerAddress);
    await this.count(`login:pair:${username}:${addr}`, this.s.loginPerAccountAddress);
    await this.count(`login:acct:${username}`, this.s.loginPerAccount);
    return { username, address: addr };
  }

  /** The password was right: the attempt is not a failure, its counts are given back. */
  async loginSucceeded(attempt: LoginAttempt): Promise<void> {
    await this.repo.release(`login:addr:${attempt.address}`);
    await this.repo.reset(`login:pair:${attempt.username}:${attempt.address}`);
    await this.repo.release(`login:acct:${attempt.username}`);
  }

  /**
   * Counts an MFA code submission against a live challenge; RATE_LIMITED beyond the address's
   * limit. There is no per-account MFA counter: each challenge has its own few attempts and
   * creating one takes the password, so a count per account would only let someone else's
   * submissions make the owner's right code fail.
   */
  async checkMfa(address: string): Promise<void> {
    await this.count(`mfa:addr:${addressKey(address)}`, this.s.mfaPerAddress);
  }

  /** The right code: that submission is given back. */
  async mfaSucceeded(address: string): Promise<void> {
    await this.repo.release(`mfa:addr:${addressKey(address)}`);
  }

  /** A successful Garmin login closes the account's circuit. */
  async garminLoginSucceeded(username: string): Promise<void> {
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

/**
 * The unit an address limit counts: an IPv4 address, or the /64 of an IPv6 address (one
 * subscriber usually holds a whole /64, so counting single IPv6 addresses would give a guesser
 * 2^64 fresh budgets). IPv4-mapped IPv6 addresses count as their IPv4 address.
 */
export function addressKey(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped?.[1]) return mapped[1];
  if (isIP(a) !== 6) return a;
  const [head = '', tail = ''] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
