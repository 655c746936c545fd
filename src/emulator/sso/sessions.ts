import type { Clock } from '../../core/index.js';
import type { EmuRandom } from '../random.js';

/** E-mail codes are valid for about ten minutes; five wrong codes end the attempt. */
export const MFA_CODE_TTL_MS = 10 * 60_000;
export const MFA_MAX_ATTEMPTS = 5;
const MAX_SESSIONS = 50_000;

export interface PendingMfa {
  accountId: string;
  email: string;
  code: string;
  expiresAt: number;
  attemptsLeft: number;
  /** The service URL of the login that asked for MFA. */
  service: string;
}

/** The server-side SSO session behind the SESSION cookie. */
export interface SsoSession {
  id: string;
  /** Legacy widget: the CSRF token of the last rendered form. */
  csrf?: string;
  pendingMfa?: PendingMfa;
  /** Legacy widget: a finished MFA waiting for GET /sso/login?logintoken=… */
  loginToken?: { token: string; accountId: string; service: string };
}

export type MfaCheck =
  { ok: true; pending: PendingMfa } | { ok: false; reason: 'no_pending' | 'invalid' | 'expired' | 'max_attempts'; attemptsLeft?: number };

/**
 * SSO sessions and the MFA "outbox". A code is bound to the session that logged in, so MFA
 * needs the same SESSION cookie as the login (a stolen code alone is useless, as at Garmin).
 */
export class SsoSessions {
  private readonly sessions = new Map<string, SsoSession>();
  private readonly outbox = new Map<string, string>();

  constructor(
    private readonly clock: Clock,
    private readonly random: EmuRandom,
  ) {}

  create(): SsoSession {
    const session: SsoSession = { id: this.random.uuid() };
    this.sessions.set(session.id, session);
    // Bounded like a real session store with eviction, so a benchmark cannot grow it forever.
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    return session;
  }

  get(id: string | undefined): SsoSession | undefined {
    return id ? this.sessions.get(id) : undefined;
  }

  /** Starts an MFA step: a fresh 6-digit code per login, "sent" to the outbox. */
  startMfa(session: SsoSession, accountId: string, email: string, service: string): PendingMfa {
    const pending: PendingMfa = {
      accountId,
      email,
      service,
      code: this.random.digits(6),
      expiresAt: this.clock.now() + MFA_CODE_TTL_MS,
      attemptsLeft: MFA_MAX_ATTEMPTS,
    };
    session.pendingMfa = pending;
    this.outbox.set(email, pending.code);
    return pending;
  }

  /** "Request a new code": same login, new code, fresh validity. */
  resendMfa(session: SsoSession): PendingMfa | undefined {
    const p = session.pendingMfa;
    if (!p) return undefined;
    p.code = this.random.digits(6);
    p.expiresAt = this.clock.now() + MFA_CODE_TTL_MS;
    this.outbox.set(p.email, p.code);
    return p;
  }

  /** Checks a code; success or exhaustion ends the pending step. */
  checkMfa(session: SsoSession | undefined, code: string): MfaCheck {
    const p = session?.pendingMfa;
    if (!session || !p) return { ok: false, reason: 'no_pending' };
    if (this.clock.now() > p.expiresAt) {
      delete session.pendingMfa;
      return { ok: false, reason: 'expired' };
    }
    if (p.attemptsLeft <= 0) {
      delete session.pendingMfa;
      return { ok: false, reason: 'max_attempts' };
    }
    if (code.trim() !== p.code) {
      p.attemptsLeft--;
      if (p.attemptsLeft <= 0) {
        delete session.pendingMfa;
        return { ok: false, reason: 'max_attempts', attemptsLeft: 0 };
      }
      return { ok: false, reason: 'invalid', attemptsLeft: p.attemptsLeft };
    }
    delete session.pendingMfa;
    return { ok: true, pending: p };
  }

  lastCode(email: string): string | undefined {
    return this.outbox.get(email.trim().toLowerCase());
  }
}
