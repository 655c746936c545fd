import type {
  IssuedTokens as TokenResponse,
  LoginResult as LoginResponse,
  MfaChallengeIssued as MfaRequiredResponse,
  SessionInfo as SessionResponse,
  TokensImported,
} from './auth.types.js';
import { AppError, isAppError, type Clock, type Logger, type Random } from '../core/index.js';
import { toFlag, type AuthRepositories, type UserRow } from '../store/index.js';
import type { AccessTokens } from './access-token.js';
import type { GarminLoginPort, GarminProfile, GarminTokenSet, MfaState } from './garmin.port.js';
import type { GarminTokenVault } from './garmin-token-vault.js';
import type { LoginAttempt, LoginLimits } from './login-limits.js';
import { hashToken, newRefreshToken } from './refresh-token.js';
import { DEFAULT_SESSION_LIFETIME, refreshSession, sessionEnds, type SessionLifetime } from './session-lifetime.js';
import { DEFAULT_SCOPE, TokenIssuer } from './token-issuer.js';
import type { SecretBox } from './secret-box.js';
import { toSessionResponse } from './session-view.js';
import { BearerAuthenticator, type Principal } from './bearer-auth.js';

export interface AuthServiceOptions {
  repos: AuthRepositories;
  garmin: GarminLoginPort;
  accessTokens: AccessTokens;
  box: SecretBox;
  vault: GarminTokenVault;
  limits: LoginLimits;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Lower-cased Garmin e-mails allowed to log in; null = anyone (loopback-only deployments). */
  allowedUsers: ReadonlySet<string> | null;
  /** Idle window, maximum lifetime and refresh grace window of sessions (defaults 30 d, 365 d, 30 s). */
  lifetime?: Partial<SessionLifetime>;
  mfaTtlMs?: number;
  mfaAttempts?: number;
  scope?: string;
}

/**
 * Logins (with Garmin MFA), the service's own tokens and sessions (design.md §4). The Garmin
 * password passes through `login` to Garmin and is never stored or logged.
 */
export class AuthService {
  private readonly lifetime: SessionLifetime;
  private readonly mfaTtlMs: number;
  private readonly mfaAttempts: number;
  private readonly issuer: TokenIssuer;
  private readonly bearer: BearerAuthenticator;

  constructor(private readonly o: AuthServiceOptions) {
    this.lifetime = { ...DEFAULT_SESSION_LIFETIME, ...o.lifetime };
    this.mfaTtlMs = o.mfaTtlMs ?? 10 * 60_000;
    this.mfaAttempts = o.mfaAttempts ?? 5;
    this.bearer = new BearerAuthenticator({ repos: o.repos, accessTokens: o.accessTokens, clock: o.clock });
    this.issuer = new TokenIssuer({
      authTokens: o.repos.authTokens,
      accessTokens: o.accessTokens,
      clock: o.clock,
      random: o.random,
      scope: o.scope ?? DEFAULT_SCOPE,
    });
  }

  /** Garmin credential login → our tokens, or an MFA challenge kept server-side (encrypted). */
  async login(input: { username: string; password: string }, clientAddress: string, signal?: AbortSignal): Promise<LoginResponse> {
    const username = normaliseUsername(input.username);
    const attempt = await this.o.limits.checkLogin(username, clientAddress);
    this.checkAllowed(username);
    await this.o.limits.checkCircuit(username);
    const outcome = await this.callGarmin(username, () => this.o.garmin.startLogin({ username, password: input.password }, signal));
    // The password was right (with or without MFA to follow): not a failure.
    await this.o.limits.loginSucceeded(attempt);
    await this.o.limits.garminLoginSucceeded(username);
    if (outcome.status === 'authenticated') return this.finishLogin(username, outcome.tokens, outcome.profile, false);
    return this.createChallenge(username, outcome.state, outcome.method);
  }

