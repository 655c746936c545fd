import type { Clock } from '../../core/index.js';
import type { EmuRandom } from '../random.js';
import { signJwt } from './jwt.js';

/** Refresh tokens (DI) and OAuth2 exchange refresh tokens live 30 days (2 591 999 s observed). */
export const REFRESH_TOKEN_LIFETIME_SEC = 2_591_999;
/** OAuth1 tokens live about a year; mfa_expiration_timestamp is one year after the login. */
export const OAUTH1_LIFETIME_MS = 365 * 86_400_000;

export const CONNECT_SCOPES = [
  'ATP_READ',
  'ATP_WRITE',
  'COMMUNITY_COURSE_READ',
  'COMMUNITY_COURSE_WRITE',
  'CONNECT_READ',
  'CONNECT_WRITE',
  'DI_OAUTH_2_AUTHORIZATION_CODE_CREATE',
  'DT_CLIENT_ANALYTICS_WRITE',
  'GARMINPAY_READ',
  'GARMINPAY_WRITE',
  'GCOFFER_READ',
  'GCOFFER_WRITE',
  'GHS_SAMD',
  'GHS_UPLOAD',
  'GOLF_API_READ',
  'GOLF_API_WRITE',
  'INSIGHTS_READ',
  'INSIGHTS_WRITE',
  'PRODUCT_SEARCH_READ',
];

export interface AccessGrant {
  accountId: string;
  clientId: string;
  expiresAt: number;
  /** Minted from an embed-widget ticket: Garmin's API tier answers "Token is not active". */
  notActive: boolean;
}

interface RefreshGrant {
  accountId: string;
  clientId: string;
  expiresAt: number;
  notActive: boolean;
}

export interface OAuth1Credential {
  token: string;
  secret: string;
  accountId: string;
  mfaToken?: string;
  mfaExpiration?: string;
  expiresAt: number;
  /** How many OAuth2 exchanges this token did (audience is accepted on the first only). */
  exchanges: number;
  revoked: boolean;
}

export interface MintedAccess {
  accessToken: string;
  jti: string;
  expiresIn: number;
}

export type BearerCheck = { ok: true; grant: AccessGrant } | { ok: false; reason: 'missing' | 'inactive' };

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Garmin's mfa_expiration_timestamp format: "2027-03-18 05:33:02.000" (UTC, no zone). */
export function garminTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/**
 * Every credential the emulator hands out: OAuth1 tokens, OAuth2/DI access tokens (JWTs) and
 * DI refresh tokens (rotating: using one kills it). Looked up by value, like an introspection
 * endpoint, which is why an unknown, expired or revoked token all read "Token is not active".
 */
export class TokenRegistry {
  private readonly access = new Map<string, AccessGrant>();
  private readonly refresh = new Map<string, RefreshGrant>();
  private readonly oauth1 = new Map<string, OAuth1Credential>();

  constructor(
    private readonly clock: Clock,
    private readonly random: EmuRandom,
    private readonly jwtKey: Buffer,
    private readonly issuer: string,
  ) {}

  mintAccess(accountId: string, garminGuid: string, clientId: string, lifetimeSec: number, notActive = false): MintedAccess {
    const now = this.clock.now();
    const jti = this.random.uuid();
    const iat = Math.floor(now / 1000);
    const expiresIn = Math.max(1, Math.floor(lifetimeSec));
    const accessToken = signJwt(
      {
        scope: CONNECT_SCOPES,
        iss: this.issuer,
        revocation_eligibility: ['GLOBAL_SIGNOUT'],
        client_type: 'UNDEFINED',
        exp: iat + expiresIn,
        iat,
        garmin_guid: garminGuid,
        jti,
        client_id: clientId,
        fgp: this.random.hex(64),
      },
      this.jwtKey,
    );
    this.access.set(accessToken, { accountId, clientId, expiresAt: now + expiresIn * 1000, notActive });
    return { accessToken, jti, expiresIn };
  }

  checkBearer(authorization: string | undefined): BearerCheck {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) return { ok: false, reason: 'missing' };
    const grant = this.access.get(m[1]!);
    if (!grant || grant.notActive || this.clock.now() >= grant.expiresAt) return { ok: false, reason: 'inactive' };
    return { ok: true, grant };
  }

  mintRefresh(accountId: string, clientId: string, notActive = false): string {
    const token = `${this.random.uuid()}.${this.random.alnum(24)}`;
    this.refresh.set(token, {
      accountId,
      clientId,
      notActive,
      expiresAt: this.clock.now() + REFRESH_TOKEN_LIFETIME_SEC * 1000,
    });
    return token;
  }

  /** Uses a refresh token once: it is removed whatever the outcome, so a replay is invalid_grant. */
  consumeRefresh(token: string, clientId: string): RefreshGrant | undefined {
    const grant = this.refresh.get(token);
    if (!grant) return undefined;
    this.refresh.delete(token);
    if (grant.clientId !== clientId || this.clock.now() >= grant.expiresAt) return undefined;
    return grant;
  }

  mintOAuth1(accountId: string, viaMfa: boolean): OAuth1Credential {
    const now = this.clock.now();
    const cred: OAuth1Credential = {
      token: this.random.uuid(),
      secret: this.random.alnum(27),
      accountId,
      expiresAt: now + OAUTH1_LIFETIME_MS,
      exchanges: 0,
      revoked: false,
    };
    if (viaMfa) {
      cred.mfaToken = `MFA-${this.random.digits(4)}-${this.random.alnum(50)}-cas`;
      cred.mfaExpiration = garminTimestamp(now + OAUTH1_LIFETIME_MS);
    }
    this.oauth1.set(cred.token, cred);
    return cred;
  }

  getOAuth1(token: string): OAuth1Credential | undefined {
    const cred = this.oauth1.get(token);
    if (!cred || cred.revoked || this.clock.now() >= cred.expiresAt) return undefined;
    return cred;
  }

  /** Control API: current access tokens of the account (or all) expire now. */
  expireAccess(accountId?: string): void {
    const now = this.clock.now();
    for (const g of this.access.values()) if (!accountId || g.accountId === accountId) g.expiresAt = Math.min(g.expiresAt, now);
  }

  /** Control API: refresh tokens die and OAuth1 tokens can no longer be exchanged. */
  revokeRefresh(accountId?: string): void {
    for (const [t, g] of this.refresh) if (!accountId || g.accountId === accountId) this.refresh.delete(t);
    for (const c of this.oauth1.values()) if (!accountId || c.accountId === accountId) c.revoked = true;
  }
}
