import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { AppError, type Clock } from '../core/index.js';

/** What an access token says about its bearer. */
export interface AccessClaims {
  sub: string;
  sid: string;
  jti: string;
  scope: string;
  mfa: boolean;
  iat: number;
  exp: number;
}

export interface AccessTokenOptions {
  key: Buffer;
  clock: Clock;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/**
 * Signs and verifies the service's access tokens: JWT, HS256 with a 256-bit key. Verification
 * pins the algorithm (so `alg: none` or an RS/HS confusion is refused), the issuer, the audience
 * and the expiry, using the injected clock.
 */
export class AccessTokens {
  constructor(private readonly opts: AccessTokenOptions) {}

  get ttlSeconds(): number {
    return this.opts.ttlSeconds;
  }

  async sign(c: {
    sub: string;
    sid: string;
    jti: string;
    scope: string;
    mfa: boolean;
  }): Promise<{ token: string; iat: number; exp: number }> {
    const iat = Math.floor(this.opts.clock.now() / 1000);
    const exp = iat + this.opts.ttlSeconds;
    const token = await new SignJWT({ sid: c.sid, scope: c.scope, mfa: c.mfa })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(c.sub)
      .setJti(c.jti)
      .setIssuer(this.opts.issuer)
      .setAudience(this.opts.audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.opts.key);
    return { token, iat, exp };
  }

  /** Verifies a token; any problem (signature, alg, iss, aud, exp, shape) → TOKEN_INVALID. */
  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.opts.key, {
        algorithms: ['HS256'],
        issuer: this.opts.issuer,
        audience: this.opts.audience,
        currentDate: new Date(this.opts.clock.now()),
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
        clockTolerance: 0,
      });
      const { sub, jti, sid, scope, mfa, iat, exp } = payload;
      if (
        typeof sub !== 'string' ||
        typeof jti !== 'string' ||
        typeof sid !== 'string' ||
        typeof scope !== 'string' ||
        typeof mfa !== 'boolean'
      ) {
        throw new AppError('TOKEN_INVALID', 'The access token is missing required claims.');
      }
      return { sub, jti, sid, scope, mfa, iat: iat ?? 0, exp: exp ?? 0 };
    } catch (e) {
      if (e instanceof AppError) throw e;
      const expired = e instanceof joseErrors.JWTExpired;
      throw new AppError('TOKEN_INVALID', expired ? 'The access token has expired.' : 'The access token is invalid.', {
        reason: expired ? 'expired' : 'invalid',
      });
    }
  }
}