  /** Finishes a login with the MFA code; works on any server process sharing the database. */
  async completeMfa(input: { challenge_id: string; code: string }, clientAddress: string, signal?: AbortSignal): Promise<TokenResponse> {
    const { mfaChallenges } = this.o.repos;
    const gone = () => new AppError('MFA_CHALLENGE_GONE', 'This MFA challenge expired or has no attempts left; log in again.');
    const ch = await mfaChallenges.findById(input.challenge_id);
    // A dead challenge is refused before anything is counted: submissions against it can guess
    // nothing, so they must not fill a limit that the owner's next, live challenge needs.
    if (!ch || ch.consumed_at !== null || ch.expires_at <= this.o.clock.now() || ch.attempts_left <= 0) throw gone();
    await this.o.limits.checkMfa(clientAddress);
    const attemptsLeft = await mfaChallenges.takeAttempt(ch.challenge_id);
    if (attemptsLeft === null) throw gone();
    const state = this.o.box.openJson<MfaState>(ch.state_enc, mfaContext(ch.challenge_id));
    let result: { tokens: GarminTokenSet; profile: GarminProfile };
    try {
      result = await this.callGarmin(ch.garmin_username, () => this.o.garmin.completeMfa(state, input.code, signal));
    } catch (e) {
      if (isAppError(e, 'GARMIN_MFA_CODE_INVALID')) {
        throw new AppError('MFA_CODE_INVALID', 'The MFA code is not correct.', { attempts_left: attemptsLeft });
      }
      if (isAppError(e, 'GARMIN_MFA_EXPIRED')) {
        await mfaChallenges.kill(ch.challenge_id);
        // Garmin also ends a login after its 5th wrong code: that answer is still "wrong code,
        // none left" (the next try gets 410), like our own budget.
        if (attemptsLeft === 0) throw new AppError('MFA_CODE_INVALID', 'The MFA code is not correct.', { attempts_left: 0 });
        throw gone();
      }
      throw e;
    }
    if (!(await mfaChallenges.consume(ch.challenge_id, this.o.clock.now()))) throw gone();
    await this.o.limits.mfaSucceeded(clientAddress);
    await this.o.limits.garminLoginSucceeded(ch.garmin_username);
    return this.finishLogin(ch.garmin_username, result.tokens, result.profile, true);
  }

  /**
   * Token import (the escape hatch when Garmin's login changes). With a principal the tokens
   * replace that user's Garmin tokens; without, `username` names the account (allow-list and
   * login limits apply) and a new session is issued. A user whose Garmin profile is on record
   * only accepts tokens of that same profile (FORBIDDEN otherwise).
   */
  async importTokens(
    input: { username?: string | undefined; tokens: unknown },
    clientAddress: string,
    principal: Principal | null,
    signal?: AbortSignal,
  ): Promise<TokenResponse | TokensImported> {
    const { users } = this.o.repos;
    let username: string;
    let attempt: LoginAttempt | null = null;
    if (principal) {
      const user = await users.findById(principal.userId);
      if (!user) throw new AppError('TOKEN_INVALID', 'The access token is not known.');
      username = user.garmin_username;
    } else {
      if (!input.username)
        throw new AppError('VALIDATION_FAILED', 'username: give the Garmin e-mail these tokens belong to.', {
          errors: [{ path: '/username', message: 'required without a Bearer token' }],
        });
      username = normaliseUsername(input.username);
      attempt = await this.o.limits.checkLogin(username, clientAddress);
    }
    const { tokens, profile } = await this.o.garmin.importTokens(input.tokens, signal);
    // After the tokens were checked, so that an unlisted account and an unusable token file are
    // told apart by nothing but the owner's own (valid) tokens.
    if (!principal) this.checkAllowed(username);
    if (attempt) await this.o.limits.loginSucceeded(attempt);
    const existing = await users.findByUsername(username);
    if (existing?.garmin_profile_id != null && profile.profileId != null && Number(existing.garmin_profile_id) !== profile.profileId) {
      throw new AppError('FORBIDDEN', 'These Garmin tokens belong to another Garmin account.');
    }
    this.o.logger.info({ user_id: existing?.user_id ?? null, with_session: principal !== null }, 'Garmin tokens imported');
    if (!principal) return this.finishLogin(username, tokens, profile, false);
    const now = this.o.clock.now();
    const user = await users.upsert(
      { newId: principal.userId, username, displayName: profile.displayName ?? null, profileId: profile.profileId ?? null },
      now,
    );
    await this.o.vault.save(user.user_id, tokens);
    return {
      status: 'imported',
      user_id: user.user_id,
      display_name: user.display_name,
      garmin_access_expires_at: tokens.accessExpiresAt ? iso(tokens.accessExpiresAt) : null,
    };
  }

  /** Rotates the refresh token and slides the session; a replay outside the grace window revokes it (RFC 9700). */
  async refresh(refreshToken: string): Promise<TokenResponse> {
    const { clock, random, logger } = this.o;
    return refreshSession(
      {
        sessions: this.o.repos.sessions,
        users: this.o.repos.users,
        issuer: this.issuer,
        lifetime: this.lifetime,
        clock,
        random,
        logger,
        revoked: (sessionId) => this.bearer.forgetSession(sessionId),
      },
      refreshToken,
    );
  }

  /** Revokes the caller's session: its tokens stop working at once here, within REVOCATION_BOUND_MS on other processes. */
  async logout(p: Principal): Promise<void> {
    await this.o.repos.sessions.revoke(p.sessionId, 'logout', this.o.clock.now());
    this.bearer.forgetSession(p.sessionId);
  }

  /**
   * Verifies a Bearer access token and that its token row and session are alive (see
   * BearerAuthenticator); a revocation here is effective at once, one on another process within
   * REVOCATION_BOUND_MS (not only at `exp`).
   */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    return this.bearer.authenticate(authorization);
  }

  /** The seed's User Session and Authentication Token attributes of the caller (no secrets). */
  async session(p: Principal): Promise<SessionResponse> {
    const now = this.o.clock.now();
    const { sessions, authTokens, users, garminAccounts, limits } = this.o.repos;
    const [session, token, user, account] = await Promise.all([
      sessions.findById(p.sessionId),
      authTokens.findById(p.tokenId),
      users.findById(p.userId),
      garminAccounts.get(p.userId),
    ]);
    if (!session || !token || !user) throw new AppError('TOKEN_INVALID', 'The access token is not known.');
    const circuit = await limits.getCircuit(user.garmin_username);
    return toSessionResponse({ session, token, account, circuit, user, now });
  }

  /**
   * An account off the allow-list is refused with the very answer a wrong password gets, so the
   * API does not tell anyone which e-mails are allowed; the operator still sees why in the log.
   */
  private checkAllowed(username: string): void {
    if (this.o.allowedUsers && !this.o.allowedUsers.has(username)) {
      this.o.logger.warn(
        { garmin_username: username, reason: 'not_allowed' },
        'login refused: the Garmin account is not on the allow-list',
      );
      throw new AppError('GARMIN_INVALID_CREDENTIALS');
    }
  }

  /** Runs a Garmin call; a Garmin 429 opens the account's circuit breaker. */
  private async callGarmin<T>(username: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (isAppError(e, 'GARMIN_RATE_LIMITED')) {
        const retryAfterMs = await this.o.limits.garminRateLimited(username, e.retryAfterMs);
        throw new AppError('GARMIN_RATE_LIMITED', 'Garmin is rate limiting logins for this account; wait before trying again.', {
          retry_after_ms: retryAfterMs,
        });
      }
      throw e;
    }
  }

  private async createChallenge(username: string, state: MfaState, method: string): Promise<MfaRequiredResponse> {
    const now = this.o.clock.now();
    const challengeId = this.o.random.uuid();
    const expiresAt = now + this.mfaTtlMs;
    // Housekeeping: challenges dead for a day are of no use to anyone (they hold encrypted state).
    await this.o.repos.mfaChallenges.deleteExpired(now - 24 * 60 * 60_000);
    await this.o.repos.mfaChallenges.create({
      challenge_id: challengeId,
      garmin_username: username,
      state_enc: this.o.box.sealJson(state, mfaContext(challengeId)),
      mfa_method: method,
      attempts_left: this.mfaAttempts,
      expires_at: expiresAt,
      created_at: now,
    });
    return {
      status: 'mfa_required',
      challenge_id: challengeId,
      mfa_method: method,
      expires_at: iso(expiresAt),
      attempts_left: this.mfaAttempts,
    };
  }

  private async finishLogin(username: string, tokens: GarminTokenSet, profile: GarminProfile, mfa: boolean): Promise<TokenResponse> {
    const now = this.o.clock.now();
    const user: UserRow = await this.o.repos.users.upsert(
      { newId: this.o.random.uuid(), username, displayName: profile.displayName ?? null, profileId: profile.profileId ?? null },
      now,
    );
    await this.o.vault.save(user.user_id, tokens);
    const refreshToken = newRefreshToken(this.o.random);
    const session = await this.o.repos.sessions.create({
      session_id: this.o.random.uuid(),
      user_id: user.user_id,
      refresh_token_hash: hashToken(refreshToken),
      ...sessionEnds(this.lifetime, now),
      mfa_enabled: toFlag(mfa),
      created_at: now,
    });
    this.o.logger.info({ user_id: user.user_id, session_id: session.session_id, mfa }, 'login succeeded');
    return this.issuer.issue(session, refreshToken, { username: user.garmin_username, display_name: user.display_name });
  }
}

function normaliseUsername(u: string): string {
  return u.trim().toLowerCase();
}

function mfaContext(challengeId: string): string {
  return `mfa-state:${challengeId}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
